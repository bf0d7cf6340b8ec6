// One-shot messages shown on the next page ("Vous êtes déconnecté·e."), carried by a cookie.
// Only catalogue keys travel, so a forged cookie can show nothing but our own words.
import fp from 'fastify-plugin';
import { isMessageKey, type MessageKey } from '../i18n/index.ts';

export interface Flash {
  key: MessageKey;
  params?: Record<string, string>;
  kind: 'success' | 'info' | 'error';
}

const COOKIE = 'passerelle_flash';

declare module 'fastify' {
  interface FastifyRequest {
    /** The flash message set by the previous response, if any. */
    incomingFlash: Flash | null;
  }
  interface FastifyReply {
    flash(key: MessageKey, params?: Record<string, string>, kind?: Flash['kind']): FastifyReply;
    /** Hands the incoming flash to the page being rendered and forgets it. */
    takeFlash(): Flash | null;
  }
}

function decode(raw: string | undefined): Flash | null {
  if (!raw || raw.length > 2000) return null;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Flash>;
    if (typeof value.key !== 'string' || !isMessageKey(value.key)) return null;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(value.params ?? {}))
      if (typeof v === 'string') params[k] = v.slice(0, 200);
    const kind = value.kind === 'error' || value.kind === 'info' ? value.kind : 'success';
    return { key: value.key, params, kind };
  } catch {
    return null;
  }
}

export default fp(
  async (app, opts: { secure: boolean }) => {
    app.decorateRequest('incomingFlash', null);
    app.addHook('onRequest', (request, _reply, done) => {
      request.incomingFlash = decode(request.cookies[COOKIE]);
      done();
    });
    app.decorateReply(
      'flash',
      function (key: MessageKey, params?: Record<string, string>, kind: Flash['kind'] = 'success') {
        const value = Buffer.from(JSON.stringify({ key, params, kind })).toString('base64url');
        return this.setCookie(COOKIE, value, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: opts.secure,
          maxAge: 60,
        });
      },
    );
    app.decorateReply('takeFlash', function () {
      const flash = this.request.incomingFlash;
      if (flash) {
        this.request.incomingFlash = null;
        this.clearCookie(COOKIE, { path: '/' });
      }
      return flash;
    });
  },
  { name: 'flash', dependencies: ['@fastify/cookie'] },
);

// The security baseline: helmet's headers with a CSP that allows no inline script, an Origin check
// on every request that changes something, and a CSRF token (double-submit, @fastify/csrf-protection)
// on every non-GET route — in a hidden `_csrf` field, or the `X-CSRF-Token` header that the layout
// gives every htmx request through `hx-headers:inherited`.
import { randomFillSync } from 'node:crypto';
import csrf from '@fastify/csrf-protection';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const CSRF_COOKIE = 'passerelle_csrf';
/** Browsers whose token is kept (a 24-character secret and its token each: about 2 MB in all). */
const CSRF_TOKENS_KEPT = 20_000;
/** A secret as @fastify/csrf and newSecret() make them: 18 bytes in base64url. */
const SECRET_SHAPE = /^[A-Za-z0-9_-]{24}$/;

/** Random bytes for CSRF secrets, drawn SECRETS_DRAWN secrets at a time. */
const SECRET_BYTES = 18;
const SECRETS_DRAWN = 64;
const randomPool = Buffer.alloc(SECRET_BYTES * SECRETS_DRAWN);
let poolUsed = SECRETS_DRAWN;

/** A new CSRF secret: 18 random bytes in base64url, as @fastify/csrf makes them. */
function newSecret(): string {
  if (poolUsed === SECRETS_DRAWN) {
    randomFillSync(randomPool);
    poolUsed = 0;
  }
  const start = poolUsed * SECRET_BYTES;
  poolUsed += 1;
  return randomPool.toString('base64url', start, start + SECRET_BYTES);
}

export class ForeignOriginError extends Error {
  readonly statusCode = 403;
  readonly code = 'PASSERELLE_FOREIGN_ORIGIN';
  constructor() {
    super('Foreign origin');
  }
}

declare module 'fastify' {
  interface FastifyReply {
    /**
     * The CSRF token of the kept pages (plugins/kept-pages.ts): made once per CSRF secret (the
     * browser's `passerelle_csrf` cookie) and given again, instead of a new one (random salt and
     * hash) on every GET, so that a kept page is the same bytes for the same browser. A browser
     * without the cookie gets one, and its first token. On those pages the token is never
     * compressed with the page's text (lib/gzip-splice.ts: a stored block), so compressed sizes say
     * nothing of it (BREACH); other pages keep a fresh salted token each (`generateCsrf`).
     */
    csrfToken(): string;
  }
  interface FastifyContextConfig {
    /** Set to false only for routes that change nothing a browser session could be tricked into. */
    csrf?: boolean;
  }
}

/**
 * Same origin as the app: the configured BASE_URL, or the host the request was sent to (which a
 * third-party page cannot choose for the victim's browser). Lucia's guide does the latter.
 *
 * A browser sends `Origin: null` on a same-origin form post from a page whose referrer policy is
 * `no-referrer` (and from sandboxed frames, `data:` pages, some redirects): `null` alone says
 * nothing, so Fetch Metadata decides — `Sec-Fetch-Site` is set by the browser itself (a page cannot
 * write it) and is `same-origin` only for the app's own pages. A cross-site `null` stays refused.
 * Without either header (curl, old browsers) there is no browser session to abuse.
 */
export function isSameOrigin(request: FastifyRequest, baseUrl: string): boolean {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (origin === undefined) {
    // Browsers send Origin on every cross-site POST; without it, fall back on Fetch Metadata.
    return site === undefined || site === 'same-origin' || site === 'none';
  }
  if (origin === 'null') return site === 'same-origin';
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  if (origin === new URL(baseUrl).origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * helmet's headers, computed once: @fastify/helmet rebuilds helmet's middleware (and re-parses the
 * CSP) on every request, which cost more than the rest of a small page (measured in `npm run bench`).
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => {
      headers[name] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name];
    },
  };
  helmet(options)({} as never, response as never, () => {});
  return headers;
}

export default fp(
  async (app, opts: { baseUrl: string; secure: boolean }) => {
    const headers = helmetHeaders({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
          ...(opts.secure ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      strictTransportSecurity: opts.secure ? { maxAge: 31536000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: false,
      // Headers for browsers of another age (IE, old Flash): bytes on every response for nothing.
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
      originAgentCluster: false,
    });
    // One hook for both: the headers on every answer, then the Origin check of what changes something.
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(headers);
      if (SAFE_METHODS.has(request.method) || isSameOrigin(request, opts.baseUrl)) return done();
      done(new ForeignOriginError());
    });

    const csrfCookie = { path: '/', sameSite: 'lax', httpOnly: true, secure: opts.secure } as const;
    const csrfCookieAttributes = `; Path=/; HttpOnly; SameSite=Lax${opts.secure ? '; Secure' : ''}`;
    await app.register(csrf, { cookieKey: CSRF_COOKIE, cookieOpts: csrfCookie });
    // Any token made from a secret stays valid for it (@fastify/csrf checks the hash, not an age):
    // the first one is kept. Bounded: a flood of made-up cookies only empties the map.
    const tokens = new Map<string, string>();
    app.decorateReply('csrfToken', function () {
      const cookies = this.request.cookies;
      const secret = cookies[CSRF_COOKIE];
      const known = secret === undefined ? undefined : tokens.get(secret);
      if (known !== undefined) return known;
      if (!secret) {
        // A first visit: the secret is made here (random bytes drawn by the kilobyte, not 18 at a
        // time) and handed to @fastify/csrf-protection as if the browser had sent it. Its token is
        // not kept: most first visits have no second one (a bot, a link opened once), and the
        // browser that comes back is given one then.
        const made = newSecret();
        cookies[CSRF_COOKIE] = made;
        // Written as it is: the same attributes as the plugin's cookie, without its serializer
        // checking them again on every first visit (a tenth of the sign-in page's time, measured).
        this.header('set-cookie', `${CSRF_COOKIE}=${made}${csrfCookieAttributes}`);
        return this.generateCsrf();
      }
      const token = this.generateCsrf();
      // Only secrets this app could have made are kept (24 characters): a made-up cookie of 16 KB
      // gets its token each time and leaves nothing behind.
      if (!SECRET_SHAPE.test(secret)) return token;
      if (tokens.size >= CSRF_TOKENS_KEPT) tokens.clear();
      tokens.set(secret, token);
      return token;
    });

    app.addHook('preHandler', (request, reply, done) => {
      const config = request.routeOptions.config;
      // Unmatched URLs (no access rule) only ever answer 404.
      if (SAFE_METHODS.has(request.method) || config.csrf === false || config.access === undefined)
        return done();
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'security', dependencies: ['@fastify/cookie'] },
);

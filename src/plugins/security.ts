// The security baseline: helmet headers with a CSP that allows no inline script, an Origin check
// on every request that changes something, and a CSRF token (double-submit, @fastify/csrf-protection)
// on every non-GET route — in a hidden `_csrf` field, or the `X-CSRF-Token` header that the layout
// gives every htmx request through `hx-headers:inherited`.
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class ForeignOriginError extends Error {
  readonly statusCode = 403;
  readonly code = 'PASSERELLE_FOREIGN_ORIGIN';
  constructor() {
    super('Foreign origin');
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set to false only for routes that change nothing a browser session could be tricked into. */
    csrf?: boolean;
  }
}

/**
 * Same origin as the app: the configured BASE_URL, or the host the request was sent to (which a
 * third-party page cannot choose for the victim's browser). Lucia's guide does the latter.
 */
export function isSameOrigin(request: FastifyRequest, baseUrl: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) {
    // Browsers send Origin on every cross-site POST; without it, fall back on Fetch Metadata.
    const site = request.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  }
  if (origin === new URL(baseUrl).origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

export default fp(
  async (app, opts: { baseUrl: string; secure: boolean }) => {
    await app.register(helmet, {
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
    });

    await app.register(csrf, {
      cookieKey: 'passerelle_csrf',
      cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: opts.secure },
    });

    app.addHook('onRequest', async (request) => {
      if (SAFE_METHODS.has(request.method)) return;
      if (!isSameOrigin(request, opts.baseUrl)) throw new ForeignOriginError();
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

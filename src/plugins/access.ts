// Every route declares who may use it, next to its definition: `config: { access: rules.x }`,
// a named rule of policy/route-rules.ts ('public', any signed-in person, or per role how far the
// route reaches). This gate answers 401/403 from the declaration alone; the person's part of the
// network is then checked by the domain (policy/policy.ts). A route that declares nothing makes
// the app refuse to start; test/access.test.ts walks the registered routes to prove it.
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { createResumeStore, type FormFields, RESUME_COOKIE, RESUME_TTL_MS } from '../auth/resume.ts';
import { safeNext } from '../auth/routes.ts';
import { type Access, isValidAccess, passesGate } from '../policy/route-rules.ts';

// isValidAccess is also what tests use to check a declaration.
export { type Access, isValidAccess };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Method, URL and declared access of every registered route. */
    routeAccess: Array<{ method: string; url: string; access: Access | undefined }>;
  }
  interface FastifyRequest {
    /** A form sent after the session ended: kept, then the person is sent to sign in. */
    sentWithoutSession: boolean;
  }
  interface FastifyReply {
    /** The form this page sent when the session had ended, given back once after sign-in. */
    takeResumedForm(): FormFields | null;
  }
}

export class AccessError extends Error {
  constructor(readonly statusCode: 401 | 403) {
    super(statusCode === 401 ? 'Sign-in required' : 'Forbidden');
  }
}

/** Answers 401/403 as the declared access requires; returns true when the request may go on. */
export function checkAccess(access: Access, request: FastifyRequest): true | AccessError {
  if (access === 'public') return true;
  if (!request.user) return new AccessError(401);
  return passesGate(access, request.user.memberships) ? true : new AccessError(403);
}

/** The login page, coming back to `page` afterwards; htmx gets a full-page redirect, never a fragment. */
function loginRedirect(request: FastifyRequest, reply: FastifyReply, page: string) {
  const location = `/login?next=${encodeURIComponent(page)}`;
  if (request.htmx.request) return reply.header('HX-Redirect', location).code(401).send();
  return reply.redirect(location, 303);
}

/** Path and query of a URL of this site (Referer, HX-Current-URL), or null. */
function pathOnThisSite(url: unknown, request: FastifyRequest, baseUrl: string): string | null {
  if (typeof url !== 'string' || url.length > 2000) return null;
  try {
    const parsed = new URL(url);
    if (parsed.origin !== new URL(baseUrl).origin && parsed.host !== request.headers.host) return null;
    return safeNext(parsed.pathname + parsed.search);
  } catch {
    return null;
  }
}

/**
 * The page a form was sent from: the Referer (the app's own policy sends it to itself), else the
 * page at the same address when there is one (a quiz is shown and sent at the same URL), else home.
 */
function pageOfForm(request: FastifyRequest, baseUrl: string, hasPage: boolean): string {
  const referer = pathOnThisSite(
    request.headers['hx-current-url'] ?? request.headers.referer,
    request,
    baseUrl,
  );
  if (referer && referer !== '/login' && !referer.startsWith('/login?')) return referer;
  const own = safeNext(request.url);
  return own && hasPage ? own : '/';
}

export default fp(
  async (app) => {
    const { baseUrl, secureCookies } = app.deps.config;
    const resume = createResumeStore();
    const getPages = new Set<string>();

    app.decorate('routeAccess', []);
    app.decorateRequest('sentWithoutSession', false);
    app.addHook('onRoute', (route: RouteOptions) => {
      const access = route.config?.access;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) app.routeAccess.push({ method, url: route.url, access });
      if (methods.includes('GET')) getPages.add(route.url);
      if (!isValidAccess(access)) {
        throw new Error(`Route ${methods.join(',')} ${route.url} declares no access rule (config.access)`);
      }
    });
    app.addHook('onRequest', (request, reply, done) => {
      const access = request.routeOptions.config.access;
      // Unmatched URLs (404 handler) have no rule: they only ever answer "not found".
      if (access === undefined) return done();
      const verdict = checkAccess(access, request);
      if (verdict === true) return done();
      if (verdict.statusCode === 401 && (request.method === 'GET' || request.method === 'HEAD')) {
        const current = request.htmx.request
          ? pathOnThisSite(request.headers['hx-current-url'], request, baseUrl)
          : null;
        loginRedirect(request, reply, current ?? request.url);
        return;
      }
      if (verdict.statusCode === 401) {
        // The session ended while a form was being filled: read the body first, then keep it.
        request.sentWithoutSession = true;
        return done();
      }
      done(verdict);
    });
    // Runs once the body is parsed, before validation, CSRF and the handler: nothing is done.
    app.addHook('preValidation', (request, reply, done) => {
      if (!request.sentWithoutSession) return done();
      const page = pageOfForm(request, baseUrl, getPages.has(request.routeOptions.url ?? ''));
      const token = resume.keep(page, request.body);
      reply.setCookie(RESUME_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
        maxAge: RESUME_TTL_MS / 1000,
      });
      reply.flash('session.expired', undefined, 'info');
      loginRedirect(request, reply, page);
    });
    app.decorateReply('takeResumedForm', function (this: FastifyReply) {
      const request = this.request;
      const token = request.cookies[RESUME_COOKIE];
      if (!token || !request.user) return null;
      const fields = resume.take(token, request.url);
      if (fields) this.clearCookie(RESUME_COOKIE, { path: '/' });
      return fields;
    });
  },
  { name: 'access', dependencies: ['session', 'htmx', 'flash'] },
);

// Every route declares who may use it, next to its definition: `config: { access: … }`.
//   'public'      anyone, signed in or not
//   'signed-in'   any signed-in person
//   { roles }     a signed-in person holding one of these roles on some organization; finer
//                 rules (which collective, whose data) are checked by the domain function.
// A route that declares nothing makes the app refuse to start; test/access.test.ts walks the
// registered routes to prove it.
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../db/schema.ts';
import { hasRole } from '../people/users.ts';

export type Access = 'public' | 'signed-in' | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Method, URL and declared access of every registered route. */
    routeAccess: Array<{ method: string; url: string; access: Access | undefined }>;
  }
}

export class AccessError extends Error {
  constructor(readonly statusCode: 401 | 403) {
    super(statusCode === 401 ? 'Sign-in required' : 'Forbidden');
  }
}

export function isValidAccess(access: unknown): access is Access {
  if (access === 'public' || access === 'signed-in') return true;
  return (
    typeof access === 'object' &&
    access !== null &&
    Array.isArray((access as { roles?: unknown }).roles) &&
    (access as { roles: unknown[] }).roles.length > 0
  );
}

/** Answers 401/403 as the declared access requires; returns true when the request may go on. */
export function checkAccess(access: Access, request: FastifyRequest): true | AccessError {
  if (access === 'public') return true;
  if (!request.user) return new AccessError(401);
  if (access === 'signed-in') return true;
  return hasRole(request.user, access.roles) ? true : new AccessError(403);
}

function loginRedirect(request: FastifyRequest, reply: FastifyReply) {
  const next = encodeURIComponent(request.url);
  const location = `/login?next=${next}`;
  if (request.htmx.request) return reply.header('HX-Redirect', location).code(401).send();
  return reply.redirect(location, 303);
}

export default fp(
  async (app) => {
    app.decorate('routeAccess', []);
    app.addHook('onRoute', (route: RouteOptions) => {
      const access = route.config?.access;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) app.routeAccess.push({ method, url: route.url, access });
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
        loginRedirect(request, reply);
        return;
      }
      done(verdict);
    });
  },
  { name: 'access', dependencies: ['session', 'htmx'] },
);

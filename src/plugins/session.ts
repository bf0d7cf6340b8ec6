// Resolves the session cookie into `request.user` on every request, and signs people in and out.
// The cookie is HttpOnly, SameSite=Lax, Path=/, Secure when BASE_URL is https (Lucia's guide).

import { eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createSessionResolver } from '../auth/session-resolver.ts';
import {
  cookieMaxAge,
  createSession,
  deleteSession,
  INACTIVITY_TIMEOUT_MS,
  type Session,
} from '../auth/session-store.ts';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { type CurrentUser, loadCurrentUser } from '../people/users.ts';

export const SESSION_COOKIE = 'passerelle_session';

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
    session: Session | null;
  }
  interface FastifyReply {
    /** Starts a new session for the user (a fresh token: never reuses the previous one). */
    signIn(userId: number): void;
    signOut(): void;
  }
}

export default fp(
  async (app, opts: { db: Db; secure: boolean }) => {
    const { db } = opts;
    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: opts.secure,
      maxAge: INACTIVITY_TIMEOUT_MS / 1000,
    };

    const resolver = createSessionResolver(db);

    app.decorateRequest('user', null);
    app.decorateRequest('session', null);

    app.addHook('onRequest', (request, reply, done) => {
      const token = request.cookies[SESSION_COOKIE];
      try {
        if (token) resolve(request, reply, token);
      } catch (error) {
        return done(error as Error);
      }
      done();
    });

    function resolve(request: FastifyRequest, reply: FastifyReply, token: string) {
      const resolved = resolver.resolve(token);
      if (!resolved) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return;
      }
      const { user } = resolved;
      request.session = resolved.session;
      request.user = user;
      if (resolved.refreshed) {
        // Never past the session's absolute lifetime (session-store.ts).
        reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: cookieMaxAge(resolved.session) });
        db.update(users).set({ lastSeenAt: new Date() }).where(eq(users.id, user.id)).run();
      }
    }

    app.decorateReply('signIn', function (userId: number) {
      if (this.request.session) deleteSession(db, this.request.session.id);
      const { session, token } = createSession(db, userId);
      db.update(users).set({ lastSeenAt: session.createdAt }).where(eq(users.id, userId)).run();
      this.request.session = session;
      this.request.user = loadCurrentUser(db, userId);
      this.setCookie(SESSION_COOKIE, token, cookieOptions);
    });

    app.decorateReply('signOut', function () {
      if (this.request.session) deleteSession(db, this.request.session.id);
      this.request.session = null;
      this.request.user = null;
      this.clearCookie(SESSION_COOKIE, { path: '/' });
    });
  },
  { name: 'session', dependencies: ['@fastify/cookie'] },
);

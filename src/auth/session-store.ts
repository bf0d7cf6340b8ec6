// Sign-in sessions, following Lucia's guide "Basic session implementation" and "Inactivity
// timeout" (https://lucia-auth.com/sessions/basic, https://lucia-auth.com/sessions/inactivity-timeout):
// - the token given to the browser is `<id>.<secret>`; the table stores the id and a SHA-256 of the
//   secret only, so a leaked database does not leak usable sessions;
// - the secret is compared in constant time;
// - a session dies after INACTIVITY_TIMEOUT without use, and `last_verified_at` is only written
//   once per ACTIVITY_CHECK_INTERVAL to keep writes rare;
// - and, used or not, ABSOLUTE_LIFETIME after it began: a stolen cookie kept alive by use does not
//   last for ever, and the person types their password again once a month (NIST SP 800-63B asks
//   for it at least every 30 days at its lowest level, AAL1). A form sent just after the end is
//   kept and given back after sign-in (auth/resume.ts).

import { hash } from 'node:crypto';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { and, eq, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { prepared } from '../db/prepared.ts';
import { sessions } from '../db/schema.ts';

export const INACTIVITY_TIMEOUT_MS = 1000 * 60 * 60 * 24 * 14; // 14 days
export const ACTIVITY_CHECK_INTERVAL_MS = 1000 * 60 * 60; // 1 hour
export const ABSOLUTE_LIFETIME_MS = 1000 * 60 * 60 * 24 * 30; // 30 days

/** Whether the session has outlived its absolute lifetime. */
export function isPastLifetime(session: Pick<Session, 'createdAt'>, now: Date): boolean {
  return now.getTime() - session.createdAt.getTime() >= ABSOLUTE_LIFETIME_MS;
}

/** The cookie's Max-Age in seconds: the idle timeout, or less near the end of the lifetime. */
export function cookieMaxAge(session: Pick<Session, 'createdAt'>, now = new Date()): number {
  const left = session.createdAt.getTime() + ABSOLUTE_LIFETIME_MS - now.getTime();
  return Math.max(0, Math.floor(Math.min(INACTIVITY_TIMEOUT_MS, left) / 1000));
}

export interface Session {
  id: string;
  userId: number;
  lastVerifiedAt: Date;
  createdAt: Date;
}

/** 24 characters from a 32-letter alphabet: 120 bits of entropy (Lucia's generateSecureRandomString). */
export function generateSecureRandomString(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const byte of bytes) out += alphabet[byte >> 3];
  return out;
}

/** SHA-256 of the session secret (node:crypto: this runs on every request). */
export function hashSecret(secret: string): Uint8Array {
  return hash('sha256', secret, 'buffer');
}

export function createSession(db: Db, userId: number, now = new Date()): { session: Session; token: string } {
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  const session: Session = { id, userId, lastVerifiedAt: now, createdAt: now };
  db.insert(sessions)
    .values({ ...session, secretHash: Buffer.from(hashSecret(secret)) })
    .run();
  return { session, token: `${id}.${secret}` };
}

export interface ValidatedSession {
  session: Session;
  /** True when `last_verified_at` moved: the cookie's expiry should slide too. */
  refreshed: boolean;
}

export function validateSessionToken(db: Db, token: string, now = new Date()): ValidatedSession | null {
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [id, secret] = parts as [string, string];
  if (id.length === 0 || id.length > 64 || secret.length === 0 || secret.length > 64) return null;
  const row = prepared(db, 'session.byId', (d) =>
    d
      .select()
      .from(sessions)
      .where(eq(sessions.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id });
  if (!row) return null;
  if (!constantTimeEqual(hashSecret(secret), new Uint8Array(row.secretHash))) return null;
  const session: Session = {
    id: row.id,
    userId: row.userId,
    lastVerifiedAt: row.lastVerifiedAt,
    createdAt: row.createdAt,
  };
  const idle = now.getTime() - session.lastVerifiedAt.getTime();
  if (idle >= INACTIVITY_TIMEOUT_MS || isPastLifetime(session, now)) {
    deleteSession(db, id);
    return null;
  }
  if (idle >= ACTIVITY_CHECK_INTERVAL_MS) {
    session.lastVerifiedAt = now;
    db.update(sessions).set({ lastVerifiedAt: now }).where(eq(sessions.id, id)).run();
    return { session, refreshed: true };
  }
  return { session, refreshed: false };
}

export function deleteSession(db: Db, sessionId: string): void {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/** Ends every session of a user, or every one but `keepSessionId` (password change from a session). */
export function deleteUserSessions(db: Db, userId: number, keepSessionId?: string): void {
  const mine = eq(sessions.userId, userId);
  db.delete(sessions)
    .where(keepSessionId ? and(mine, ne(sessions.id, keepSessionId)) : mine)
    .run();
}

/** Ends sessions idle too long or past their lifetime (a job; validation refuses them anyway). */
export function deleteIdleSessions(db: Db, now = new Date()): number {
  return db
    .delete(sessions)
    .where(
      or(
        lt(sessions.lastVerifiedAt, new Date(now.getTime() - INACTIVITY_TIMEOUT_MS)),
        lt(sessions.createdAt, new Date(now.getTime() - ABSOLUTE_LIFETIME_MS)),
      ),
    )
    .run().changes;
}

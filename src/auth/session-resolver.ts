// Turns a session cookie into the signed-in person, on every request. The answer is cached in
// memory and trusted only while the network version (db/network-version.ts: bumped by triggers
// on any change to accounts, roles, organizations or ended sessions) is unchanged: a disabled
// account, a withdrawn role or a sign-out elsewhere takes effect on the next request, a change
// made by another process within a second. A cache hit costs a lock-free read instead of three
// queries (README, design decisions). The entry keeps the token's secret itself, compared in
// constant time: hashing it again on every request cost more than the rest of the lookup (the
// database keeps only its hash; this memory is the process that receives the token anyway).
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { networkVersion } from '../db/network-version.ts';
import { type CurrentUser, loadCurrentUser } from '../people/users.ts';
import {
  ACTIVITY_CHECK_INTERVAL_MS,
  isPastLifetime,
  type Session,
  validateSessionToken,
} from './session-store.ts';

const MAX_ENTRIES = 20_000;

interface Entry {
  version: number;
  secret: Buffer;
  session: Session;
  user: CurrentUser;
}

export interface Resolved {
  session: Session;
  user: CurrentUser;
  /** The session's inactivity clock was reset: slide the cookie's expiry too. */
  refreshed: boolean;
}

function sameSecret(given: string, kept: Buffer): boolean {
  const bytes = Buffer.from(given);
  return bytes.length === kept.length && timingSafeEqual(bytes, kept);
}

export function createSessionResolver(db: Db) {
  const version = networkVersion(db);
  const cache = new Map<string, Entry>();

  const fromDatabase = db.$client.transaction(
    (token: string, now: Date): (Resolved & { version: number }) | null => {
      const current = version.current();
      const validated = validateSessionToken(db, token, now);
      if (!validated) return null;
      const user = loadCurrentUser(db, validated.session.userId);
      if (!user) return null;
      return { ...validated, user, version: current };
    },
  );

  return {
    resolve(token: string, now = new Date()): Resolved | null {
      const dot = token.indexOf('.');
      const id = token.slice(0, dot);
      const entry = dot > 0 ? cache.get(id) : undefined;
      if (
        entry &&
        now.getTime() - entry.session.lastVerifiedAt.getTime() < ACTIVITY_CHECK_INTERVAL_MS &&
        !isPastLifetime(entry.session, now) &&
        entry.version === version.current(now.getTime()) &&
        sameSecret(token.slice(dot + 1), entry.secret)
      ) {
        return { session: entry.session, user: entry.user, refreshed: false };
      }
      cache.delete(id);
      const found = fromDatabase(token, now);
      if (!found) return null;
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      cache.set(id, {
        version: found.version,
        secret: Buffer.from(token.slice(dot + 1)),
        session: found.session,
        user: found.user,
      });
      return { session: found.session, user: found.user, refreshed: found.refreshed };
    },
  };
}

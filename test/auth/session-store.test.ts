import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionResolver } from '../../src/auth/session-resolver.ts';
import {
  ABSOLUTE_LIFETIME_MS,
  cookieMaxAge,
  createSession,
  deleteIdleSessions,
  deleteUserSessions,
  INACTIVITY_TIMEOUT_MS,
  validateSessionToken,
} from '../../src/auth/session-store.ts';
import { openDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { CROSS_PROCESS_CHECK_MS } from '../../src/db/network-version.ts';
import { sessions, users } from '../../src/db/schema.ts';
import { createTestApp, createUser, type TestContext } from '../helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp();
});
afterEach(() => ctx.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('sessions (the Lucia way)', () => {
  it('stores only a hash of the secret, never the token', async () => {
    const user = await createUser(ctx.db);
    const { token } = createSession(ctx.db, user.id);
    const [id, secret] = token.split('.');
    const row = ctx.db.select().from(sessions).get()!;
    expect(row.id).toBe(id);
    expect(row.secretHash.length).toBe(32);
    expect(row.secretHash.toString('utf8')).not.toContain(secret);
    expect(validateSessionToken(ctx.db, token)?.session.userId).toBe(user.id);
  });

  it('rejects a token with the right id and a wrong secret, and malformed tokens', async () => {
    const user = await createUser(ctx.db);
    const { token } = createSession(ctx.db, user.id);
    const [id] = token.split('.');
    expect(validateSessionToken(ctx.db, `${id}.aaaaaaaaaaaaaaaaaaaaaaaa`)).toBeNull();
    expect(validateSessionToken(ctx.db, id!)).toBeNull();
    expect(validateSessionToken(ctx.db, `${token}.x`)).toBeNull();
    expect(validateSessionToken(ctx.db, '')).toBeNull();
  });

  it('slides: refreshed after an hour of use, dead after the inactivity timeout', async () => {
    const user = await createUser(ctx.db);
    const start = new Date('2026-03-01T10:00:00Z');
    const { token } = createSession(ctx.db, user.id, start);
    expect(validateSessionToken(ctx.db, token, new Date(start.getTime() + 10 * 60_000))?.refreshed).toBe(
      false,
    );
    const later = new Date(start.getTime() + 2 * HOUR);
    expect(validateSessionToken(ctx.db, token, later)?.refreshed).toBe(true);
    // Still alive just before the timeout counted from the last refresh…
    expect(
      validateSessionToken(ctx.db, token, new Date(later.getTime() + INACTIVITY_TIMEOUT_MS - 1000)),
    ).not.toBeNull();
    // …and gone after a full idle period.
    const idle = new Date(later.getTime() + 2 * INACTIVITY_TIMEOUT_MS);
    expect(validateSessionToken(ctx.db, token, idle)).toBeNull();
    expect(ctx.db.select().from(sessions).all()).toHaveLength(0);
  });

  it('ends all sessions of a person, or all but the current one', async () => {
    const user = await createUser(ctx.db);
    const other = await createUser(ctx.db);
    const a = createSession(ctx.db, user.id);
    createSession(ctx.db, user.id);
    createSession(ctx.db, other.id);
    deleteUserSessions(ctx.db, user.id, a.session.id);
    expect(
      ctx.db
        .select()
        .from(sessions)
        .all()
        .map((s) => s.userId)
        .sort(),
    ).toEqual([user.id, other.id].sort());
    deleteUserSessions(ctx.db, user.id);
    expect(
      ctx.db
        .select()
        .from(sessions)
        .all()
        .map((s) => s.userId),
    ).toEqual([other.id]);
  });

  it('sweeps idle sessions', async () => {
    const user = await createUser(ctx.db);
    createSession(ctx.db, user.id, new Date(Date.now() - 2 * INACTIVITY_TIMEOUT_MS));
    createSession(ctx.db, user.id);
    expect(deleteIdleSessions(ctx.db)).toBe(1);
  });

  it('ends a session 30 days after it began, however often it is used', async () => {
    const user = await createUser(ctx.db);
    const t0 = Date.now() - 40 * DAY;
    const { token } = createSession(ctx.db, user.id, new Date(t0));
    // Used every 13 days: never idle for 14.
    for (const day of [13, 26, 29])
      expect(validateSessionToken(ctx.db, token, new Date(t0 + day * DAY))).not.toBeNull();
    expect(cookieMaxAge({ createdAt: new Date(t0) }, new Date(t0 + 29 * DAY))).toBe(DAY / 1000);
    expect(validateSessionToken(ctx.db, token, new Date(t0 + ABSOLUTE_LIFETIME_MS))).toBeNull();
    expect(ctx.db.select().from(sessions).all()).toHaveLength(0);
  });

  it('ends it even when the answer is cached in memory, and sweeps it', async () => {
    const user = await createUser(ctx.db);
    const t0 = Date.now() - 40 * DAY;
    const { token } = createSession(ctx.db, user.id, new Date(t0));
    const resolver = createSessionResolver(ctx.db);
    for (const day of [13, 26]) expect(resolver.resolve(token, new Date(t0 + day * DAY))).not.toBeNull();
    const lastMinute = t0 + ABSOLUTE_LIFETIME_MS - 60_000;
    expect(resolver.resolve(token, new Date(lastMinute))).not.toBeNull();
    // Two minutes later the cached answer is fresh (verified a minute ago), but the lifetime is over.
    expect(resolver.resolve(token, new Date(lastMinute + 2 * 60_000))).toBeNull();
    // The sweep too: a session used three days ago, begun 30 days ago, goes.
    const old = createSession(ctx.db, user.id, new Date(t0)).session;
    ctx.db
      .update(sessions)
      .set({ lastVerifiedAt: new Date(t0 + 27 * DAY) })
      .where(eq(sessions.id, old.id))
      .run();
    expect(deleteIdleSessions(ctx.db, new Date(t0 + 28 * DAY))).toBe(0);
    expect(deleteIdleSessions(ctx.db, new Date(lastMinute + 2 * 60_000))).toBe(1);
  });
});

describe('session resolver (cached identity)', () => {
  it('sees a disabled account at once when this process wrote it', async () => {
    const user = await createUser(ctx.db, { role: 'member' });
    const { token } = createSession(ctx.db, user.id);
    const resolver = createSessionResolver(ctx.db);
    const now = new Date();
    expect(resolver.resolve(token, now)?.user.id).toBe(user.id);
    expect(resolver.resolve(token, now)?.user.id).toBe(user.id); // from the cache
    ctx.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id)).run();
    expect(resolver.resolve(token, now)).toBeNull();
  });

  it('sees a change made by another process within a second', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-resolver-'));
    const db = openDatabase(join(dir, 'p.db'));
    migrateDatabase(db);
    const user = await createUser(db, { role: 'member' });
    const { token } = createSession(db, user.id);
    const resolver = createSessionResolver(db);
    const t0 = Date.now();
    expect(resolver.resolve(token, new Date(t0))?.user.displayName).toBe(user.displayName);
    // Another connection (a CLI tool) renames the person.
    const other = openDatabase(join(dir, 'p.db'));
    other.$client.exec(`UPDATE users SET display_name = 'Nom changé' WHERE id = ${user.id}`);
    const later = new Date(t0 + CROSS_PROCESS_CHECK_MS + 1);
    expect(resolver.resolve(token, later)?.user.displayName).toBe('Nom changé');
    other.$client.close();
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

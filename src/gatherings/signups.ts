// Signing up for a séance. Seats go in arrival order (the sign-up's id); when the séance is full,
// people join a waiting list in that same order, and the first waiting person gets a freed seat
// (and an email). Every sign-up runs in one IMMEDIATE transaction: SQLite has one writer, so the
// count of confirmed seats and the insert cannot interleave — the capacity is never exceeded, even
// with several processes. Signing up closes when the séance starts; cancelling too, and it is
// refused to someone already marked present (the roll call opens before the start).
import { and, asc, eq, gt, ne, sql } from 'drizzle-orm';
import { isMarkedPresent } from '../attendance/attendance.ts';
import { isEnrolled } from '../cycles/cycles.ts';
import { type Db, sqliteOf, withTransaction } from '../db/client.ts';
import { type Gathering, gatheringSignups, gatherings, users } from '../db/schema.ts';
import type { MessageKey } from '../i18n/index.ts';
import { translator } from '../i18n/index.ts';
import { RuleError } from '../lib/errors.ts';
import { formatRange, zoneName } from '../lib/time.ts';
import type { Mailer } from '../mail/mailer.ts';

export type SignupState = 'confirmed' | 'waiting' | null;

export function signupOf(
  db: Db,
  gatheringId: number,
  userId: number,
): { id: number; status: SignupState } | null {
  const row = db
    .select({ id: gatheringSignups.id, status: gatheringSignups.status })
    .from(gatheringSignups)
    .where(
      and(
        eq(gatheringSignups.gatheringId, gatheringId),
        eq(gatheringSignups.userId, userId),
        ne(gatheringSignups.status, 'cancelled'),
      ),
    )
    .get();
  return row ? { id: row.id, status: row.status as SignupState } : null;
}

export function confirmedCount(db: Db, gatheringId: number): number {
  return (
    db.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM gathering_signups WHERE gathering_id = ${gatheringId} AND status = 'confirmed'`,
    )?.n ?? 0
  );
}

/** Position on the waiting list (1 = next to get a seat), or null. */
export function waitingPosition(db: Db, gatheringId: number, signupId: number): number | null {
  const row = db.get<{ n: number }>(sql`
    SELECT count(*) AS n FROM gathering_signups
    WHERE gathering_id = ${gatheringId} AND status = 'waiting' AND id <= ${signupId}`);
  return row && row.n > 0 ? row.n : null;
}

/** Signs the person up: a seat if one is free, else the waiting list. Idempotent. */
export function signUp(db: Db, gathering: Gathering, userId: number, now = new Date()): SignupState {
  return withTransaction(
    db,
    (tx) => {
      const current = tx.select().from(gatherings).where(eq(gatherings.id, gathering.id)).get()!;
      if (current.cancelledAt) throw new RuleError('signup.error.cancelled');
      if (now >= current.startsAt) throw new RuleError('signup.error.closed');
      if (!isEnrolled(tx, current.cycleId, userId)) throw new RuleError('signup.error.notEnrolled');
      const existing = signupOf(tx, current.id, userId);
      if (existing) return existing.status;
      const status = confirmedCount(tx, current.id) < current.capacity ? 'confirmed' : 'waiting';
      tx.insert(gatheringSignups)
        .values({
          gatheringId: current.id,
          userId,
          status,
          createdAt: now,
          confirmedAt: status === 'confirmed' ? now : null,
        })
        .run();
      return status;
    },
    'immediate',
  );
}

/**
 * Gives free seats to the first people waiting, in order, and emails each. Returns their ids.
 * Runs inside the caller's transaction.
 */
export function promoteWaiting(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  gatheringId: number,
  now = new Date(),
): number[] {
  const g = db.select().from(gatherings).where(eq(gatherings.id, gatheringId)).get()!;
  if (g.cancelledAt || now >= g.startsAt) return [];
  const free = g.capacity - confirmedCount(db, gatheringId);
  if (free <= 0) return [];
  const next = db
    .select({
      id: gatheringSignups.id,
      userId: gatheringSignups.userId,
      email: users.email,
      name: users.displayName,
    })
    .from(gatheringSignups)
    .innerJoin(users, eq(users.id, gatheringSignups.userId))
    .where(and(eq(gatheringSignups.gatheringId, gatheringId), eq(gatheringSignups.status, 'waiting')))
    .orderBy(asc(gatheringSignups.id))
    .limit(free)
    .all();
  const t = translator('fr');
  for (const person of next) {
    db.update(gatheringSignups)
      .set({ status: 'confirmed', confirmedAt: now })
      .where(eq(gatheringSignups.id, person.id))
      .run();
    mailer.send({
      to: person.email,
      subject: t('mail.seatFreed.subject', { title: g.title }),
      text: t('mail.seatFreed.body', {
        name: person.name,
        title: g.title,
        when: `${formatRange(g.startsAt, g.endsAt, g.timeZone)} (heure de ${zoneName(g.timeZone)})`,
        url: `${baseUrl}/gatherings/${g.id}`,
      }),
    });
  }
  return next.map((p) => p.userId);
}

/** Why the person may not cancel their sign-up now, or null: the page and the domain ask the same. */
export function cancelRefusal(
  db: Db,
  gathering: Pick<Gathering, 'id' | 'startsAt'>,
  userId: number,
  now: Date,
): MessageKey | null {
  if (isMarkedPresent(db, gathering.id, userId)) return 'signup.error.markedPresent';
  if (now >= gathering.startsAt) return 'signup.error.started';
  return null;
}

/** Cancels the person's sign-up; a freed seat goes to the first person waiting. */
export function cancelSignup(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  gathering: Gathering,
  userId: number,
  now = new Date(),
): void {
  withTransaction(
    db,
    (tx) => {
      const existing = signupOf(tx, gathering.id, userId);
      if (!existing) return;
      const current = tx.select().from(gatherings).where(eq(gatherings.id, gathering.id)).get()!;
      const refusal = cancelRefusal(tx, current, userId, now);
      if (refusal) throw new RuleError(refusal);
      tx.update(gatheringSignups)
        .set({ status: 'cancelled', cancelledAt: now })
        .where(eq(gatheringSignups.id, existing.id))
        .run();
      if (existing.status === 'confirmed') promoteWaiting(tx, mailer, baseUrl, gathering.id, now);
    },
    'immediate',
  );
}

/** The person's next séances (seat or waiting list), soonest first. One prepared statement: it is on the home page. */
export function upcomingSignups(db: Db, userId: number, now = new Date(), limit = 3) {
  return sqliteOf(db)
    .prepare(
      `SELECT g.id, g.title, g.starts_at AS startsAt, g.ends_at AS endsAt, g.time_zone AS timeZone,
        s.status, g.cancelled_at AS cancelledAt
      FROM gathering_signups s JOIN gatherings g ON g.id = s.gathering_id
      WHERE s.user_id = ? AND s.status <> 'cancelled' AND g.ends_at > ?
      ORDER BY g.starts_at LIMIT ?`,
    )
    .all(userId, now.getTime(), limit) as Array<{
    id: number;
    title: string;
    startsAt: number;
    endsAt: number;
    timeZone: string;
    status: 'confirmed' | 'waiting';
    cancelledAt: number | null;
  }>;
}

/**
 * Someone who leaves a cycle (or, with `cycleId` null, whose account is erased) gives up their seats
 * in its séances to come: the waiting list moves up. A seat where they are already marked present
 * (the roll call opens before the start) stays theirs: they came.
 */
export function cancelUpcomingSignups(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  cycleId: number | null,
  userId: number,
  now = new Date(),
): void {
  const upcoming = db
    .select()
    .from(gatherings)
    .where(
      and(
        cycleId === null ? undefined : eq(gatherings.cycleId, cycleId),
        gt(gatherings.startsAt, now),
        sql`${gatherings.id} IN (SELECT gathering_id FROM gathering_signups WHERE user_id = ${userId} AND status <> 'cancelled')`,
        sql`${gatherings.id} NOT IN (SELECT gathering_id FROM attendance WHERE user_id = ${userId} AND status = 'present')`,
      ),
    )
    .all();
  for (const gathering of upcoming) cancelSignup(db, mailer, baseUrl, gathering, userId, now);
}

// The séances the home pages show. A member: the ones they signed up for (next ones with their
// seat or place on the waiting list, past ones with what the roll call says). Whoever runs séances
// (a cycle's trainers and coordinators, a séance's facilitator, the national team): the next ones
// with their seats, the ones whose roll call is open now, and the past ones whose sheet is still
// open. The home is the most visited page: each list is one prepared statement on an index
// (gatherings by cycle, facilitator or start; sign-ups and attendance by person).
import type { Db } from '../db/client.ts';
import { sqliteOf } from '../db/client.ts';
import type { AttendanceStatus, GatheringMode } from '../db/schema.ts';
import { closeRefusal, MARKING_OPENS_BEFORE_START_MS, markRefusal } from '../gatherings/roll-call-rules.ts';

/** A séance's times as the home's queries read them (UTC milliseconds). */
interface RollCallTimes {
  startsAt: number;
  endsAt: number;
  cancelledAt: number | null;
  attendanceClosedAt: number | null;
  attendanceReopenedAt: number | null;
}

const at = (ms: number | null) => (ms === null ? null : new Date(ms));

function sheet(g: RollCallTimes) {
  return {
    startsAt: new Date(g.startsAt),
    endsAt: new Date(g.endsAt),
    cancelledAt: at(g.cancelledAt),
    attendanceClosedAt: at(g.attendanceClosedAt),
    attendanceReopenedAt: at(g.attendanceReopenedAt),
  };
}

/**
 * The big « Faire l’émargement » button: presence can be marked now (the roll call's own rule,
 * gatherings/roll-call-rules.ts: from 30 minutes before the start) and the séance is not over.
 */
export function rollCallOpen(g: RollCallTimes, now: Date): boolean {
  return now.getTime() < g.endsAt && markRefusal(sheet(g), 'present', now) === null;
}

/** Over, and its sheet may still be closed (not cancelled, not closed): « Émargement à clôturer ». */
export function sheetToClose(g: RollCallTimes, now: Date): boolean {
  return g.endsAt <= now.getTime() && closeRefusal(sheet(g), now) === null;
}

// ——— Whoever runs séances ———

export interface RunnerSeance extends RollCallTimes {
  id: number;
  cycleId: number;
  cycleName: string;
  title: string;
  timeZone: string;
  mode: GatheringMode;
  placeName: string;
  town: string;
  capacity: number;
  confirmed: number;
  waiting: number;
}

/**
 * Whose séances: `all` for the national team; otherwise those of the cycles of `collectiveIds`
 * (the collectives where the person is trainer or coordinator: the rule of canManageCycle) and
 * those the person facilitates, in any cycle.
 */
export type RunnerScope = { all: true } | { all: false; collectiveIds: number[]; userId: number };

const seanceColumns = `g.id, g.cycle_id AS cycleId, c.name AS cycleName, g.title, g.starts_at AS startsAt,
  g.ends_at AS endsAt, g.time_zone AS timeZone, g.mode, g.place_name AS placeName, g.town, g.capacity,
  g.cancelled_at AS cancelledAt, g.attendance_closed_at AS attendanceClosedAt,
  g.attendance_reopened_at AS attendanceReopenedAt`;

/** Seats taken and people waiting, counted for the few rows of `inner` only (after its LIMIT). */
function withSeats(inner: string): string {
  return `SELECT x.*,
    (SELECT count(*) FROM gathering_signups s WHERE s.gathering_id = x.id AND s.status = 'confirmed') AS confirmed,
    (SELECT count(*) FROM gathering_signups s WHERE s.gathering_id = x.id AND s.status = 'waiting') AS waiting
  FROM (${inner}) x`;
}

/** Ids of the scope's séances matching `condition` (on `g`), each branch on its own index. */
function scopedIds(scope: RunnerScope, condition: string): string {
  if (scope.all) return `SELECT g.id FROM gatherings g WHERE ${condition}`;
  return `SELECT g.id FROM cycles cy JOIN gatherings g ON g.cycle_id = cy.id
      WHERE cy.collective_id IN (SELECT value FROM json_each(@collectives)) AND ${condition}
    UNION SELECT g.id FROM gatherings g WHERE g.facilitator_id = @me AND ${condition}`;
}

function scopeParams(scope: RunnerScope) {
  return scope.all ? {} : { collectives: JSON.stringify(scope.collectiveIds), me: scope.userId };
}

/**
 * The scope's séances not over yet (the one under way first), not cancelled: at most `limit`.
 * For the national team, only those starting within `horizonDays` (the whole network's list is
 * the dashboards' job).
 */
export function upcomingRunnerSeances(db: Db, scope: RunnerScope, now: Date, limit = 5): RunnerSeance[] {
  const condition = scope.all
    ? // gatherings_starts_idx: a séance lasts less than a day.
      'g.starts_at > @now - 86400000 AND g.ends_at > @now AND g.cancelled_at IS NULL'
    : 'g.ends_at > @now AND g.cancelled_at IS NULL';
  return sqliteOf(db)
    .prepare(
      withSeats(`SELECT ${seanceColumns} FROM gatherings g JOIN cycles c ON c.id = g.cycle_id
      WHERE g.id IN (${scopedIds(scope, condition)})
      ORDER BY g.starts_at, g.id LIMIT @limit`),
    )
    .all({ ...scopeParams(scope), now: now.getTime(), limit }) as RunnerSeance[];
}

/** Séances over whose sheet is still open, most recent first (at most `limit`), and how many in all. */
export function sheetsToClose(
  db: Db,
  scope: RunnerScope,
  now: Date,
  limit = 5,
): { seances: RunnerSeance[]; total: number } {
  const condition = 'g.ends_at <= @now AND g.cancelled_at IS NULL AND g.attendance_closed_at IS NULL';
  const rows = sqliteOf(db)
    .prepare(
      withSeats(`SELECT ${seanceColumns}, count(*) OVER () AS total FROM gatherings g JOIN cycles c ON c.id = g.cycle_id
      WHERE g.id IN (${scopedIds(scope, condition)})
      ORDER BY g.starts_at DESC, g.id LIMIT @limit`),
    )
    .all({ ...scopeParams(scope), now: now.getTime(), limit }) as Array<RunnerSeance & { total: number }>;
  return {
    seances: rows.map(({ total: _, ...seance }) => seance),
    total: rows[0]?.total ?? 0,
  };
}

/** Séances a person leads (a learner may lead a peer exchange) whose roll call is open or to close. */
export function facilitatedRollCalls(db: Db, userId: number, now: Date): RunnerSeance[] {
  return sqliteOf(db)
    .prepare(
      withSeats(`SELECT ${seanceColumns} FROM gatherings g JOIN cycles c ON c.id = g.cycle_id
      WHERE g.facilitator_id = @me AND g.starts_at <= @opens
        AND g.cancelled_at IS NULL AND g.attendance_closed_at IS NULL
      ORDER BY g.starts_at DESC LIMIT 5`),
    )
    .all({ me: userId, opens: now.getTime() + MARKING_OPENS_BEFORE_START_MS }) as RunnerSeance[];
}

export interface RunnerCycle {
  id: number;
  name: string;
  collectiveName: string | null;
  learners: number;
  /** 1 when the person runs the cycle (its collective's), 0 when they only lead séances of it. */
  managed: number;
  /** The next séance not over yet, not cancelled. */
  nextStartsAt: number | null;
  nextEndsAt: number | null;
  nextTimeZone: string | null;
}

/**
 * The cycles a person runs (their collectives') or leads séances of, not archived and not over
 * (`today`, `YYYY-MM-DD`), newest first, with their learners and next séance.
 */
export function runnerCycles(
  db: Db,
  scope: { collectiveIds: number[]; userId: number },
  now: Date,
  today: string,
  limit = 10,
): RunnerCycle[] {
  return sqliteOf(db)
    .prepare(
      `SELECT c.id, c.name, o.name AS collectiveName,
        c.collective_id IN (SELECT value FROM json_each(@collectives)) AS managed,
        (SELECT count(*) FROM cycle_members cm WHERE cm.cycle_id = c.id AND cm.withdrawn_at IS NULL) AS learners,
        n.starts_at AS nextStartsAt, n.ends_at AS nextEndsAt, n.time_zone AS nextTimeZone
      FROM cycles c
      LEFT JOIN organizations o ON o.id = c.collective_id
      LEFT JOIN gatherings n ON n.id = (SELECT g.id FROM gatherings g
        WHERE g.cycle_id = c.id AND g.ends_at > @now AND g.cancelled_at IS NULL ORDER BY g.starts_at LIMIT 1)
      WHERE c.archived_at IS NULL AND c.ends_on >= @today
        AND (c.collective_id IN (SELECT value FROM json_each(@collectives))
          OR c.id IN (SELECT g.cycle_id FROM gatherings g WHERE g.facilitator_id = @me AND g.ends_at > @now))
      ORDER BY c.starts_on DESC, c.id LIMIT @limit`,
    )
    .all({
      collectives: JSON.stringify(scope.collectiveIds),
      me: scope.userId,
      now: now.getTime(),
      today,
      limit,
    }) as RunnerCycle[];
}

// ——— A member's own séances ———

export interface MemberUpcoming {
  id: number;
  title: string;
  startsAt: number;
  endsAt: number;
  timeZone: string;
  mode: GatheringMode;
  placeName: string;
  town: string;
  cancelledAt: number | null;
  status: 'confirmed' | 'waiting';
  /** Place on the waiting list (1 = next to get a seat), when waiting. */
  position: number | null;
}

/** The person's next séances (seat or waiting list), soonest first. */
export function memberUpcoming(db: Db, userId: number, now: Date, limit = 3): MemberUpcoming[] {
  return sqliteOf(db)
    .prepare(
      `SELECT g.id, g.title, g.starts_at AS startsAt, g.ends_at AS endsAt, g.time_zone AS timeZone,
        g.mode, g.place_name AS placeName, g.town, g.cancelled_at AS cancelledAt, s.status,
        CASE WHEN s.status = 'waiting' THEN (SELECT count(*) FROM gathering_signups w
          WHERE w.gathering_id = g.id AND w.status = 'waiting' AND w.id <= s.id) END AS position
      FROM gathering_signups s JOIN gatherings g ON g.id = s.gathering_id
      WHERE s.user_id = ? AND s.status <> 'cancelled' AND g.ends_at > ?
      ORDER BY g.starts_at LIMIT ?`,
    )
    .all(userId, now.getTime(), limit) as MemberUpcoming[];
}

export interface MemberPast {
  id: number;
  title: string;
  startsAt: number;
  endsAt: number;
  timeZone: string;
  cancelledAt: number | null;
  attendanceClosedAt: number | null;
  /** What the roll call says of the person, if they were marked. */
  mark: AttendanceStatus | null;
  /** Their sign-up, if any (a person marked as a walk-in has none). */
  signup: 'confirmed' | 'waiting' | null;
}

/** Séances over that the person signed up for or was marked at, most recent first. */
export function memberPast(db: Db, userId: number, now: Date, limit = 3): MemberPast[] {
  return sqliteOf(db)
    .prepare(
      `SELECT g.id, g.title, g.starts_at AS startsAt, g.ends_at AS endsAt, g.time_zone AS timeZone,
        g.cancelled_at AS cancelledAt, g.attendance_closed_at AS attendanceClosedAt,
        a.status AS mark, s.status AS signup
      FROM gatherings g
      LEFT JOIN attendance a ON a.gathering_id = g.id AND a.user_id = @me
      LEFT JOIN gathering_signups s ON s.gathering_id = g.id AND s.user_id = @me AND s.status <> 'cancelled'
      WHERE g.id IN (
          SELECT gathering_id FROM gathering_signups WHERE user_id = @me AND status <> 'cancelled'
          UNION SELECT gathering_id FROM attendance WHERE user_id = @me)
        AND g.ends_at <= @now
      ORDER BY g.starts_at DESC LIMIT @limit`,
    )
    .all({ me: userId, now: now.getTime(), limit }) as MemberPast[];
}

/** What a member reads about a séance that is over. */
export type PastState = AttendanceStatus | 'over' | 'cancelled' | 'waiting';

export function pastState(p: MemberPast): PastState {
  if (p.cancelledAt !== null) return 'cancelled';
  if (p.mark !== null) return p.mark;
  if (p.signup === 'waiting') return 'waiting';
  // Not marked: the sheet is still open (closing it marks whoever is left as absent).
  return 'over';
}

// The séances the home pages show. A member: the ones they signed up for (next ones with their
// seat or place on the waiting list, past ones with what the roll call says). Whoever runs séances
// (a cycle's trainers and coordinators, a séance's facilitator, the national team): the next ones
// with their seats, the ones whose roll call is open now, and the past ones whose sheet is still
// open. The home is the most visited page: each list is one prepared statement on an index
// (gatherings by cycle, facilitator or start; sign-ups and attendance by person).

import { closeRefusal, MARKING_OPENS_BEFORE_START_MS, markRefusal } from '../attendance/roll-call-rules.ts';
import type { Db } from '../db/client.ts';
import { sqliteOf } from '../db/client.ts';
import { prepared } from '../db/prepared.ts';
import type { AttendanceStatus, GatheringMode } from '../db/schema.ts';

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
 * attendance/roll-call-rules.ts: from 30 minutes before the start) and the séance is not over.
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
 * (the collectives where the person is trainer or coordinator: the rule of policy.ts's mayManageCycle) and
 * those the person facilitates, in any cycle.
 */
export type RunnerScope = { all: true } | { all: false; collectiveIds: number[]; userId: number };

const seanceColumns = `g.id, g.cycle_id AS cycleId, c.name AS cycleName, g.title, g.starts_at AS startsAt,
  g.ends_at AS endsAt, g.time_zone AS timeZone, g.mode, g.place_name AS placeName, g.town, g.capacity,
  g.cancelled_at AS cancelledAt, g.attendance_closed_at AS attendanceClosedAt,
  g.attendance_reopened_at AS attendanceReopenedAt`;

/** `IN (…)` of integer ids written in the SQL text (a statement per list, kept prepared). */
function inList(ids: readonly number[]): string {
  if (!ids.every(Number.isSafeInteger)) throw new Error('ids must be integers');
  return ids.length === 0 ? 'NULL' : ids.join(', ');
}

/** Not cancelled, and either not over or with its sheet still open. */
const actionable = 'cancelled_at IS NULL AND (ends_at > @now OR attendance_closed_at IS NULL)';

/** The scope's actionable séances, each branch on its own index (gatherings by cycle, by facilitator). */
function scopedSeances(scope: RunnerScope): string {
  if (scope.all)
    // The national team: the week to come, and every sheet left open.
    return `SELECT * FROM gatherings WHERE ${actionable} AND (ends_at <= @now OR starts_at < @now + ${7 * 86_400_000})`;
  return `SELECT * FROM gatherings
      WHERE cycle_id IN (SELECT id FROM cycles WHERE collective_id IN (${inList(scope.collectiveIds)})) AND ${actionable}
    UNION SELECT * FROM gatherings WHERE facilitator_id = @me AND ${actionable}`;
}

export interface RunnerSeances {
  /** Not over, soonest first (the one under way first). */
  upcoming: RunnerSeance[];
  /** Over with the sheet still open, most recent first. */
  toClose: RunnerSeance[];
  toCloseTotal: number;
}

/**
 * In one statement: the scope's next séances (at most `upcomingLimit`) and those over whose sheet
 * is still open (at most `toCloseLimit`, and how many in all); seats counted for those rows only.
 */
export function runnerSeances(
  db: Db,
  scope: RunnerScope,
  now: Date,
  upcomingLimit = 5,
  toCloseLimit = 5,
): RunnerSeances {
  const rows = sqliteOf(db)
    .prepare(
      `SELECT x.*,
        (SELECT count(*) FROM gathering_signups s WHERE s.gathering_id = x.id AND s.status = 'confirmed') AS confirmed,
        (SELECT count(*) FROM gathering_signups s WHERE s.gathering_id = x.id AND s.status = 'waiting') AS waiting
      FROM (
        SELECT ${seanceColumns}, g.ends_at <= @now AS over,
          row_number() OVER (PARTITION BY g.ends_at <= @now
            ORDER BY CASE WHEN g.ends_at <= @now THEN -g.starts_at ELSE g.starts_at END, g.id) AS rank,
          count(*) OVER (PARTITION BY g.ends_at <= @now) AS total
        FROM (${scopedSeances(scope)}) g JOIN cycles c ON c.id = g.cycle_id
      ) x
      WHERE x.rank <= CASE WHEN x.over THEN @toCloseLimit ELSE @upcomingLimit END
      ORDER BY x.over, x.rank`,
    )
    .all({
      ...(scope.all ? {} : { me: scope.userId }),
      now: now.getTime(),
      upcomingLimit,
      toCloseLimit,
    }) as Array<RunnerSeance & { over: number; rank: number; total: number }>;
  const result: RunnerSeances = { upcoming: [], toClose: [], toCloseTotal: 0 };
  for (const { over, rank: _, total, ...seance } of rows) {
    if (over) {
      result.toClose.push(seance);
      result.toCloseTotal = total;
    } else result.upcoming.push(seance);
  }
  return result;
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
        c.collective_id IN (${inList(scope.collectiveIds)}) AS managed,
        (SELECT count(*) FROM cycle_members cm WHERE cm.cycle_id = c.id AND cm.withdrawn_at IS NULL) AS learners,
        n.starts_at AS nextStartsAt, n.ends_at AS nextEndsAt, n.time_zone AS nextTimeZone
      FROM cycles c
      LEFT JOIN organizations o ON o.id = c.collective_id
      LEFT JOIN gatherings n ON n.id = (SELECT g.id FROM gatherings g
        WHERE g.cycle_id = c.id AND g.ends_at > @now AND g.cancelled_at IS NULL ORDER BY g.starts_at LIMIT 1)
      WHERE c.archived_at IS NULL AND c.ends_on >= @today
        AND (c.collective_id IN (${inList(scope.collectiveIds)})
          OR c.id IN (SELECT g.cycle_id FROM gatherings g WHERE g.facilitator_id = @me AND g.ends_at > @now))
      ORDER BY c.starts_on DESC, c.id LIMIT @limit`,
    )
    .all({ me: scope.userId, now: now.getTime(), today, limit }) as RunnerCycle[];
}

// ——— A member's own séances ———

export interface MemberSeance {
  id: number;
  title: string;
  startsAt: number;
  endsAt: number;
  timeZone: string;
  mode: GatheringMode;
  placeName: string;
  town: string;
  cancelledAt: number | null;
  attendanceClosedAt: number | null;
  /** Their sign-up, if any (a person marked as a walk-in has none). */
  signup: 'confirmed' | 'waiting' | null;
  /** What the roll call says of the person, if they were marked. */
  mark: AttendanceStatus | null;
  /** Place on the waiting list (1 = next to get a seat), when waiting for a séance to come. */
  position: number | null;
}

/** Past séances older than this are not on the home. */
const PAST_WINDOW_MS = 365 * 86_400_000;

const memberColumns = `g.id, g.title, g.starts_at AS startsAt, g.ends_at AS endsAt, g.time_zone AS timeZone,
  g.mode, g.place_name AS placeName, g.town, g.cancelled_at AS cancelledAt,
  g.attendance_closed_at AS attendanceClosedAt, g.attendance_reopened_at AS attendanceReopenedAt`;

/**
 * Rows: the person's sign-ups (kind 0), the marks of the roll calls they are on (kind 1: a mark
 * of a séance they signed up for is joined to it below, else it is a walk-in), the séances they
 * lead (kind 2). Each branch walks one index of the person; nothing is looked up twice.
 */
const MEMBER_SEANCES = `SELECT 0 AS kind, ${memberColumns}, s.status AS signup, NULL AS mark,
    CASE WHEN s.status = 'waiting' AND g.ends_at > @now THEN (SELECT count(*) FROM gathering_signups w
      WHERE w.gathering_id = g.id AND w.status = 'waiting' AND w.id <= s.id) END AS position,
    NULL AS cycleId, NULL AS cycleName, NULL AS capacity, NULL AS confirmed, NULL AS waiting
  FROM gathering_signups s JOIN gatherings g ON g.id = s.gathering_id
  WHERE s.user_id = @me AND s.status <> 'cancelled' AND g.starts_at > @since
  UNION ALL
  SELECT 1, ${memberColumns}, NULL, a.status, NULL, NULL, NULL, NULL, NULL, NULL
  FROM attendance a JOIN gatherings g ON g.id = a.gathering_id
  WHERE a.user_id = @me AND g.starts_at > @since
  UNION ALL
  SELECT 2, ${memberColumns}, NULL, NULL, NULL, g.cycle_id, c.name, g.capacity,
    (SELECT count(*) FROM gathering_signups s WHERE s.gathering_id = g.id AND s.status = 'confirmed'),
    (SELECT count(*) FROM gathering_signups s WHERE s.gathering_id = g.id AND s.status = 'waiting')
  FROM gatherings g JOIN cycles c ON c.id = g.cycle_id
  WHERE g.facilitator_id = @me AND g.starts_at <= @opens
    AND g.cancelled_at IS NULL AND g.attendance_closed_at IS NULL`;

/**
 * In one statement: the séances the person signed up for or was marked at (the last year's and
 * those to come) and the peer-exchange séances they lead whose roll call may be open or left to
 * close (`led`, with their seats), each in date order.
 */
export function memberSeances(
  db: Db,
  userId: number,
  now: Date,
): { mine: MemberSeance[]; led: RunnerSeance[] } {
  const rows = prepared(db, 'home.memberSeances', (d) => sqliteOf(d).prepare(MEMBER_SEANCES)).all({
    me: userId,
    now: now.getTime(),
    since: now.getTime() - PAST_WINDOW_MS,
    opens: now.getTime() + MARKING_OPENS_BEFORE_START_MS,
  }) as Array<MemberSeance & RunnerSeance & { kind: 0 | 1 | 2 }>;
  const mine = new Map<number, MemberSeance>();
  const marks: Array<MemberSeance> = [];
  const led: RunnerSeance[] = [];
  // The rows as they are (their `kind` is harmless): copying nineteen columns to drop one cost more
  // than the statement.
  for (const row of rows) {
    if (row.kind === 0) mine.set(row.id, row);
    else if (row.kind === 1) marks.push(row);
    else led.push(row);
  }
  for (const marked of marks) {
    const signedUp = mine.get(marked.id);
    if (signedUp) signedUp.mark = marked.mark;
    else mine.set(marked.id, marked);
  }
  // Sorted here: a few rows, and no sorting step in each branch of the statement.
  const byDate = (a: { startsAt: number; id: number }, b: { startsAt: number; id: number }) =>
    a.startsAt - b.startsAt || a.id - b.id;
  return { mine: [...mine.values()].sort(byDate), led: led.sort(byDate) };
}

/** What a member reads about a séance that is over. */
export type PastState = AttendanceStatus | 'over' | 'cancelled' | 'waiting';

export function pastState(p: MemberSeance): PastState {
  if (p.cancelledAt !== null) return 'cancelled';
  if (p.mark !== null) return p.mark;
  if (p.signup === 'waiting') return 'waiting';
  // Not marked: the sheet is still open (closing it marks whoever is left as absent).
  return 'over';
}

// The dashboards' summaries. One population of people at a time — the members of one collective,
// or the members of one cycle — is reduced to small rows keyed by (collective, qpv): counts, a
// 0–100 % completion histogram (exact median and distribution), skills acquired, members by day
// of last activity, newly enrolled / finished / certified per month, seats and presences per
// séance. The collectives' summaries are stored (dashboard_* tables) and recomputed only when SQL
// triggers have marked the collective dirty; a cycle's are computed on the fly (a cycle is small).
import { type SQL, sql } from 'drizzle-orm';
import { type Db, sqliteOf, withTransaction } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
import { repeat } from '../lib/jobs.ts';
import { parisDay } from '../lib/time.ts';
import { FOLLOWER_SQL } from '../policy/policy.ts';
import { invalidateDashboards } from './cache.ts';
import { activeSinceDay, computeOsims } from './members.ts';

export interface BaseRow {
  cid: number;
  qpv: number;
  members: number;
  /** Null for a cycle's population (invitations are not to a cycle). */
  invited: number | null;
  enrolled: number;
  quizzesAttempted: number;
  quizzesPassed: number;
}
/** How many people of (collective, qpv) have this completion, skill or day of last activity. */
export interface CountRow<V> {
  cid: number;
  qpv: number;
  key: V;
  n: number;
}
export interface MonthlyRow {
  cid: number;
  qpv: number;
  month: string;
  enrolments: number;
  completions: number;
  certificates: number;
}
export interface SeatRow {
  cid: number;
  qpv: number;
  gatheringId: number;
  endsAt: number;
  confirmed: number;
  present: number;
}

export interface Summaries {
  base: BaseRow[];
  completion: CountRow<number>[];
  skills: CountRow<string>[];
  activity: CountRow<string>[];
  monthly: MonthlyRow[];
  seats: SeatRow[];
  /** Everyone of the population, for the members' table in name order. */
  people: { cid: number; uid: number; qpv: number; sortKey: string }[];
}

export type Population =
  | { collectiveId: number }
  | { cycleId: number /** Only these collectives' members; null: all. */; collectiveIds: number[] | null };

/** `pop(cid, uid, qpv)`: each person once per collective, qpv = 1 if one of their OSIMs there acts in QPV. */
function populationCte(p: Population): SQL {
  const person = sql`JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL`;
  if ('collectiveId' in p)
    return sql`pop AS (
      SELECT ${p.collectiveId} AS cid, m.user_id AS uid, max(o.acts_in_qpv) AS qpv
      FROM organizations o
      JOIN memberships m ON m.organization_id = o.id AND m.role = ${FOLLOWER_SQL} ${person}
      WHERE o.kind = 'osim' AND o.archived_at IS NULL AND (o.parent_id = ${p.collectiveId} OR o.federation_id = ${p.collectiveId})
      GROUP BY m.user_id)`;
  return sql`pop AS (
    SELECT c.id AS cid, m.user_id AS uid, max(o.acts_in_qpv) AS qpv
    FROM cycle_members cm
    JOIN memberships m ON m.user_id = cm.user_id AND m.role = ${FOLLOWER_SQL} ${person}
    JOIN organizations o ON o.id = m.organization_id AND o.kind = 'osim' AND o.archived_at IS NULL
    JOIN organizations c ON c.id IN (o.parent_id, o.federation_id) AND c.kind IN ('cosim', 'fosim') AND c.archived_at IS NULL
    WHERE cm.cycle_id = ${p.cycleId} AND cm.withdrawn_at IS NULL
      ${p.collectiveIds === null ? sql`` : sql`AND c.id IN (${idList(p.collectiveIds)})`}
    GROUP BY c.id, m.user_id)`;
}

/** Enrolled: an enrolment not withdrawn (in the cycle, for a cycle's population). */
function enrolmentFilter(p: Population): SQL {
  return 'cycleId' in p ? sql`AND cm.cycle_id = ${p.cycleId}` : sql``;
}

function bump<K>(map: Map<string, K>, key: string, make: () => K): K {
  let row = map.get(key);
  if (row === undefined) {
    row = make();
    map.set(key, row);
  }
  return row;
}

/** Reduces the population to its summary rows. */
export function computeSummaries(db: Db, p: Population, now = new Date()): Summaries {
  const pop = populationCte(p);
  const since = activeSinceDay(now);
  const people = db.all<{
    cid: number;
    uid: number;
    sortKey: string;
    qpv: number;
    enrolledAt: number | null;
    percent: number | null;
    completedAt: number | null;
    lastActivityAt: number | null;
    quizzesAttempted: number | null;
    quizzesPassed: number | null;
  }>(sql`
    WITH ${pop}
    SELECT pop.cid, pop.uid, u.sort_key AS sortKey, pop.qpv,
      (SELECT min(cm.enrolled_at) FROM cycle_members cm
        WHERE cm.user_id = pop.uid AND cm.withdrawn_at IS NULL ${enrolmentFilter(p)}) AS enrolledAt,
      ls.percent, ls.completed_at AS completedAt, ls.last_activity_at AS lastActivityAt,
      ls.quizzes_attempted AS quizzesAttempted, ls.quizzes_passed AS quizzesPassed
    FROM pop JOIN users u ON u.id = pop.uid LEFT JOIN learner_stats ls ON ls.user_id = pop.uid`);
  const base = new Map<string, BaseRow>();
  const completion = new Map<string, CountRow<number>>();
  const activity = new Map<string, CountRow<string>>();
  const monthly = new Map<string, MonthlyRow>();
  const month = (cid: number, qpv: number, m: string) =>
    bump(monthly, `${cid}:${qpv}:${m}`, () => ({
      cid,
      qpv,
      month: m,
      enrolments: 0,
      completions: 0,
      certificates: 0,
    }));
  const cycleMode = 'cycleId' in p;
  for (const r of people) {
    const b = bump(base, `${r.cid}:${r.qpv}`, () => ({
      cid: r.cid,
      qpv: r.qpv,
      members: 0,
      invited: cycleMode ? null : 0,
      enrolled: 0,
      quizzesAttempted: 0,
      quizzesPassed: 0,
    }));
    b.members += 1;
    b.quizzesAttempted += r.quizzesAttempted ?? 0;
    b.quizzesPassed += r.quizzesPassed ?? 0;
    const day = r.lastActivityAt === null ? null : parisDay(r.lastActivityAt);
    if (day !== null && day >= since)
      bump(activity, `${r.cid}:${r.qpv}:${day}`, () => ({ cid: r.cid, qpv: r.qpv, key: day, n: 0 })).n += 1;
    if (r.enrolledAt === null) continue;
    b.enrolled += 1;
    const percent = r.percent ?? 0;
    bump(completion, `${r.cid}:${r.qpv}:${percent}`, () => ({
      cid: r.cid,
      qpv: r.qpv,
      key: percent,
      n: 0,
    })).n += 1;
    month(r.cid, r.qpv, parisDay(r.enrolledAt).slice(0, 7)).enrolments += 1;
    if (percent >= 100 && r.completedAt !== null)
      month(r.cid, r.qpv, parisDay(r.completedAt).slice(0, 7)).completions += 1;
  }
  const certificates = db.all<{ cid: number; qpv: number; issuedAt: number }>(sql`
    WITH ${pop}
    SELECT pop.cid, pop.qpv, ce.issued_at AS issuedAt FROM pop
    JOIN certificates ce ON ce.user_id = pop.uid AND ce.revoked_at IS NULL
      ${cycleMode ? sql`AND ce.cycle_id = ${p.cycleId}` : sql``}`);
  for (const c of certificates) month(c.cid, c.qpv, parisDay(c.issuedAt).slice(0, 7)).certificates += 1;
  if (!cycleMode) {
    for (const i of db.all<{ qpv: number; n: number }>(sql`
      SELECT o.acts_in_qpv AS qpv, count(*) AS n FROM organizations o
      JOIN invitations i ON i.organization_id = o.id AND i.role = ${FOLLOWER_SQL}
      WHERE o.kind = 'osim' AND o.archived_at IS NULL AND (o.parent_id = ${p.collectiveId} OR o.federation_id = ${p.collectiveId})
      GROUP BY o.acts_in_qpv`))
      bump(base, `${p.collectiveId}:${i.qpv}`, () => ({
        cid: p.collectiveId,
        qpv: i.qpv,
        members: 0,
        invited: 0,
        enrolled: 0,
        quizzesAttempted: 0,
        quizzesPassed: 0,
      })).invited = i.n;
  }
  const enrolled = sql`enr AS (SELECT pop.* FROM pop WHERE EXISTS (
    SELECT 1 FROM cycle_members cm WHERE cm.user_id = pop.uid AND cm.withdrawn_at IS NULL ${enrolmentFilter(p)}))`;
  const skills = db.all<CountRow<string>>(sql`
    WITH ${pop}, ${enrolled}
    SELECT enr.cid, enr.qpv, s.skill_code AS key, count(*) AS n
    FROM enr JOIN learner_skills s ON s.user_id = enr.uid GROUP BY enr.cid, enr.qpv, s.skill_code`);
  const seats = db.all<SeatRow>(sql`
    WITH ${pop}
    SELECT pop.cid, pop.qpv, s.gathering_id AS gatheringId, g.ends_at AS endsAt, count(*) AS confirmed,
      coalesce(sum(a.status = 'present'), 0) AS present
    FROM pop JOIN gathering_signups s ON s.user_id = pop.uid AND s.status = 'confirmed'
    JOIN gatherings g ON g.id = s.gathering_id AND g.cancelled_at IS NULL
      ${
        cycleMode
          ? sql`AND g.cycle_id = ${p.cycleId}`
          : sql`AND g.cycle_id IN (SELECT id FROM cycles WHERE collective_id = ${p.collectiveId})`
      }
    LEFT JOIN attendance a ON a.gathering_id = s.gathering_id AND a.user_id = s.user_id
    GROUP BY pop.cid, pop.qpv, s.gathering_id`);
  return {
    base: [...base.values()],
    completion: [...completion.values()],
    skills,
    activity: [...activity.values()],
    monthly: [...monthly.values()],
    seats,
    people: people.map((r) => ({ cid: r.cid, uid: r.uid, qpv: r.qpv, sortKey: r.sortKey })),
  };
}

/** Recomputes and stores one collective's summary (its rows replaced in one transaction). */
export function refreshCollective(db: Db, collectiveId: number, now = new Date()): void {
  withTransaction(
    db,
    (tx) => {
      const s = computeSummaries(tx, { collectiveId }, now);
      const osims = computeOsims(tx, collectiveId, { cycleId: null, qpvOnly: false }, now);
      const client = sqliteOf(tx);
      client.prepare('DELETE FROM dashboard_dirty WHERE collective_id = ?').run(collectiveId);
      for (const table of tables)
        client.prepare(`DELETE FROM ${table} WHERE collective_id = ?`).run(collectiveId);
      const insert = (table: (typeof tables)[number], columns: string[], rows: unknown[][]) => {
        const statement = client.prepare(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        for (const row of rows) statement.run(...row);
      };
      const json = (rows: CountRow<number | string>[], b: BaseRow) =>
        JSON.stringify(
          Object.fromEntries(rows.filter((r) => r.cid === b.cid && r.qpv === b.qpv).map((r) => [r.key, r.n])),
        );
      insert(
        'dashboard_summary',
        [
          'collective_id',
          'qpv',
          'members',
          'invited',
          'enrolled',
          'quizzes_attempted',
          'quizzes_passed',
          'completion',
          'skills',
          'refreshed_at',
        ],
        s.base.map((b) => [
          b.cid,
          b.qpv,
          b.members,
          b.invited ?? 0,
          b.enrolled,
          b.quizzesAttempted,
          b.quizzesPassed,
          json(s.completion, b),
          json(s.skills, b),
          now.getTime(),
        ]),
      );
      insert(
        'dashboard_activity',
        ['collective_id', 'qpv', 'day', 'n'],
        s.activity.map((r) => [r.cid, r.qpv, r.key, r.n]),
      );
      insert(
        'dashboard_monthly',
        ['collective_id', 'qpv', 'month', 'enrolments', 'completions', 'certificates'],
        s.monthly.map((m) => [m.cid, m.qpv, m.month, m.enrolments, m.completions, m.certificates]),
      );
      // Séances over by now are summed per month; the others stay one row each.
      const seats = new Map<
        string,
        { month: string; qpv: number; id: number; endsAt: number; confirmed: number; present: number }
      >();
      for (const r of s.seats) {
        const over = r.endsAt <= now.getTime();
        const month = parisDay(r.endsAt).slice(0, 7);
        const row = bump(seats, `${r.qpv}:${month}:${over ? 0 : r.gatheringId}`, () => ({
          month,
          qpv: r.qpv,
          id: over ? 0 : r.gatheringId,
          endsAt: over ? 0 : r.endsAt,
          confirmed: 0,
          present: 0,
        }));
        row.confirmed += r.confirmed;
        row.present += r.present;
      }
      insert(
        'dashboard_seats',
        ['collective_id', 'qpv', 'month', 'gathering_id', 'ends_at', 'confirmed', 'present'],
        [...seats.values()].map((r) => [
          collectiveId,
          r.qpv,
          r.month,
          r.id,
          r.endsAt,
          r.confirmed,
          r.present,
        ]),
      );
      insert(
        'dashboard_people',
        ['collective_id', 'user_id', 'qpv', 'sort_key'],
        s.people.map((r) => [r.cid, r.uid, r.qpv, r.sortKey]),
      );
      insert(
        'dashboard_osims',
        [
          'collective_id',
          'osim_id',
          'members',
          'enrolled',
          'median_percent',
          'completions',
          'quizzes_passed',
          'attended',
          'certificates',
        ],
        osims.figures
          .filter((o) => o.members > 0)
          .map((o) => [
            collectiveId,
            o.id,
            o.members,
            o.enrolled,
            o.medianPercent,
            o.completions,
            o.quizzesPassed,
            o.attended,
            o.certificates,
          ]),
      );
      insert(
        'dashboard_osim_activity',
        ['collective_id', 'osim_id', 'day', 'n'],
        osims.activity.map((a) => [collectiveId, a.osimId, a.day, a.n]),
      );
    },
    'immediate',
  );
  invalidateDashboards(db);
}

const tables = [
  'dashboard_summary',
  'dashboard_activity',
  'dashboard_monthly',
  'dashboard_seats',
  'dashboard_people',
  'dashboard_osims',
  'dashboard_osim_activity',
] as const;

/** The marked collectives (marks on other organizations, e.g. FORIM itself, are dropped). */
function dirtyIds(db: Db, ids: number[] | null): number[] {
  return db
    .all<{ id: number }>(sql`
      SELECT d.collective_id AS id FROM dashboard_dirty d
      JOIN organizations o ON o.id = d.collective_id AND o.kind IN ('cosim', 'fosim')
      ${ids === null ? sql`` : sql`WHERE d.collective_id IN (${idList(ids)})`}`)
    .map((r) => r.id);
}

/**
 * Recomputes the collectives marked dirty (only those of `ids` when given; at most `limit` of
 * them). Returns how many are still marked.
 */
export function refreshDirty(db: Db, ids: number[] | null = null, limit = Number.POSITIVE_INFINITY): number {
  const dirty = dirtyIds(db, ids);
  for (const id of dirty.slice(0, limit)) refreshCollective(db, id);
  return Math.max(0, dirty.length - limit);
}

const refreshing = new WeakSet<object>();

/**
 * Recomputes the marked collectives after the current request has been answered, one per turn of
 * the event loop so that requests keep being served in between (one run at a time).
 */
export function refreshSoon(
  db: Db,
  ids: number[] | null,
  onError: (error: unknown) => void = logError,
): void {
  const key = sqliteOf(db);
  if (refreshing.has(key)) return;
  refreshing.add(key);
  const next = () => {
    try {
      if (refreshDirty(db, ids, 1) > 0) {
        setImmediate(next);
        return;
      }
    } catch (error) {
      // A database busy with a long import, or closed: the marks stay, the job tries again.
      onError(error);
    }
    refreshing.delete(key);
  };
  setImmediate(next);
}

function logError(error: unknown): void {
  console.error('dashboard summary refresh failed:', error);
}

/** Marks every collective dirty (after bulk imports that bypass nothing but are faster in one go). */
export function refreshAll(db: Db, now = new Date()): number {
  db.run(
    sql`INSERT OR IGNORE INTO dashboard_dirty (collective_id) SELECT id FROM organizations WHERE kind IN ('cosim', 'fosim')`,
  );
  const ids = dirtyIds(db, null);
  for (const id of ids) refreshCollective(db, id, now);
  return ids.length;
}

/** Keeps the summaries fresh in the background, so a dashboard rarely has anything to recompute. */
export function startSummaryJob(db: Db, everyMs: number, onError: (error: unknown) => void): () => void {
  return repeat(
    () => {
      // Marks left on organizations that are not collectives (FORIM itself, by a staff role).
      db.run(sql`DELETE FROM dashboard_dirty WHERE collective_id NOT IN (
        SELECT id FROM organizations WHERE kind IN ('cosim', 'fosim'))`);
      refreshSoon(db, null, onError);
    },
    { firstAfterMs: 1000, everyMs },
    onError,
  );
}

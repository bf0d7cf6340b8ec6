// The dashboards' figures, per collective (COSIM / FOSIM): people invited, members, enrolled,
// active in the last 30 days, path completion (median and distribution), paths finished, quiz pass
// rate, séances held and attendance rate, certificates; the skills heat map and the monthly trend.
// They are assembled from the summaries (summaries.ts): the stored ones, recomputed first for the
// collectives marked dirty, or — when a cycle is chosen — the cycle's, computed on the fly.
//
// What the filters do: region and collectives choose the rows; "QPV" keeps the people who belong to
// an OSIM acting in QPV; a cycle keeps that cycle's enrolled members and séances; a period (whole
// months) counts the enrolments, finished paths, séances and certificates that fall in it, while
// the others (members, active, completion, quizzes, skills) are the situation today.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { parisDay, wallTimeToInstant } from '../lib/time.ts';
import { type BaseRow, computeSummaries, refreshDirty, type Summaries } from './summaries.ts';

export interface Period {
  /** First and last month included, `YYYY-MM`. */
  from: string;
  to: string;
}

export interface DashboardFilters {
  /** Only these collectives (a coordinator's); null: all. */
  collectiveIds: number[] | null;
  region: string | null;
  /** Only people of OSIMs acting in QPV. */
  qpvOnly: boolean;
  cycleId?: number | null;
  period?: Period | null;
}

export interface Counts {
  /** Null when a cycle is chosen (invitations are to an OSIM, not to a cycle). */
  invited: number | null;
  members: number;
  enrolled: number;
  active30: number;
  medianPercent: number | null;
  /** Enrolled members by completion: 0 %, 1–24, 25–49, 50–74, 75–99, 100 %. */
  distribution: number[];
  /** Paths finished (in the period, if one is chosen). */
  completions: number;
  quizzesAttempted: number;
  quizzesPassed: number;
  gatheringsHeld: number;
  seatsConfirmed: number;
  /** People with a seat who came (walk-ins are not counted: the rate is of those expected). */
  present: number;
  certificates: number;
}

export interface CollectiveFigures extends Counts {
  id: number;
  name: string;
  kind: 'cosim' | 'fosim';
  region: string | null;
}

export interface HeatCell {
  cid: number;
  skillCode: string;
  acquired: number;
  enrolled: number;
}

export interface MonthPoint {
  month: string;
  enrolments: number;
  completions: number;
}

export interface Dashboard {
  rows: CollectiveFigures[];
  /** One line per kind present (COSIM, FOSIM): an OSIM can be in both, so there is no grand total. */
  subtotals: (Counts & { kind: 'cosim' | 'fosim' })[];
  heat: HeatCell[];
  /** Per month, over the COSIM rows (or the FOSIM rows when there is no COSIM). */
  trend: MonthPoint[];
  /** Séances held by national cycles in the scope (not in any collective's line). */
  nationalGatherings: number;
}

export const BUCKETS = ['0 %', '1–24 %', '25–49 %', '50–74 %', '75–99 %', '100 %'] as const;

function bucket(percent: number): number {
  if (percent <= 0) return 0;
  if (percent >= 100) return 5;
  return 1 + Math.floor(percent / 25);
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The median of a histogram (value → how many), the same as median() of the values. */
export function histogramMedian(histogram: Map<number, number>): number | null {
  const entries = [...histogram].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const at = (index: number) => {
    let seen = 0;
    for (const [value, n] of entries) {
      seen += n;
      if (index < seen) return value;
    }
    return entries.at(-1)![0];
  };
  const lo = at((total - 1) >> 1);
  const hi = at(total >> 1);
  return Math.round((lo + hi) / 2);
}

function idList(ids: number[]): SQL {
  return ids.length === 0
    ? sql`NULL`
    : sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      );
}

/** The period's bounds as instants: from the 1st of `from` to the 1st of the month after `to`, Paris time. */
export function periodBounds(period: Period): { start: number; end: number } {
  const [y, m] = period.to.split('-').map(Number) as [number, number];
  const after = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return {
    start: wallTimeToInstant(`${period.from}-01`, '00:00', 'Europe/Paris')!.getTime(),
    end: wallTimeToInstant(`${after}-01`, '00:00', 'Europe/Paris')!.getTime(),
  };
}

/** Months from `from` to `to` included, `YYYY-MM`. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let guard = 0; guard < 600; guard++) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to) break;
    months.push(month);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

interface Collective {
  id: number;
  name: string;
  kind: 'cosim' | 'fosim';
  region: string | null;
}

function collectivesFor(db: Db, f: DashboardFilters): Collective[] {
  if (f.collectiveIds !== null && f.collectiveIds.length === 0) return [];
  return db.all<Collective>(sql`
    SELECT id, name, kind, region FROM organizations
    WHERE kind IN ('cosim', 'fosim') AND archived_at IS NULL
      ${f.collectiveIds === null ? sql`` : sql`AND id IN (${idList(f.collectiveIds)})`}
      ${f.region === null ? sql`` : sql`AND region = ${f.region}`}
    ORDER BY kind, name COLLATE NOCASE`);
}

/** The stored summaries of these collectives (recomputed first if marked dirty). */
function storedSummaries(db: Db, ids: number[], activeSince: string): Summaries {
  refreshDirty(db, ids);
  const where = sql`collective_id IN (${idList(ids)})`;
  return {
    base: db.all<BaseRow>(sql`
      SELECT collective_id AS cid, qpv, members, invited, enrolled, quizzes_attempted AS quizzesAttempted,
        quizzes_passed AS quizzesPassed FROM dashboard_summary WHERE ${where}`),
    completion: db.all(
      sql`SELECT collective_id AS cid, qpv, percent AS key, n FROM dashboard_completion WHERE ${where}`,
    ),
    skills: db.all(
      sql`SELECT collective_id AS cid, qpv, skill_code AS key, n FROM dashboard_skills WHERE ${where}`,
    ),
    activity: db.all(
      sql`SELECT collective_id AS cid, qpv, day AS key, n FROM dashboard_activity WHERE ${where} AND day >= ${activeSince}`,
    ),
    monthly: db.all(sql`
      SELECT collective_id AS cid, qpv, month, enrolments, completions, certificates
      FROM dashboard_monthly WHERE ${where}`),
    seats: [],
  };
}

function emptyCounts(invited: number | null): Counts {
  return {
    invited,
    members: 0,
    enrolled: 0,
    active30: 0,
    medianPercent: null,
    distribution: [0, 0, 0, 0, 0, 0],
    completions: 0,
    quizzesAttempted: 0,
    quizzesPassed: 0,
    gatheringsHeld: 0,
    seatsConfirmed: 0,
    present: 0,
    certificates: 0,
  };
}

/** Every figure of the dashboard for these filters. */
export function dashboardFigures(db: Db, f: DashboardFilters, now = new Date()): Dashboard {
  const collectives = collectivesFor(db, f);
  const ids = collectives.map((c) => c.id);
  const cycleId = f.cycleId ?? null;
  const period = f.period ?? null;
  const bounds = period ? periodBounds(period) : null;
  const activeSince = parisDay(now.getTime() - 29 * 86400_000);
  const summaries =
    ids.length === 0
      ? { base: [], completion: [], skills: [], activity: [], monthly: [], seats: [] }
      : cycleId === null
        ? storedSummaries(db, ids, activeSince)
        : computeSummaries(db, { cycleId, collectiveIds: ids });
  const keep = (r: { cid: number; qpv: number }) => !f.qpvOnly || r.qpv === 1;
  const inPeriod = (month: string) => period === null || (month >= period.from && month <= period.to);

  const counts = new Map<number, Counts>(
    collectives.map((c) => [c.id, emptyCounts(cycleId === null ? 0 : null)]),
  );
  const histograms = new Map<number, Map<number, number>>();
  const periodEnrolments = new Map<number, number>();
  for (const b of summaries.base.filter(keep)) {
    const c = counts.get(b.cid);
    if (!c) continue;
    if (c.invited !== null) c.invited += b.invited ?? 0;
    c.members += b.members;
    c.enrolled += b.enrolled;
    c.quizzesAttempted += b.quizzesAttempted;
    c.quizzesPassed += b.quizzesPassed;
  }
  for (const r of summaries.completion.filter(keep)) {
    const c = counts.get(r.cid);
    if (!c) continue;
    c.distribution[bucket(r.key)]! += r.n;
    const h = histograms.get(r.cid) ?? new Map<number, number>();
    histograms.set(r.cid, h.set(r.key, (h.get(r.key) ?? 0) + r.n));
  }
  for (const r of summaries.activity.filter(keep))
    if (r.key >= activeSince) {
      const c = counts.get(r.cid);
      if (c) c.active30 += r.n;
    }
  const trendByMonth = new Map<string, MonthPoint>();
  const trendKind = collectives.some((c) => c.kind === 'cosim') ? 'cosim' : 'fosim';
  const kindOf = new Map(collectives.map((c) => [c.id, c.kind]));
  for (const m of summaries.monthly.filter(keep)) {
    const c = counts.get(m.cid);
    if (!c) continue;
    if (kindOf.get(m.cid) === trendKind) {
      const point = trendByMonth.get(m.month) ?? { month: m.month, enrolments: 0, completions: 0 };
      point.enrolments += m.enrolments;
      point.completions += m.completions;
      trendByMonth.set(m.month, point);
    }
    if (!inPeriod(m.month)) continue;
    c.completions += m.completions;
    c.certificates += m.certificates;
    periodEnrolments.set(m.cid, (periodEnrolments.get(m.cid) ?? 0) + m.enrolments);
  }
  for (const [cid, c] of counts) {
    c.medianPercent = histogramMedian(histograms.get(cid) ?? new Map());
    if (period !== null) c.enrolled = periodEnrolments.get(cid) ?? 0;
  }

  // Séances: held (ended, not cancelled) by the collective's cycles; seats of its members.
  const held = sql`g.cancelled_at IS NULL AND g.ends_at <= ${now.getTime()}
    ${bounds ? sql`AND g.ends_at >= ${bounds.start} AND g.ends_at < ${bounds.end}` : sql``}
    ${cycleId === null ? sql`` : sql`AND g.cycle_id = ${cycleId}`}`;
  let nationalGatherings = 0;
  if (ids.length > 0) {
    for (const r of db.all<{ cid: number | null; n: number }>(sql`
      SELECT cy.collective_id AS cid, count(*) AS n FROM gatherings g JOIN cycles cy ON cy.id = g.cycle_id
      WHERE ${held} AND (cy.collective_id IN (${idList(ids)}) ${f.collectiveIds === null ? sql`OR cy.collective_id IS NULL` : sql``})
      GROUP BY cy.collective_id`)) {
      if (r.cid === null) nationalGatherings = r.n;
      else counts.get(r.cid)!.gatheringsHeld = r.n;
    }
  }
  const seatRows =
    ids.length === 0
      ? []
      : cycleId === null
        ? db.all<{ cid: number; qpv: number; confirmed: number; present: number }>(sql`
            SELECT s.collective_id AS cid, s.qpv, sum(s.confirmed) AS confirmed, sum(s.present) AS present
            FROM dashboard_seats s JOIN gatherings g ON g.id = s.gathering_id
            WHERE s.collective_id IN (${idList(ids)}) AND ${held}
            GROUP BY s.collective_id, s.qpv`)
        : seatsOfHeld(db, summaries, held);
  for (const s of seatRows.filter(keep)) {
    const c = counts.get(s.cid);
    if (!c) continue;
    c.seatsConfirmed += s.confirmed;
    c.present += s.present;
  }

  const rows = collectives.map((c) => ({ ...c, ...counts.get(c.id)! }));
  const subtotals = (['cosim', 'fosim'] as const).flatMap((kind) => {
    const of = rows.filter((r) => r.kind === kind);
    if (of.length === 0) return [];
    const merged = new Map<number, number>();
    for (const r of of)
      for (const [k, n] of histograms.get(r.id) ?? []) merged.set(k, (merged.get(k) ?? 0) + n);
    const total = emptyCounts(cycleId === null ? 0 : null);
    for (const r of of) {
      if (total.invited !== null) total.invited += r.invited ?? 0;
      for (const key of [
        'members',
        'enrolled',
        'active30',
        'completions',
        'quizzesAttempted',
        'quizzesPassed',
        'gatheringsHeld',
        'seatsConfirmed',
        'present',
        'certificates',
      ] as const)
        total[key] += r[key];
      for (let i = 0; i < 6; i++) total.distribution[i]! += r.distribution[i]!;
    }
    total.medianPercent = histogramMedian(merged);
    return [{ ...total, kind }];
  });

  const skillCounts = new Map<string, number>();
  for (const s of summaries.skills.filter(keep))
    skillCounts.set(`${s.cid}:${s.key}`, (skillCounts.get(`${s.cid}:${s.key}`) ?? 0) + s.n);
  const codes = db
    .all<{ code: string }>(sql`SELECT code FROM skills WHERE archived_at IS NULL ORDER BY position`)
    .map((r) => r.code);
  const enrolledNow = new Map<number, number>();
  for (const b of summaries.base.filter(keep))
    enrolledNow.set(b.cid, (enrolledNow.get(b.cid) ?? 0) + b.enrolled);
  const heat = rows
    .filter((r) => (enrolledNow.get(r.id) ?? 0) > 0)
    .flatMap((r) =>
      codes.map((code) => ({
        cid: r.id,
        skillCode: code,
        acquired: skillCounts.get(`${r.id}:${code}`) ?? 0,
        enrolled: enrolledNow.get(r.id)!,
      })),
    );

  const thisMonth = parisDay(now.getTime()).slice(0, 7);
  const trendMonths = period
    ? monthsBetween(period.from, period.to)
    : monthsBetween(monthsAgo(thisMonth, 11), thisMonth);
  const trend = trendMonths.map(
    (month) => trendByMonth.get(month) ?? { month, enrolments: 0, completions: 0 },
  );
  return { rows, subtotals, heat, trend, nationalGatherings };
}

/** `YYYY-MM`, n months before `month`. */
export function monthsAgo(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** A cycle's seats, kept for the séances held (the cycle's population is small). */
function seatsOfHeld(db: Db, summaries: Summaries, held: SQL) {
  const heldIds = new Set(
    db.all<{ id: number }>(sql`SELECT g.id FROM gatherings g WHERE ${held}`).map((r) => r.id),
  );
  return summaries.seats.filter((s) => heldIds.has(s.gatheringId));
}

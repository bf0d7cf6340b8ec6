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
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
import { parisDay, wallTimeToInstant } from '../lib/time.ts';
import { addTo, histogramMedian } from './median.ts';
import { activeSinceDay } from './members.ts';
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
  /** The skills, in the heat map's order. */
  skills: { code: string; title: string }[];
  /** Per month, over the COSIM rows (or the FOSIM rows when there is no COSIM). */
  trend: MonthPoint[];
  /** Séances held by national cycles in the scope (not in any collective's line). */
  nationalGatherings: number;
}

/** A line of the heat map: a collective and the share (%) of its enrolled members per skill. */
export interface HeatRow {
  id: number;
  name: string;
  enrolled: number;
  /** In the order of `Dashboard.skills`. */
  shares: number[];
}

/** The heat map's lines, the share of each skill in the order of the columns. */
export function heatRowsOf(data: Dashboard): HeatRow[] {
  return data.rows.flatMap((r) => {
    const cells = new Map(data.heat.filter((h) => h.cid === r.id).map((h) => [h.skillCode, h]));
    if (cells.size === 0) return [];
    return [
      {
        id: r.id,
        name: r.name,
        enrolled: cells.values().next().value!.enrolled,
        shares: data.skills.map((s) => {
          const c = cells.get(s.code);
          return c && c.enrolled > 0 ? Math.round((c.acquired / c.enrolled) * 100) : 0;
        }),
      },
    ];
  });
}

export const BUCKETS = ['0 %', '1–24 %', '25–49 %', '50–74 %', '75–99 %', '100 %'] as const;

function bucket(percent: number): number {
  if (percent <= 0) return 0;
  if (percent >= 100) return 5;
  return 1 + Math.floor(percent / 25);
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

/** The figures per collective before they become lines: what the stored or computed summaries give. */
interface Aggregates {
  base: Map<number, Omit<BaseRow, 'cid' | 'qpv'>>;
  histograms: Map<number, Map<number, number>>;
  skills: Map<number, Map<string, number>>;
  active: Map<number, number>;
  /** Enrolments, finished paths and certificates in the period (or ever). */
  periodSums: Map<number, { enrolments: number; completions: number; certificates: number }>;
  trend: Map<string, MonthPoint>;
  seats: Map<number, { confirmed: number; present: number }>;
}

interface Window {
  ids: number[];
  trendIds: number[];
  qpvOnly: boolean;
  period: Period | null;
  bounds: { start: number; end: number } | null;
  trendMonths: string[];
  activeSince: string;
  now: number;
}

function map2<K1, K2>(rows: { cid: K1; key: K2; n: number }[]): Map<K1, Map<K2, number>> {
  const out = new Map<K1, Map<K2, number>>();
  for (const r of rows) {
    const inner = out.get(r.cid) ?? new Map<K2, number>();
    addTo(inner, r.key, r.n);
    out.set(r.cid, inner);
  }
  return out;
}

/** The stored summaries (recomputed first where marked dirty), summed by SQL: a few hundred rows. */
function storedAggregates(db: Db, w: Window, refresh: boolean): Aggregates {
  if (refresh) refreshDirty(db, w.ids);
  const where = sql`collective_id IN (${idList(w.ids)}) ${w.qpvOnly ? sql`AND qpv = 1` : sql``}`;
  const period = w.period ? sql`AND month >= ${w.period.from} AND month <= ${w.period.to}` : sql``;
  const summary = db.all<BaseRow & { completion: string; skills: string }>(sql`
    SELECT collective_id AS cid, qpv, members, invited, enrolled, quizzes_attempted AS quizzesAttempted,
      quizzes_passed AS quizzesPassed, completion, skills
    FROM dashboard_summary WHERE ${where}`);
  const base: Aggregates['base'] = new Map();
  const histograms: Aggregates['histograms'] = new Map();
  const skills: Aggregates['skills'] = new Map();
  for (const r of summary) {
    const b = base.get(r.cid) ?? {
      members: 0,
      invited: 0,
      enrolled: 0,
      quizzesAttempted: 0,
      quizzesPassed: 0,
    };
    b.members += r.members;
    b.invited = (b.invited ?? 0) + (r.invited ?? 0);
    b.enrolled += r.enrolled;
    b.quizzesAttempted += r.quizzesAttempted;
    b.quizzesPassed += r.quizzesPassed;
    base.set(r.cid, b);
    const h = histograms.get(r.cid) ?? new Map<number, number>();
    for (const [percent, n] of Object.entries(JSON.parse(r.completion) as Record<string, number>))
      addTo(h, Number(percent), n);
    histograms.set(r.cid, h);
    const k = skills.get(r.cid) ?? new Map<string, number>();
    for (const [code, n] of Object.entries(JSON.parse(r.skills) as Record<string, number>)) addTo(k, code, n);
    skills.set(r.cid, k);
  }
  return {
    base,
    histograms,
    skills,
    active: new Map(
      db
        .all<{ cid: number; n: number }>(sql`SELECT collective_id AS cid, sum(n) AS n FROM dashboard_activity
          WHERE ${where} AND day >= ${w.activeSince} GROUP BY collective_id`)
        .map((r) => [r.cid, r.n]),
    ),
    periodSums: new Map(
      db
        .all<{ cid: number; enrolments: number; completions: number; certificates: number }>(sql`
          SELECT collective_id AS cid, sum(enrolments) AS enrolments, sum(completions) AS completions,
            sum(certificates) AS certificates
          FROM dashboard_monthly WHERE ${where} ${period} GROUP BY collective_id`)
        .map((r) => [r.cid, r]),
    ),
    trend: new Map(
      db
        .all<MonthPoint>(sql`
          SELECT month, sum(enrolments) AS enrolments, sum(completions) AS completions FROM dashboard_monthly
          WHERE collective_id IN (${idList(w.trendIds)}) ${w.qpvOnly ? sql`AND qpv = 1` : sql``}
            AND month >= ${w.trendMonths[0]!} AND month <= ${w.trendMonths.at(-1)!}
          GROUP BY month`)
        .map((r) => [r.month, r]),
    ),
    seats: new Map(
      db
        .all<{ cid: number; confirmed: number; present: number }>(sql`
          SELECT collective_id AS cid, sum(confirmed) AS confirmed, sum(present) AS present FROM dashboard_seats
          WHERE ${where} AND ends_at <= ${w.now} ${period} GROUP BY collective_id`)
        .map((r) => [r.cid, r]),
    ),
  };
}

/** The same sums over summaries computed on the fly (a cycle's members). */
function summedAggregates(s: Summaries, w: Window): Aggregates {
  const keep = <T extends { qpv: number }>(rows: T[]) => (w.qpvOnly ? rows.filter((r) => r.qpv === 1) : rows);
  const inPeriod = (month: string) => w.period === null || (month >= w.period.from && month <= w.period.to);
  const trendIds = new Set(w.trendIds);
  const out: Aggregates = {
    base: new Map(),
    histograms: map2(keep(s.completion)),
    skills: map2(keep(s.skills)),
    active: new Map(),
    periodSums: new Map(),
    trend: new Map(),
    seats: new Map(),
  };
  for (const b of keep(s.base)) {
    const c = out.base.get(b.cid) ?? {
      members: 0,
      invited: null,
      enrolled: 0,
      quizzesAttempted: 0,
      quizzesPassed: 0,
    };
    c.members += b.members;
    c.enrolled += b.enrolled;
    c.quizzesAttempted += b.quizzesAttempted;
    c.quizzesPassed += b.quizzesPassed;
    out.base.set(b.cid, c);
  }
  for (const a of keep(s.activity)) if (a.key >= w.activeSince) addTo(out.active, a.cid, a.n);
  for (const m of keep(s.monthly)) {
    if (trendIds.has(m.cid)) {
      const point = out.trend.get(m.month) ?? { month: m.month, enrolments: 0, completions: 0 };
      point.enrolments += m.enrolments;
      point.completions += m.completions;
      out.trend.set(m.month, point);
    }
    if (!inPeriod(m.month)) continue;
    const p = out.periodSums.get(m.cid) ?? { enrolments: 0, completions: 0, certificates: 0 };
    p.enrolments += m.enrolments;
    p.completions += m.completions;
    p.certificates += m.certificates;
    out.periodSums.set(m.cid, p);
  }
  for (const r of keep(s.seats)) {
    if (r.endsAt > w.now || (w.bounds && (r.endsAt < w.bounds.start || r.endsAt >= w.bounds.end))) continue;
    const c = out.seats.get(r.cid) ?? { confirmed: 0, present: 0 };
    c.confirmed += r.confirmed;
    c.present += r.present;
    out.seats.set(r.cid, c);
  }
  return out;
}

const ADDED = [
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
] as const;

/** Every figure of the dashboard for these filters. */
export function dashboardFigures(
  db: Db,
  f: DashboardFilters,
  now = new Date(),
  /** false: the caller has refreshed the summaries it wants fresh (the rest may lag a few seconds). */
  refresh = true,
): Dashboard {
  const collectives = collectivesFor(db, f);
  const ids = collectives.map((c) => c.id);
  const cycleId = f.cycleId ?? null;
  const period = f.period ?? null;
  const thisMonth = parisDay(now.getTime()).slice(0, 7);
  const trendKind = collectives.some((c) => c.kind === 'cosim') ? 'cosim' : 'fosim';
  const w: Window = {
    ids,
    trendIds: collectives.filter((c) => c.kind === trendKind).map((c) => c.id),
    qpvOnly: f.qpvOnly,
    period,
    bounds: period ? periodBounds(period) : null,
    trendMonths: period
      ? monthsBetween(period.from, period.to)
      : monthsBetween(monthsAgo(thisMonth, 11), thisMonth),
    activeSince: activeSinceDay(now),
    now: now.getTime(),
  };
  const empty = ids.length === 0;
  const agg = empty
    ? summedAggregates(emptySummaries(), w)
    : cycleId === null
      ? storedAggregates(db, w, refresh)
      : summedAggregates(computeSummaries(db, { cycleId, collectiveIds: ids }, now), w);

  // Séances held (ended, not cancelled): by the collective's own cycles; with a cycle chosen, that
  // cycle's, on every line (the seats of each line are at those séances).
  const held = new Map<number | null, number>();
  const heldSince = w.bounds
    ? sql`AND g.ends_at >= ${w.bounds.start} AND g.ends_at < ${w.bounds.end}`
    : sql``;
  if (!empty && cycleId !== null) {
    const n =
      db.get<{ n: number }>(sql`
        SELECT count(*) AS n FROM gatherings g
        WHERE g.cycle_id = ${cycleId} AND g.cancelled_at IS NULL AND g.ends_at <= ${w.now} ${heldSince}`)
        ?.n ?? 0;
    for (const id of ids) if ((agg.base.get(id)?.members ?? 0) > 0) held.set(id, n);
  } else if (!empty)
    for (const r of db.all<{ cid: number | null; n: number }>(sql`
      SELECT cy.collective_id AS cid, count(*) AS n FROM gatherings g JOIN cycles cy ON cy.id = g.cycle_id
      WHERE g.cancelled_at IS NULL AND g.ends_at <= ${w.now} ${heldSince}
        AND (cy.collective_id IN (${idList(ids)}) ${f.collectiveIds === null ? sql`OR cy.collective_id IS NULL` : sql``})
      GROUP BY cy.collective_id`))
      held.set(r.cid, r.n);

  const rows: CollectiveFigures[] = collectives.map((c) => {
    const base = agg.base.get(c.id);
    const sums = agg.periodSums.get(c.id);
    const seats = agg.seats.get(c.id);
    const histogram = agg.histograms.get(c.id) ?? new Map<number, number>();
    const distribution = [0, 0, 0, 0, 0, 0];
    for (const [percent, n] of histogram) distribution[bucket(percent)]! += n;
    return {
      ...c,
      invited: cycleId === null ? (base?.invited ?? 0) : null,
      members: base?.members ?? 0,
      enrolled: period === null ? (base?.enrolled ?? 0) : (sums?.enrolments ?? 0),
      active30: agg.active.get(c.id) ?? 0,
      medianPercent: histogramMedian(histogram),
      distribution,
      completions: sums?.completions ?? 0,
      quizzesAttempted: base?.quizzesAttempted ?? 0,
      quizzesPassed: base?.quizzesPassed ?? 0,
      gatheringsHeld: held.get(c.id) ?? 0,
      seatsConfirmed: seats?.confirmed ?? 0,
      present: seats?.present ?? 0,
      certificates: sums?.certificates ?? 0,
    };
  });

  const subtotals = (['cosim', 'fosim'] as const).flatMap((kind) => {
    const of = rows.filter((r) => r.kind === kind);
    if (of.length === 0) return [];
    const merged = new Map<number, number>();
    const total = emptyCounts(cycleId === null ? 0 : null);
    for (const r of of) {
      for (const [k, n] of agg.histograms.get(r.id) ?? []) addTo(merged, k, n);
      if (total.invited !== null) total.invited += r.invited ?? 0;
      for (const key of ADDED) total[key] += r[key];
      for (let i = 0; i < 6; i++) total.distribution[i]! += r.distribution[i]!;
    }
    total.medianPercent = histogramMedian(merged);
    return [{ ...total, kind }];
  });

  const skills = db.all<{ code: string; title: string }>(
    sql`SELECT code, title FROM skills WHERE archived_at IS NULL ORDER BY position`,
  );
  const codes = skills.map((r) => r.code);
  const heat = rows.flatMap((r) => {
    const enrolled = agg.base.get(r.id)?.enrolled ?? 0;
    if (enrolled === 0) return [];
    const acquired = agg.skills.get(r.id);
    return codes.map((code) => ({
      cid: r.id,
      skillCode: code,
      acquired: acquired?.get(code) ?? 0,
      enrolled,
    }));
  });
  const trend = w.trendMonths.map(
    (month) => agg.trend.get(month) ?? { month, enrolments: 0, completions: 0 },
  );
  return { rows, subtotals, heat, skills, trend, nationalGatherings: held.get(null) ?? 0 };
}

function emptySummaries(): Summaries {
  return { base: [], completion: [], skills: [], activity: [], monthly: [], seats: [], people: [] };
}

/** `YYYY-MM`, n months before `month`. */
export function monthsAgo(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

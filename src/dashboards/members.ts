// A collective's dashboard below the collective line: its OSIMs' figures and each member's
// progress, a page at a time (every member's progress as CSV is exports.ts, with the same columns).
// Without a cycle, the OSIM lines and the name order come from the stored summary (written by
// summaries.ts; dashboardFigures() has refreshed it first); with a cycle or one OSIM chosen, the
// population is small and is read directly.
import { type SQL, sql } from 'drizzle-orm';
import { attendedSql } from '../certificates/progress.ts';
import type { Db } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
import { parisDay } from '../lib/time.ts';
import { FOLLOWER_SQL } from '../policy/policy.ts';
import { addTo, histogramMedian } from './median.ts';

export interface OsimFigures {
  id: number;
  name: string;
  town: string | null;
  actsInQpv: boolean;
  members: number;
  enrolled: number;
  active30: number;
  medianPercent: number | null;
  completions: number;
  quizzesPassed: number;
  attended: number;
  certificates: number;
}

export interface MemberProgress {
  id: number;
  name: string;
  osims: string;
  cycles: number;
  percent: number;
  lessonsDone: number;
  quizzesPassed: number;
  attended: number;
  lastActivityAt: number | null;
  certificates: number;
}

export interface MemberFilters {
  cycleId: number | null;
  qpvOnly: boolean;
  osimId?: number | null;
}

/** The first day (Paris) of "the last 30 days". */
export function activeSinceDay(now: Date): string {
  return parisDay(now.getTime() - 29 * 86400_000);
}

/** The OSIMs of the collective matching the filters, as SQL on alias `o`. */
function osimCondition(collectiveId: number, f: MemberFilters): SQL {
  return sql`o.kind = 'osim' AND o.archived_at IS NULL AND (o.parent_id = ${collectiveId} OR o.federation_id = ${collectiveId})
    ${f.qpvOnly ? sql`AND o.acts_in_qpv = 1` : sql``}
    ${f.osimId ? sql`AND o.id = ${f.osimId}` : sql``}`;
}

function enrolledIn(f: MemberFilters): SQL {
  return f.cycleId === null
    ? sql``
    : sql`AND EXISTS (SELECT 1 FROM cycle_members cm WHERE cm.user_id = u.id AND cm.cycle_id = ${f.cycleId} AND cm.withdrawn_at IS NULL)`;
}

function osimsOf(db: Db, collectiveId: number, f: MemberFilters) {
  return db.all<{ id: number; name: string; town: string | null; actsInQpv: number }>(sql`
    SELECT o.id, o.name, o.town, o.acts_in_qpv AS actsInQpv FROM organizations o
    WHERE ${osimCondition(collectiveId, f)} ORDER BY o.name COLLATE NOCASE`);
}

function emptyOsim(o: { id: number; name: string; town: string | null; actsInQpv: number }): OsimFigures {
  return {
    id: o.id,
    name: o.name,
    town: o.town,
    actsInQpv: o.actsInQpv === 1,
    members: 0,
    enrolled: 0,
    active30: 0,
    medianPercent: null,
    completions: 0,
    quizzesPassed: 0,
    attended: 0,
    certificates: 0,
  };
}

/** The OSIM lines computed from the people themselves, with their members' days of activity. */
export function computeOsims(
  db: Db,
  collectiveId: number,
  f: MemberFilters,
  now = new Date(),
): { figures: OsimFigures[]; activity: { osimId: number; day: string; n: number }[] } {
  const since = activeSinceDay(now);
  const people = db.all<{
    oid: number;
    enrolled: number;
    percent: number | null;
    completed: number;
    lastActivityAt: number | null;
    quizzesPassed: number | null;
    attended: number | null;
    certificates: number;
  }>(sql`
    SELECT o.id AS oid,
      EXISTS (SELECT 1 FROM cycle_members cm WHERE cm.user_id = u.id AND cm.withdrawn_at IS NULL
        ${f.cycleId === null ? sql`` : sql`AND cm.cycle_id = ${f.cycleId}`}) AS enrolled,
      ls.percent, ls.completed_at IS NOT NULL AS completed, ls.last_activity_at AS lastActivityAt,
      ls.quizzes_passed AS quizzesPassed,
      ${
        f.cycleId === null
          ? sql`ls.gatherings_attended`
          : sql`(SELECT count(*) FROM attendance a JOIN gatherings g ON g.id = a.gathering_id
              WHERE a.user_id = u.id AND ${attendedSql(now)} AND g.cycle_id = ${f.cycleId})`
      } AS attended,
      (SELECT count(*) FROM certificates ce WHERE ce.user_id = u.id AND ce.revoked_at IS NULL
        ${f.cycleId === null ? sql`` : sql`AND ce.cycle_id = ${f.cycleId}`}) AS certificates
    FROM organizations o
    JOIN memberships m ON m.organization_id = o.id AND m.role = ${FOLLOWER_SQL}
    JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
    LEFT JOIN learner_stats ls ON ls.user_id = u.id
    WHERE ${osimCondition(collectiveId, f)} ${enrolledIn(f)}`);
  const byOsim = new Map(osimsOf(db, collectiveId, f).map((o) => [o.id, emptyOsim(o)]));
  const histograms = new Map<number, Map<number, number>>();
  const days = new Map<string, { osimId: number; day: string; n: number }>();
  for (const p of people) {
    const row = byOsim.get(p.oid);
    if (!row) continue;
    row.members += 1;
    row.quizzesPassed += p.quizzesPassed ?? 0;
    row.attended += p.attended ?? 0;
    row.certificates += p.certificates;
    if (p.lastActivityAt !== null) {
      const day = parisDay(p.lastActivityAt);
      if (day >= since) {
        row.active30 += 1;
        const key = `${p.oid}:${day}`;
        const d = days.get(key) ?? { osimId: p.oid, day, n: 0 };
        d.n += 1;
        days.set(key, d);
      }
    }
    if (!p.enrolled) continue;
    row.enrolled += 1;
    if (p.completed && (p.percent ?? 0) >= 100) row.completions += 1;
    const h = histograms.get(p.oid) ?? new Map<number, number>();
    addTo(h, p.percent ?? 0, 1);
    histograms.set(p.oid, h);
  }
  for (const [id, h] of histograms) byOsim.get(id)!.medianPercent = histogramMedian(h);
  return { figures: [...byOsim.values()], activity: [...days.values()] };
}

/** One line per OSIM of the collective (a person counts in each of their OSIMs). */
export function osimFigures(db: Db, collectiveId: number, f: MemberFilters, now = new Date()): OsimFigures[] {
  if (f.cycleId !== null) return computeOsims(db, collectiveId, f, now).figures;
  const stored = new Map(
    db
      .all<Omit<OsimFigures, 'name' | 'town' | 'actsInQpv' | 'active30'>>(sql`
        SELECT osim_id AS id, members, enrolled, median_percent AS medianPercent, completions,
          quizzes_passed AS quizzesPassed, attended, certificates
        FROM dashboard_osims WHERE collective_id = ${collectiveId}`)
      .map((r) => [r.id, r]),
  );
  const active = new Map(
    db
      .all<{ id: number; n: number }>(sql`
        SELECT osim_id AS id, sum(n) AS n FROM dashboard_osim_activity
        WHERE collective_id = ${collectiveId} AND day >= ${activeSinceDay(now)} GROUP BY osim_id`)
      .map((r) => [r.id, r.n]),
  );
  return osimsOf(db, collectiveId, f).map((o) => ({
    ...emptyOsim(o),
    ...stored.get(o.id),
    name: o.name,
    active30: active.get(o.id) ?? 0,
  }));
}

/** A member's progress, as columns of a query on `users u LEFT JOIN learner_stats ls` (also the members' CSV). */
export const progressColumns = sql`u.id, u.display_name AS name,
  coalesce(ls.percent, 0) AS percent, coalesce(ls.lessons_done, 0) AS lessonsDone,
  coalesce(ls.quizzes_passed, 0) AS quizzesPassed, coalesce(ls.gatherings_attended, 0) AS attended,
  ls.last_activity_at AS lastActivityAt,
  (SELECT count(*) FROM cycle_members cm WHERE cm.user_id = u.id AND cm.withdrawn_at IS NULL) AS cycles,
  (SELECT count(*) FROM certificates ce WHERE ce.user_id = u.id AND ce.revoked_at IS NULL) AS certificates`;

export const MEMBERS_PER_PAGE = 50;

/** One page of a collective's members, by name, with their progress. */
export function memberProgressPage(
  db: Db,
  collectiveId: number,
  f: MemberFilters,
  page: number,
): { members: MemberProgress[]; total: number; pages: number; page: number } {
  const direct = f.cycleId !== null || Boolean(f.osimId);
  const people = sql`FROM users u
    JOIN memberships m ON m.user_id = u.id AND m.role = ${FOLLOWER_SQL}
    JOIN organizations o ON o.id = m.organization_id
    WHERE u.disabled_at IS NULL AND ${osimCondition(collectiveId, f)} ${enrolledIn(f)}`;
  const stored = sql`FROM dashboard_people p WHERE p.collective_id = ${collectiveId} ${f.qpvOnly ? sql`AND p.qpv = 1` : sql``}`;
  const total = direct
    ? (db.get<{ n: number }>(sql`SELECT count(DISTINCT u.id) AS n ${people}`)?.n ?? 0)
    : (db.get<{ n: number }>(sql`SELECT count(*) AS n ${stored}`)?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / MEMBERS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const offset = (current - 1) * MEMBERS_PER_PAGE;
  const ids = (
    direct
      ? db.all<{ id: number }>(sql`SELECT DISTINCT u.id, u.sort_key ${people}
          ORDER BY u.sort_key, u.id LIMIT ${MEMBERS_PER_PAGE} OFFSET ${offset}`)
      : db.all<{ id: number }>(sql`SELECT p.user_id AS id ${stored}
          ORDER BY p.sort_key, p.user_id LIMIT ${MEMBERS_PER_PAGE} OFFSET ${offset}`)
  ).map((r) => r.id);
  if (ids.length === 0) return { members: [], total, pages, page: current };
  const rows = db.all<MemberProgress>(sql`
    SELECT ${progressColumns},
      (SELECT group_concat(o.name, ', ') FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.user_id = u.id AND m.role = ${FOLLOWER_SQL} AND ${osimCondition(collectiveId, { cycleId: null, qpvOnly: false })}) AS osims
    FROM users u LEFT JOIN learner_stats ls ON ls.user_id = u.id
    WHERE u.id IN (${idList(ids)})`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { members: ids.flatMap((id) => byId.get(id) ?? []), total, pages, page: current };
}

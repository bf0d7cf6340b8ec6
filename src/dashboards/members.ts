// A collective's dashboard below the collective line: its OSIMs' figures and each member's
// progress (a page at a time), and every member's progress as CSV rows read in id order, a
// thousand at a time (keyset pagination: memory stays flat whatever the network's size).
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { parisDay } from '../lib/time.ts';
import type { Scope } from '../organizations/scope.ts';
import { histogramMedian } from './figures.ts';

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

/** The OSIMs of a collective (and of a scope) matching the filters, as SQL on alias `o`. */
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

/** One line per OSIM of the collective: its members' figures (a person counts in each of their OSIMs). */
export function osimFigures(db: Db, collectiveId: number, f: MemberFilters, now = new Date()): OsimFigures[] {
  const activeSince = parisDay(now.getTime() - 29 * 86400_000);
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
      ls.quizzes_passed AS quizzesPassed, ls.gatherings_attended AS attended,
      (SELECT count(*) FROM certificates ce WHERE ce.user_id = u.id AND ce.revoked_at IS NULL
        ${f.cycleId === null ? sql`` : sql`AND ce.cycle_id = ${f.cycleId}`}) AS certificates
    FROM organizations o
    JOIN memberships m ON m.organization_id = o.id AND m.role = 'member'
    JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
    LEFT JOIN learner_stats ls ON ls.user_id = u.id
    WHERE ${osimCondition(collectiveId, f)} ${enrolledIn(f)}`);
  const osims = db.all<{ id: number; name: string; town: string | null; actsInQpv: number }>(sql`
    SELECT o.id, o.name, o.town, o.acts_in_qpv AS actsInQpv FROM organizations o
    WHERE ${osimCondition(collectiveId, f)} ORDER BY o.name COLLATE NOCASE`);
  const byOsim = new Map<number, OsimFigures>();
  const histograms = new Map<number, Map<number, number>>();
  for (const o of osims)
    byOsim.set(o.id, {
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
    });
  for (const p of people) {
    const row = byOsim.get(p.oid);
    if (!row) continue;
    row.members += 1;
    row.quizzesPassed += p.quizzesPassed ?? 0;
    row.attended += p.attended ?? 0;
    row.certificates += p.certificates;
    if (p.lastActivityAt !== null && parisDay(p.lastActivityAt) >= activeSince) row.active30 += 1;
    if (!p.enrolled) continue;
    row.enrolled += 1;
    if (p.completed && (p.percent ?? 0) >= 100) row.completions += 1;
    const h = histograms.get(p.oid) ?? new Map<number, number>();
    histograms.set(p.oid, h.set(p.percent ?? 0, (h.get(p.percent ?? 0) ?? 0) + 1));
  }
  for (const [id, h] of histograms) byOsim.get(id)!.medianPercent = histogramMedian(h);
  return [...byOsim.values()];
}

const progressColumns = sql`u.id, u.display_name AS name,
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
  const people = sql`FROM users u
    JOIN memberships m ON m.user_id = u.id AND m.role = 'member'
    JOIN organizations o ON o.id = m.organization_id
    LEFT JOIN learner_stats ls ON ls.user_id = u.id
    WHERE u.disabled_at IS NULL AND ${osimCondition(collectiveId, f)} ${enrolledIn(f)}`;
  const total = db.get<{ n: number }>(sql`SELECT count(DISTINCT u.id) AS n ${people}`)?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / MEMBERS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const members = db.all<MemberProgress>(sql`
    SELECT ${progressColumns}, group_concat(o.name, ', ') AS osims ${people}
    GROUP BY u.id ORDER BY u.sort_key, u.id
    LIMIT ${MEMBERS_PER_PAGE} OFFSET ${(current - 1) * MEMBERS_PER_PAGE}`);
  return { members, total, pages, page: current };
}

/** Members of the scope (their OSIMs in it) with id > afterId, by id: one chunk of the CSV export. */
export function memberProgressChunk(
  db: Db,
  scope: Scope,
  afterId: number,
  limit: number,
): (MemberProgress & { collectives: string })[] {
  const ids = scope.all
    ? null
    : sql.join(
        scope.collectiveIds.map((id) => sql`${id}`),
        sql`, `,
      );
  const inScope =
    ids === null
      ? sql`1 = 1`
      : scope.all || scope.collectiveIds.length === 0
        ? sql`0 = 1`
        : sql`(o.parent_id IN (${ids}) OR o.federation_id IN (${ids}))`;
  const collectiveInScope =
    ids === null || scope.all || scope.collectiveIds.length === 0 ? sql`` : sql`AND c.id IN (${ids})`;
  return db.all(sql`
    SELECT ${progressColumns},
      group_concat(o.name, ', ') AS osims,
      (SELECT group_concat(DISTINCT c.name) FROM memberships m2
        JOIN organizations o2 ON o2.id = m2.organization_id AND o2.kind = 'osim'
        JOIN organizations c ON c.id IN (o2.parent_id, o2.federation_id)
        WHERE m2.user_id = u.id AND m2.role = 'member' ${collectiveInScope}) AS collectives
    FROM users u
    JOIN memberships m ON m.user_id = u.id AND m.role = 'member'
    JOIN organizations o ON o.id = m.organization_id AND o.kind = 'osim' AND o.archived_at IS NULL
    LEFT JOIN learner_stats ls ON ls.user_id = u.id
    WHERE u.id > ${afterId} AND u.disabled_at IS NULL AND ${inScope}
    GROUP BY u.id ORDER BY u.id LIMIT ${limit}`);
}

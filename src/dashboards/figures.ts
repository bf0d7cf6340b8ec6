// The dashboards' figures, per collective (COSIM / FOSIM) and for the whole network: people
// invited, enrolled, active in the last 30 days, path completion (median and distribution), quiz
// pass rate, séances held and attendance rate, certificates; and the skills heat map. Learners'
// progress comes from learner_stats (kept up to date on write), so every figure is one SQL
// aggregate over at most the network's members.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

export interface DashboardFilters {
  /** Only these collectives (a coordinator's); null: all. */
  collectiveIds: number[] | null;
  region: string | null;
  /** Only OSIMs acting in QPV. */
  qpvOnly: boolean;
}

export interface CollectiveFigures {
  id: number;
  name: string;
  kind: 'cosim' | 'fosim';
  region: string | null;
  invited: number;
  members: number;
  enrolled: number;
  active30: number;
  medianPercent: number | null;
  /** Enrolled members by completion: 0 %, 1–24, 25–49, 50–74, 75–99, 100 %. */
  distribution: number[];
  quizzesAttempted: number;
  quizzesPassed: number;
  gatheringsHeld: number;
  seatsConfirmed: number;
  /** People with a seat who came (walk-ins are not counted: the rate is of those expected). */
  present: number;
  certificates: number;
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

function collectiveFilter(f: DashboardFilters) {
  const parts = [sql`c.kind IN ('cosim', 'fosim') AND c.archived_at IS NULL`];
  if (f.collectiveIds !== null)
    parts.push(
      f.collectiveIds.length === 0
        ? sql`0`
        : sql`c.id IN (${sql.join(
            f.collectiveIds.map((id) => sql`${id}`),
            sql`, `,
          )})`,
    );
  if (f.region !== null) parts.push(sql`c.region = ${f.region}`);
  return sql.join(parts, sql` AND `);
}

/** The members of each collective: people with the member role in one of its OSIMs. */
function membersCte(f: DashboardFilters) {
  return sql`mem AS (
    SELECT DISTINCT c.id AS cid, m.user_id AS uid
    FROM organizations c
    JOIN organizations o ON o.kind = 'osim' AND o.archived_at IS NULL
      AND (o.parent_id = c.id OR o.federation_id = c.id) ${f.qpvOnly ? sql`AND o.acts_in_qpv = 1` : sql``}
    JOIN memberships m ON m.organization_id = o.id AND m.role = 'member'
    JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
    WHERE ${collectiveFilter(f)})`;
}

export function collectiveFigures(db: Db, f: DashboardFilters, now = new Date()): CollectiveFigures[] {
  const since = now.getTime() - 30 * 86400_000;
  const rows = db.all<
    Omit<
      CollectiveFigures,
      | 'medianPercent'
      | 'distribution'
      | 'gatheringsHeld'
      | 'seatsConfirmed'
      | 'present'
      | 'certificates'
      | 'invited'
    >
  >(sql`
    WITH ${membersCte(f)},
    enrolled AS (SELECT DISTINCT user_id AS uid FROM cycle_members WHERE withdrawn_at IS NULL)
    SELECT c.id, c.name, c.kind, c.region,
      count(mem.uid) AS members,
      count(e.uid) AS enrolled,
      coalesce(sum(ls.last_activity_at >= ${since}), 0) AS active30,
      coalesce(sum(ls.quizzes_attempted), 0) AS quizzesAttempted,
      coalesce(sum(ls.quizzes_passed), 0) AS quizzesPassed
    FROM organizations c
    LEFT JOIN mem ON mem.cid = c.id
    LEFT JOIN enrolled e ON e.uid = mem.uid
    LEFT JOIN learner_stats ls ON ls.user_id = mem.uid
    WHERE ${collectiveFilter(f)}
    GROUP BY c.id ORDER BY c.kind, c.name COLLATE NOCASE`);
  const percents = db.all<{ cid: number; percent: number }>(sql`
    WITH ${membersCte(f)}
    SELECT mem.cid, coalesce(ls.percent, 0) AS percent
    FROM mem JOIN (SELECT DISTINCT user_id FROM cycle_members WHERE withdrawn_at IS NULL) e ON e.user_id = mem.uid
    LEFT JOIN learner_stats ls ON ls.user_id = mem.uid`);
  const byCollective = new Map<number, number[]>();
  for (const p of percents) {
    const list = byCollective.get(p.cid) ?? [];
    if (list.length === 0) byCollective.set(p.cid, list);
    list.push(p.percent);
  }
  const seances = new Map(
    db
      .all<{ cid: number; held: number; confirmed: number; present: number }>(sql`
        SELECT cy.collective_id AS cid, count(DISTINCT g.id) AS held,
          (SELECT count(*) FROM gathering_signups s JOIN gatherings g2 ON g2.id = s.gathering_id JOIN cycles cy2 ON cy2.id = g2.cycle_id
            WHERE cy2.collective_id = cy.collective_id AND s.status = 'confirmed' AND g2.cancelled_at IS NULL AND g2.ends_at <= ${now.getTime()}) AS confirmed,
          (SELECT count(*) FROM attendance a JOIN gatherings g3 ON g3.id = a.gathering_id JOIN cycles cy3 ON cy3.id = g3.cycle_id
            JOIN gathering_signups s3 ON s3.gathering_id = a.gathering_id AND s3.user_id = a.user_id AND s3.status = 'confirmed'
            WHERE cy3.collective_id = cy.collective_id AND a.status = 'present' AND g3.cancelled_at IS NULL
              AND g3.ends_at <= ${now.getTime()}) AS present
        FROM gatherings g JOIN cycles cy ON cy.id = g.cycle_id
        WHERE g.cancelled_at IS NULL AND g.ends_at <= ${now.getTime()} AND cy.collective_id IS NOT NULL
        GROUP BY cy.collective_id`)
      .map((r) => [r.cid, r]),
  );
  const certificates = new Map(
    db
      .all<{ cid: number; n: number }>(sql`
        SELECT cy.collective_id AS cid, count(*) AS n FROM certificates ce JOIN cycles cy ON cy.id = ce.cycle_id
        WHERE ce.revoked_at IS NULL AND cy.collective_id IS NOT NULL GROUP BY cy.collective_id`)
      .map((r) => [r.cid, r.n]),
  );
  const invited = new Map(
    db
      .all<{ cid: number; n: number }>(sql`
        SELECT c.id AS cid, count(*) AS n FROM invitations i JOIN organizations o ON o.id = i.organization_id
        JOIN organizations c ON c.id = o.id OR c.id = o.parent_id OR c.id = o.federation_id
        WHERE c.kind IN ('cosim', 'fosim') GROUP BY c.id`)
      .map((r) => [r.cid, r.n]),
  );
  return rows.map((r) => {
    const list = byCollective.get(r.id) ?? [];
    const distribution = [0, 0, 0, 0, 0, 0];
    for (const p of list) distribution[bucket(p)]! += 1;
    const s = seances.get(r.id);
    return {
      ...r,
      invited: invited.get(r.id) ?? 0,
      medianPercent: median(list),
      distribution,
      gatheringsHeld: s?.held ?? 0,
      seatsConfirmed: s?.confirmed ?? 0,
      present: s?.present ?? 0,
      certificates: certificates.get(r.id) ?? 0,
    };
  });
}

export interface HeatCell {
  cid: number;
  skillCode: string;
  acquired: number;
  enrolled: number;
}

/** Collectives × skills: how many enrolled members acquired each skill (one pass over the rows). */
export function skillsHeatMap(db: Db, f: DashboardFilters): HeatCell[] {
  const enrolledCte = sql`enr AS (
    SELECT mem.cid, mem.uid FROM mem JOIN (SELECT DISTINCT user_id FROM cycle_members WHERE withdrawn_at IS NULL) e
      ON e.user_id = mem.uid)`;
  const totals = db.all<{ cid: number; enrolled: number }>(sql`
    WITH ${membersCte(f)}, ${enrolledCte}
    SELECT cid, count(*) AS enrolled FROM enr GROUP BY cid`);
  const acquired = new Map(
    db
      .all<{ cid: number; code: string; n: number }>(sql`
        WITH ${membersCte(f)}, ${enrolledCte}
        SELECT enr.cid, ls.skill_code AS code, count(*) AS n
        FROM enr JOIN learner_skills ls ON ls.user_id = enr.uid GROUP BY enr.cid, ls.skill_code`)
      .map((r) => [`${r.cid}:${r.code}`, r.n]),
  );
  const codes = db
    .all<{ code: string }>(sql`SELECT code FROM skills WHERE archived_at IS NULL ORDER BY position`)
    .map((r) => r.code);
  return totals.flatMap((t) =>
    codes.map((code) => ({
      cid: t.cid,
      skillCode: code,
      enrolled: t.enrolled,
      acquired: acquired.get(`${t.cid}:${code}`) ?? 0,
    })),
  );
}

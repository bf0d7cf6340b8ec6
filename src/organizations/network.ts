// Read models of the FORIM network tree for the home pages: collectives with their OSIMs and
// the number of people in each. An OSIM belongs to its COSIM (parent_id) and may also belong to
// a FOSIM (federation_id).
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { OrganizationKind } from '../db/schema.ts';

export interface CollectiveSummary {
  id: number;
  name: string;
  kind: OrganizationKind;
  region: string | null;
  osimCount: number;
  peopleCount: number;
}

/**
 * Each organization with the collective(s) it counts for: a COSIM/FOSIM for itself, an OSIM for
 * its COSIM and its FOSIM. One pass over the memberships then counts people per collective.
 */
const organizationCollectives = sql`
  SELECT id AS organization_id, id AS collective_id FROM organizations WHERE kind IN ('cosim', 'fosim')
  UNION ALL SELECT id, parent_id FROM organizations WHERE kind = 'osim' AND parent_id IS NOT NULL AND archived_at IS NULL
  UNION ALL SELECT id, federation_id FROM organizations WHERE kind = 'osim' AND federation_id IS NOT NULL AND archived_at IS NULL`;

/** COSIMs and FOSIMs, each with its active OSIMs and the distinct people of the collective and its OSIMs. */
export function listCollectives(db: Db): CollectiveSummary[] {
  return db
    .all<CollectiveSummary>(sql`
    WITH oc AS (${organizationCollectives}),
    people AS (
      SELECT oc.collective_id, count(DISTINCT m.user_id) AS n
      FROM memberships m JOIN oc ON oc.organization_id = m.organization_id
      GROUP BY oc.collective_id),
    osims AS (
      SELECT oc.collective_id, count(*) AS n FROM oc JOIN organizations o ON o.id = oc.organization_id
      WHERE o.kind = 'osim' GROUP BY oc.collective_id)
    SELECT c.id, c.name, c.kind, c.region, coalesce(osims.n, 0) AS osimCount, coalesce(people.n, 0) AS peopleCount
    FROM organizations c
    LEFT JOIN osims ON osims.collective_id = c.id
    LEFT JOIN people ON people.collective_id = c.id
    WHERE c.kind IN ('cosim', 'fosim') AND c.archived_at IS NULL`)
    .sort((a, b) => a.kind.localeCompare(b.kind) || byName.compare(a.name, b.name));
}

/** French alphabetical order: "Île-de-France" sorts under I, not after Z as SQLite's binary order has it. */
export const byName = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

export interface OsimSummary {
  id: number;
  name: string;
  town: string | null;
  actsInQpv: boolean;
  qpvNote: string | null;
  peopleCount: number;
}

export function listCollectiveOsims(db: Db, collectiveId: number): OsimSummary[] {
  const rows = db.all<Omit<OsimSummary, 'actsInQpv'> & { actsInQpv: number }>(sql`
    SELECT o.id, o.name, o.town, o.acts_in_qpv AS actsInQpv, o.qpv_note AS qpvNote,
      (SELECT count(DISTINCT m.user_id) FROM memberships m WHERE m.organization_id = o.id) AS peopleCount
    FROM organizations o
    WHERE o.kind = 'osim' AND o.archived_at IS NULL
      AND (o.parent_id = ${collectiveId} OR o.federation_id = ${collectiveId})`);
  return rows
    .map((r) => Object.assign(r, { actsInQpv: r.actsInQpv === 1 }) as OsimSummary)
    .sort((a, b) => byName.compare(a.name, b.name));
}

/** The whole network: active OSIMs, and distinct people holding any role. */
export function networkTotals(db: Db): { osims: number; people: number } {
  return db.get<{ osims: number; people: number }>(sql`
    SELECT
      (SELECT count(*) FROM organizations WHERE kind = 'osim' AND archived_at IS NULL) AS osims,
      (SELECT count(DISTINCT user_id) FROM memberships) AS people`)!;
}

/** Archived organizations (not FORIM), most recently archived first. */
export function listArchivedOrganizations(db: Db) {
  return db.all<{ id: number; name: string; kind: OrganizationKind; archivedAt: number }>(sql`
    SELECT id, name, kind, archived_at AS archivedAt FROM organizations
    WHERE archived_at IS NOT NULL ORDER BY archived_at DESC LIMIT 200`);
}

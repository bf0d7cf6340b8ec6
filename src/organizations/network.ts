// Read models of the FORIM network tree for the home pages: collectives with their OSIMs and
// the number of people in each. An OSIM belongs to its COSIM (parent_id) and may also belong to
// a FOSIM (federation_id).
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type OrganizationKind, organizations } from '../db/schema.ts';

export interface CollectiveSummary {
  id: number;
  name: string;
  kind: OrganizationKind;
  region: string | null;
  osimCount: number;
  peopleCount: number;
}

/** COSIMs and FOSIMs, each with its OSIMs and the distinct people of the collective and its OSIMs. */
export function listCollectives(db: Db): CollectiveSummary[] {
  return db.all<CollectiveSummary>(sql`
    SELECT c.id, c.name, c.kind, c.region,
      (SELECT count(*) FROM organizations o
        WHERE o.kind = 'osim' AND o.archived_at IS NULL
          AND (o.parent_id = c.id OR o.federation_id = c.id)) AS osimCount,
      (SELECT count(DISTINCT m.user_id) FROM memberships m
        JOIN organizations o ON o.id = m.organization_id
        WHERE o.id = c.id OR o.parent_id = c.id OR o.federation_id = c.id) AS peopleCount
    FROM organizations c
    WHERE c.kind IN ('cosim', 'fosim') AND c.archived_at IS NULL
    ORDER BY c.kind, c.name`);
}

export interface OsimSummary {
  id: number;
  name: string;
  town: string | null;
  actsInQpv: boolean;
  peopleCount: number;
}

export function listCollectiveOsims(db: Db, collectiveId: number): OsimSummary[] {
  const rows = db.all<Omit<OsimSummary, 'actsInQpv'> & { actsInQpv: number }>(sql`
    SELECT o.id, o.name, o.town, o.acts_in_qpv AS actsInQpv,
      (SELECT count(DISTINCT m.user_id) FROM memberships m WHERE m.organization_id = o.id) AS peopleCount
    FROM organizations o
    WHERE o.kind = 'osim' AND o.archived_at IS NULL
      AND (o.parent_id = ${collectiveId} OR o.federation_id = ${collectiveId})
    ORDER BY o.name`);
  return rows.map((r) => ({ ...r, actsInQpv: r.actsInQpv === 1 }));
}

export function getOrganization(db: Db, id: number) {
  return db.select().from(organizations).where(eq(organizations.id, id)).get();
}

/** The collective (COSIM or FOSIM) an organization belongs to: itself, or the parent of an OSIM. */
export function collectiveOf(db: Db, organizationId: number) {
  const org = getOrganization(db, organizationId);
  if (!org) return undefined;
  if (org.kind === 'cosim' || org.kind === 'fosim') return org;
  if (org.kind === 'osim' && org.parentId !== null) return getOrganization(db, org.parentId);
  return undefined;
}

/** The whole network: active OSIMs, and distinct people holding any role. */
export function networkTotals(db: Db): { osims: number; people: number } {
  return db.get<{ osims: number; people: number }>(sql`
    SELECT
      (SELECT count(*) FROM organizations WHERE kind = 'osim' AND archived_at IS NULL) AS osims,
      (SELECT count(DISTINCT user_id) FROM memberships) AS people`)!;
}

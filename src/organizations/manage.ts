// Creating, editing, moving, archiving organizations. The national team does all of it for
// COSIMs, FOSIMs and OSIMs; a coordinator does it for the OSIMs of their own collective (an OSIM
// stays attached to that collective: moving it elsewhere is the national team's call).
// Nothing is ever deleted: archiving keeps history and the figures of past cycles.
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { type Organization, type OrganizationKind, organizations } from '../db/schema.ts';
import { FieldRuleError, ForbiddenError, NotFoundError, RuleError } from '../lib/errors.ts';
import { searchable } from '../lib/text.ts';
import type { CurrentUser } from '../people/users.ts';
import { byName } from './network.ts';
import { managementScope, organizationInScope, type Scope } from './scope.ts';

export interface OrganizationInput {
  kind: Exclude<OrganizationKind, 'forim'>;
  name: string;
  region: string | null;
  town: string | null;
  /** OSIM: its COSIM. */
  parentId: number | null;
  /** OSIM: its FOSIM. */
  federationId: number | null;
  actsInQpv: boolean;
  qpvNote: string | null;
}

/** A rule broken by one field of the form: shown next to that field. */
/** A rule broken by one field of the organization form. */
export class OrgFieldError extends FieldRuleError<keyof OrganizationInput> {}

export function getOrganization(db: Db, id: number): Organization {
  const org = db.select().from(organizations).where(eq(organizations.id, id)).get();
  if (!org) throw new NotFoundError();
  return org;
}

/** The organization, if the person manages it; 404 otherwise (its existence is not disclosed). */
export function getManagedOrganization(db: Db, user: CurrentUser, id: number): Organization {
  const scope = managementScope(user);
  if (!organizationInScope(db, scope, id)) throw new NotFoundError();
  return getOrganization(db, id);
}

/** Active COSIMs or FOSIMs, for the "belongs to" choices of a form. */
export function listActiveCollectives(db: Db, kind: 'cosim' | 'fosim') {
  return db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(and(eq(organizations.kind, kind), isNull(organizations.archivedAt)))
    .all()
    .sort((a, b) => byName.compare(a.name, b.name));
}

function forimId(db: Db): number {
  const forim = db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.kind, 'forim'))
    .get();
  if (!forim) throw new RuleError('org.error.noForim');
  return forim.id;
}

function checkLink(db: Db, id: number | null, kind: 'cosim' | 'fosim', field: 'parentId' | 'federationId') {
  if (id === null) return;
  const target = db.select().from(organizations).where(eq(organizations.id, id)).get();
  if (!target || target.kind !== kind || target.archivedAt)
    throw new OrgFieldError(field, 'org.error.badLink');
}

function checkUniqueName(db: Db, input: OrganizationInput, exceptId?: number) {
  const clash = db
    .select({ id: organizations.id })
    .from(organizations)
    .where(
      and(
        eq(organizations.kind, input.kind),
        eq(organizations.searchName, searchable(input.name)),
        isNull(organizations.archivedAt),
        exceptId === undefined ? undefined : ne(organizations.id, exceptId),
      ),
    )
    .get();
  if (clash) throw new OrgFieldError('name', 'org.error.nameTaken');
}

/**
 * What the actor may set: an admin anything; a coordinator only OSIMs, tied to their own
 * collective (the other tie — a FOSIM for a COSIM's OSIM — stays theirs to choose).
 */
function checkAuthority(scope: Scope, input: OrganizationInput, current?: Organization) {
  if (scope.all) return;
  if (input.kind !== 'osim') throw new ForbiddenError('org.error.onlyNational');
  const mine = (id: number | null) => id !== null && scope.collectiveIds.includes(id);
  if (current) {
    // Keep the tie that puts the OSIM in the coordinator's collective.
    if (mine(current.parentId) && input.parentId !== current.parentId) {
      throw new OrgFieldError('parentId', 'org.error.moveIsNational');
    }
    if (mine(current.federationId) && input.federationId !== current.federationId) {
      throw new OrgFieldError('federationId', 'org.error.moveIsNational');
    }
  }
  if (!mine(input.parentId) && !mine(input.federationId)) {
    throw new OrgFieldError('parentId', 'org.error.outsideCollective');
  }
}

function validate(db: Db, input: OrganizationInput) {
  if (input.kind === 'osim') {
    if (input.parentId === null && input.federationId === null)
      throw new OrgFieldError('parentId', 'org.error.osimNeedsCollective');
    checkLink(db, input.parentId, 'cosim', 'parentId');
    checkLink(db, input.federationId, 'fosim', 'federationId');
  }
}

export function createOrganization(db: Db, actor: CurrentUser, input: OrganizationInput): number {
  const scope = managementScope(actor);
  checkAuthority(scope, input);
  validate(db, input);
  return withTransaction(db, (tx) => {
    checkUniqueName(tx, input);
    const isOsim = input.kind === 'osim';
    const row = tx
      .insert(organizations)
      .values({
        ...input,
        searchName: searchable(input.name),
        parentId: isOsim ? input.parentId : forimId(tx),
        federationId: isOsim ? input.federationId : null,
      })
      .returning({ id: organizations.id })
      .get();
    recordAudit(tx, {
      actorUserId: actor.id,
      action: 'organization.create',
      organizationId: row.id,
      details: { name: input.name, kind: input.kind },
    });
    return row.id;
  });
}

export function updateOrganization(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: Omit<OrganizationInput, 'kind'>,
): void {
  const current = getManagedOrganization(db, actor, id);
  if (current.kind === 'forim') throw new ForbiddenError('org.error.onlyNational');
  const full: OrganizationInput = { ...input, kind: current.kind };
  checkAuthority(managementScope(actor), full, current);
  validate(db, full);
  withTransaction(db, (tx) => {
    checkUniqueName(tx, full, id);
    const isOsim = full.kind === 'osim';
    tx.update(organizations)
      .set({
        name: full.name,
        searchName: searchable(full.name),
        region: full.region,
        town: full.town,
        actsInQpv: full.actsInQpv,
        qpvNote: full.qpvNote,
        ...(isOsim ? { parentId: full.parentId, federationId: full.federationId } : {}),
      })
      .where(eq(organizations.id, id))
      .run();
    const changed = (
      ['name', 'region', 'town', 'parentId', 'federationId', 'actsInQpv', 'qpvNote'] as const
    ).filter((k) => (isOsim || (k !== 'parentId' && k !== 'federationId')) && current[k] !== full[k]);
    recordAudit(tx, {
      actorUserId: actor.id,
      action:
        changed.includes('parentId') || changed.includes('federationId')
          ? 'organization.move'
          : 'organization.update',
      organizationId: id,
      details: { changed, name: full.name },
    });
  });
}

export function archiveOrganization(db: Db, actor: CurrentUser, id: number): void {
  const org = getManagedOrganization(db, actor, id);
  const scope = managementScope(actor);
  if (org.kind === 'forim' || (!scope.all && org.kind !== 'osim'))
    throw new ForbiddenError('org.error.onlyNational');
  if (org.archivedAt) return;
  if (org.kind !== 'osim') {
    const active = db.get<{ n: number }>(sql`
      SELECT count(*) AS n FROM organizations
      WHERE kind = 'osim' AND archived_at IS NULL AND (parent_id = ${id} OR federation_id = ${id})`)!.n;
    if (active > 0) throw new RuleError('org.error.archiveHasOsims', { count: active });
  }
  withTransaction(db, (tx) => {
    tx.update(organizations).set({ archivedAt: new Date() }).where(eq(organizations.id, id)).run();
    recordAudit(tx, {
      actorUserId: actor.id,
      action: 'organization.archive',
      organizationId: id,
    });
  });
}

export function restoreOrganization(db: Db, actor: CurrentUser, id: number): void {
  const org = getManagedOrganization(db, actor, id);
  const scope = managementScope(actor);
  if (org.kind === 'forim' || (!scope.all && org.kind !== 'osim'))
    throw new ForbiddenError('org.error.onlyNational');
  if (!org.archivedAt) return;
  withTransaction(db, (tx) => {
    checkUniqueName(tx, { ...org, kind: org.kind as OrganizationInput['kind'] }, id);
    tx.update(organizations).set({ archivedAt: null }).where(eq(organizations.id, id)).run();
    recordAudit(tx, { actorUserId: actor.id, action: 'organization.restore', organizationId: id });
  });
}

// Creating, editing, moving, archiving organizations. The national team does all of it for
// COSIMs, FOSIMs and OSIMs; a coordinator does it for the OSIMs of their own collective, and
// attaches an OSIM only to a collective they coordinate (policy.ts: mayManageKind, mayAttachTo).
// Nothing is ever deleted: archiving keeps history and the figures of past cycles.
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { type Organization, type OrganizationKind, organizations } from '../db/schema.ts';
import { FieldRuleError, ForbiddenError, NotFoundError, RuleError } from '../lib/errors.ts';
import { searchable } from '../lib/text.ts';
import type { CurrentUser } from '../people/users.ts';
import { mayAttachTo, mayManageKind, mayMoveOrganizations } from '../policy/policy.ts';
import { byName } from './network.ts';
import { managementScope, organizationInScope } from './scope.ts';

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
 * What the actor may set (policy.ts): the national team anything; anyone else only the kinds they
 * manage (OSIMs), and a tie only to a collective they coordinate (mayAttachTo). A tie to another
 * collective is not theirs to make or undo, and the tie to their own collective stays (moving an
 * OSIM out of it is the national team's call).
 */
function checkAuthority(actor: CurrentUser, input: OrganizationInput, current?: Organization) {
  if (!mayManageKind(actor, input.kind)) throw new ForbiddenError('org.error.onlyNational');
  if (mayMoveOrganizations(actor)) return;
  for (const field of ['parentId', 'federationId'] as const) {
    const before = current ? current[field] : null;
    const after = input[field];
    if (after === before) continue;
    if (before !== null && mayAttachTo(actor, before))
      throw new OrgFieldError(field, 'org.error.moveIsNational');
    if (before !== null || (after !== null && !mayAttachTo(actor, after)))
      throw new OrgFieldError(field, 'org.error.attachIsNational');
  }
  const ties = [input.parentId, input.federationId];
  if (!ties.some((id) => id !== null && mayAttachTo(actor, id))) {
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
  checkAuthority(actor, input);
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
  checkAuthority(actor, full, current);
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
  if (!mayManageKind(actor, org.kind)) throw new ForbiddenError('org.error.onlyNational');
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
  if (!mayManageKind(actor, org.kind)) throw new ForbiddenError('org.error.onlyNational');
  if (!org.archivedAt) return;
  withTransaction(db, (tx) => {
    checkUniqueName(tx, { ...org, kind: org.kind as OrganizationInput['kind'] }, id);
    tx.update(organizations).set({ archivedAt: null }).where(eq(organizations.id, id)).run();
    recordAudit(tx, { actorUserId: actor.id, action: 'organization.restore', organizationId: id });
  });
}

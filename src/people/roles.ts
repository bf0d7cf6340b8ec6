// Granting and withdrawing roles. Who may give which role where is policy.ts's mayGrantRole (the
// national team every role; a coordinator `member` and `trainer` on the organizations of their
// collective); which role fits which kind of organization is said here. The last active admin
// keeps their role. Every change is in the audit log.
import { and, count, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { memberships, type Organization, organizations, type Role, users } from '../db/schema.ts';
import { ForbiddenError, NotFoundError, RuleError } from '../lib/errors.ts';
import { managementScope, requirePersonInScope } from '../organizations/scope.ts';
import { managesOrganization, mayGrantRole, NATIONAL } from '../policy/policy.ts';
import type { CurrentUser } from './users.ts';

/** Which roles fit which kind of organization. */
export const roleFits: Record<Role, ReadonlyArray<string>> = {
  member: ['osim', 'cosim', 'fosim'],
  trainer: ['osim', 'cosim', 'fosim'],
  coordinator: ['cosim', 'fosim'],
  admin: ['forim'],
};

/**
 * The organization, once the actor is known to give (or take back, invite to, resend) `role` on it:
 * 404 outside their part of the network, 403 for a role that is not theirs to give.
 */
export function requireGrantAuthority(
  db: Db,
  actor: CurrentUser,
  organizationId: number,
  role: Role,
  refusal: 'roles.error.onlyNational' | 'invite.error.notYours' = 'roles.error.onlyNational',
): Organization {
  const org = db.select().from(organizations).where(eq(organizations.id, organizationId)).get();
  if (!org || !managesOrganization(actor, org)) throw new NotFoundError();
  if (!mayGrantRole(actor, role, org)) throw new ForbiddenError(refusal);
  return org;
}

export function grantRole(
  db: Db,
  actor: CurrentUser,
  userId: number,
  organizationId: number,
  role: Role,
): void {
  // Only to people already in the actor's part of the network: someone from elsewhere joins a
  // collective by accepting an invitation, with their own consent.
  requirePersonInScope(db, managementScope(actor), userId);
  const org = requireGrantAuthority(db, actor, organizationId, role);
  if (org.archivedAt) throw new RuleError('roles.error.archived');
  if (!roleFits[role].includes(org.kind)) throw new RuleError('roles.error.wrongKind');
  withTransaction(db, (tx) => {
    const inserted = tx
      .insert(memberships)
      .values({ userId, organizationId, role })
      .onConflictDoNothing()
      .returning({ id: memberships.id })
      .get();
    if (inserted) {
      recordAudit(tx, {
        actorUserId: actor.id,
        action: 'role.grant',
        subjectUserId: userId,
        organizationId,
        details: { role },
      });
    }
  });
}

function activeAdmins(db: Db): number {
  return (
    db
      .select({ n: count() })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.role, NATIONAL), isNull(users.disabledAt)))
      .get()?.n ?? 0
  );
}

export function withdrawRole(db: Db, actor: CurrentUser, membershipId: number): { userId: number } {
  const membership = db.select().from(memberships).where(eq(memberships.id, membershipId)).get();
  if (!membership) throw new NotFoundError();
  requireGrantAuthority(db, actor, membership.organizationId, membership.role);
  withTransaction(db, (tx) => {
    if (membership.role === NATIONAL && activeAdmins(tx) <= 1) throw new RuleError('roles.error.lastAdmin');
    tx.delete(memberships).where(eq(memberships.id, membershipId)).run();
    recordAudit(tx, {
      actorUserId: actor.id,
      action: 'role.withdraw',
      subjectUserId: membership.userId,
      organizationId: membership.organizationId,
      details: { role: membership.role },
    });
  });
  return { userId: membership.userId };
}

/** Taking this person out (disabled, erased) would leave the network without an active admin. */
export function isLastActiveAdmin(db: Db, userId: number): boolean {
  const national = db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, NATIONAL)))
    .get();
  return national !== undefined && activeAdmins(db) <= 1;
}

/** The roles a person holds anywhere (what decides who may disable or re-enable them). */
export function rolesOf(db: Db, userId: number): Role[] {
  return db
    .select({ role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .all()
    .map((r) => r.role);
}

// Granting and withdrawing roles. Only the national team grants or withdraws `coordinator`
// (on a COSIM/FOSIM) and `admin` (on FORIM); a coordinator grants `member` and `trainer` on the
// organizations of their collective. The last active admin keeps their role. Every change is
// in the audit log.
import { and, count, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { memberships, organizations, type Role, users } from '../db/schema.ts';
import { ForbiddenError, NotFoundError, RuleError } from '../lib/errors.ts';
import { managementScope, organizationInScope, requirePersonInScope } from '../organizations/scope.ts';
import type { CurrentUser } from './users.ts';

/** Which roles fit which kind of organization. */
export const roleFits: Record<Role, ReadonlyArray<string>> = {
  member: ['osim', 'cosim', 'fosim'],
  trainer: ['osim', 'cosim', 'fosim'],
  coordinator: ['cosim', 'fosim'],
  admin: ['forim'],
};

export function rolesGrantableBy(actor: CurrentUser): Role[] {
  return managementScope(actor).all ? ['member', 'trainer', 'coordinator', 'admin'] : ['member', 'trainer'];
}

function checkAuthority(db: Db, actor: CurrentUser, organizationId: number, role: Role) {
  const scope = managementScope(actor);
  if (!scope.all && (role === 'coordinator' || role === 'admin'))
    throw new ForbiddenError('roles.error.onlyNational');
  if (!organizationInScope(db, scope, organizationId)) throw new NotFoundError();
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
  checkAuthority(db, actor, organizationId, role);
  const org = db.select().from(organizations).where(eq(organizations.id, organizationId)).get();
  if (!org || org.archivedAt) throw new RuleError('roles.error.archived');
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
      .where(and(eq(memberships.role, 'admin'), isNull(users.disabledAt)))
      .get()?.n ?? 0
  );
}

export function withdrawRole(db: Db, actor: CurrentUser, membershipId: number): { userId: number } {
  const membership = db.select().from(memberships).where(eq(memberships.id, membershipId)).get();
  if (!membership) throw new NotFoundError();
  checkAuthority(db, actor, membership.organizationId, membership.role);
  withTransaction(db, (tx) => {
    if (membership.role === 'admin' && activeAdmins(tx) <= 1) throw new RuleError('roles.error.lastAdmin');
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
  const isAdmin = db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, 'admin')))
    .get();
  return isAdmin !== undefined && activeAdmins(db) <= 1;
}

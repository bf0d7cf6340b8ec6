// Disabling and re-enabling an account. A disabled person cannot sign in and their sessions end
// at once; nothing else changes, so re-enabling restores everything. The national team disables
// anyone (but never the last active admin); a coordinator disables the members and trainers of
// their collective, not other coordinators or the national team.
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { deleteUserSessions } from '../auth/session-store.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { memberships, users } from '../db/schema.ts';
import { ForbiddenError, RuleError } from '../lib/errors.ts';
import { managementScope, requirePersonInScope } from '../organizations/scope.ts';
import { isLastActiveAdmin } from './roles.ts';
import type { CurrentUser } from './users.ts';

function checkAuthority(db: Db, actor: CurrentUser, userId: number) {
  const scope = managementScope(actor);
  requirePersonInScope(db, scope, userId);
  if (actor.id === userId) throw new RuleError('accounts.error.self');
  if (!scope.all) {
    const roles = db
      .select({ role: memberships.role })
      .from(memberships)
      .where(eq(memberships.userId, userId))
      .all();
    if (roles.some((r) => r.role === 'coordinator' || r.role === 'admin'))
      throw new ForbiddenError('accounts.error.onlyNational');
  }
}

export function disableAccount(db: Db, actor: CurrentUser, userId: number): void {
  checkAuthority(db, actor, userId);
  withTransaction(db, (tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get()!;
    if (user.disabledAt) return;
    if (isLastActiveAdmin(tx, userId)) throw new RuleError('roles.error.lastAdmin');
    tx.update(users).set({ disabledAt: new Date() }).where(eq(users.id, userId)).run();
    deleteUserSessions(tx, userId);
    recordAudit(tx, { actorUserId: actor.id, action: 'account.disable', subjectUserId: userId });
  });
}

export function enableAccount(db: Db, actor: CurrentUser, userId: number): void {
  checkAuthority(db, actor, userId);
  withTransaction(db, (tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get()!;
    if (!user.disabledAt) return;
    tx.update(users).set({ disabledAt: null }).where(eq(users.id, userId)).run();
    recordAudit(tx, {
      actorUserId: actor.id,
      action: 'account.enable',
      subjectUserId: userId,
    });
  });
}

// Disabling and re-enabling an account. A disabled person cannot sign in and their sessions end
// at once; nothing else changes, so re-enabling restores everything. Who may do either is
// policy.ts's (mayDisableAccount, mayReEnable): the national team anyone (but never the last
// active admin), a coordinator the members and trainers of their collective; the account keeps
// the authority that disabled it, and only as much authority re-enables it.
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { deleteUserSessions } from '../auth/session-store.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { ForbiddenError, RuleError } from '../lib/errors.ts';
import { managementScope, requirePersonInScope } from '../organizations/scope.ts';
import { authorityOf, mayDisableAccount, mayReEnable } from '../policy/policy.ts';
import { isLastActiveAdmin, rolesOf } from './roles.ts';
import type { CurrentUser } from './users.ts';

/** The account as the rules read it; 404 outside the actor's part of the network. */
export function accountFacts(db: Db, actor: CurrentUser, userId: number) {
  requirePersonInScope(db, managementScope(actor), userId);
  const row = db
    .select({ disabledAt: users.disabledAt, disabledAuthority: users.disabledAuthority })
    .from(users)
    .where(eq(users.id, userId))
    .get()!;
  return { id: userId, roles: rolesOf(db, userId), ...row };
}

export function disableAccount(db: Db, actor: CurrentUser, userId: number): void {
  const account = accountFacts(db, actor, userId);
  if (actor.id === userId) throw new RuleError('accounts.error.self');
  if (!mayDisableAccount(actor, account)) throw new ForbiddenError('accounts.error.onlyNational');
  withTransaction(db, (tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get()!;
    if (user.disabledAt) return;
    if (isLastActiveAdmin(tx, userId)) throw new RuleError('roles.error.lastAdmin');
    tx.update(users)
      .set({ disabledAt: new Date(), disabledBy: actor.id, disabledAuthority: authorityOf(actor) })
      .where(eq(users.id, userId))
      .run();
    deleteUserSessions(tx, userId);
    recordAudit(tx, { actorUserId: actor.id, action: 'account.disable', subjectUserId: userId });
  });
}

export function enableAccount(db: Db, actor: CurrentUser, userId: number): void {
  const account = accountFacts(db, actor, userId);
  if (!account.disabledAt) return;
  if (!mayReEnable(actor, account)) {
    throw new ForbiddenError(
      mayDisableAccount(actor, account) ? 'accounts.error.disabledByNational' : 'accounts.error.onlyNational',
    );
  }
  withTransaction(db, (tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get()!;
    if (!user.disabledAt) return;
    // Disabled again meanwhile, perhaps by the national team: the rule reads what is there now.
    if (!mayReEnable(actor, { ...account, disabledAuthority: user.disabledAuthority }))
      throw new ForbiddenError('accounts.error.disabledByNational');
    tx.update(users)
      .set({ disabledAt: null, disabledBy: null, disabledAuthority: null })
      .where(eq(users.id, userId))
      .run();
    recordAudit(tx, {
      actorUserId: actor.id,
      action: 'account.enable',
      subjectUserId: userId,
    });
  });
}

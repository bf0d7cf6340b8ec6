// What a change of credentials does to the rest of the account, in one place so that no path
// forgets a part: after a password is changed (profile) or reset (link), an e-mail change is
// confirmed or undone, every pending password-reset link and e-mail-change link of the account stops
// working, and every session ends but the one kept (the person who just proved who they are).
// Undo links of past e-mail changes are NOT ended here: they are the way back for the owner of the
// old address when someone else moved the account away and then changed its password.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { emailChanges, passwordResets } from '../db/schema.ts';
import { deleteUserSessions } from './session-store.ts';

export function onCredentialsChanged(
  tx: Db,
  userId: number,
  options: { keepSessionId?: string; now?: Date } = {},
): void {
  const now = options.now ?? new Date();
  tx.update(passwordResets)
    .set({ usedAt: now })
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)))
    .run();
  tx.update(emailChanges)
    .set({ usedAt: now })
    .where(and(eq(emailChanges.userId, userId), isNull(emailChanges.usedAt)))
    .run();
  deleteUserSessions(tx, userId, options.keepSessionId);
}

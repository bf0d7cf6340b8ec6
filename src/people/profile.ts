// A person's own profile: name, language, password (the current one is asked; every other session
// and pending link ends). The e-mail address changes in email-change.ts.
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { onCredentialsChanged } from '../auth/credentials.ts';
import { hashPassword } from '../auth/passwords.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { users } from '../db/schema.ts';
import type { Locale } from '../i18n/index.ts';
import { searchColumns } from './users.ts';

export function updateProfile(db: Db, userId: number, input: { displayName: string; locale?: Locale }): void {
  withTransaction(db, (tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get()!;
    tx.update(users)
      .set({
        displayName: input.displayName,
        locale: input.locale ?? user.locale,
        ...searchColumns(input.displayName, user.email),
      })
      .where(eq(users.id, userId))
      .run();
    if (user.displayName !== input.displayName) {
      recordAudit(tx, {
        actorUserId: userId,
        action: 'profile.rename',
        subjectUserId: userId,
        details: { from: user.displayName, to: input.displayName },
      });
    }
  });
}

/**
 * Sets the new password (the route has checked the current one, throttled) and ends every session
 * and pending link of the person, this session included (Lucia's guide): the route then signs them
 * in again with a fresh session.
 */
export async function changePassword(db: Db, userId: number, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  withTransaction(db, (tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
    onCredentialsChanged(tx, userId);
    recordAudit(tx, { actorUserId: userId, action: 'profile.password', subjectUserId: userId });
  });
}

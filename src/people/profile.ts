// A person's own profile: name, language, email (changed only once the new address is proved by a
// link sent to it), password (the current one is asked; other sessions end).
import { and, eq, gt, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { deleteUserSessions } from '../auth/session-store.ts';
import { generateLinkToken, hashLinkToken, isWellFormedLinkToken } from '../auth/tokens.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { emailChanges, users } from '../db/schema.ts';
import { type Locale, translator } from '../i18n/index.ts';
import { RuleError } from '../lib/errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import { findUserByEmail, normalizeEmail, searchColumns } from './users.ts';

export const EMAIL_CHANGE_TTL_HOURS = 24;

export function updateProfile(db: Db, userId: number, input: { displayName: string; locale: Locale }): void {
  withTransaction(db, (tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get()!;
    tx.update(users)
      .set({
        displayName: input.displayName,
        locale: input.locale,
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

/** Sends a confirmation link to the new address; the email changes only when it is opened. */
export function requestEmailChange(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  userId: number,
  newEmail: string,
  now = new Date(),
): void {
  const email = normalizeEmail(newEmail);
  const user = db.select().from(users).where(eq(users.id, userId)).get()!;
  if (email === user.email) throw new RuleError('profile.error.sameEmail');
  if (findUserByEmail(db, email)) throw new RuleError('profile.error.emailTaken');
  const token = generateLinkToken();
  db.insert(emailChanges)
    .values({
      userId,
      newEmail: email,
      tokenHash: hashLinkToken(token),
      expiresAt: new Date(now.getTime() + EMAIL_CHANGE_TTL_HOURS * 3_600_000),
    })
    .run();
  const t = translator(user.locale);
  const link = `${baseUrl}/profile/email/${token}`;
  mailer.send({
    to: email,
    subject: t('mail.emailChange.subject'),
    text: t('mail.emailChange.body', { name: user.displayName, email, hours: EMAIL_CHANGE_TTL_HOURS, link }),
    // Kept out of the outbox's text, shown to nobody there (src/mail/links.ts).
    link: {
      url: link,
      kind: 'email-change',
      expiresAt: new Date(now.getTime() + EMAIL_CHANGE_TTL_HOURS * 3_600_000),
    },
  });
}

/** Applies the change if the link is still good; returns the user id, or null. */
export function confirmEmailChange(db: Db, token: string, now = new Date()): number | null {
  if (!isWellFormedLinkToken(token)) return null;
  return withTransaction(db, (tx) => {
    const change = tx
      .update(emailChanges)
      .set({ usedAt: now })
      .where(
        and(
          eq(emailChanges.tokenHash, hashLinkToken(token)),
          isNull(emailChanges.usedAt),
          gt(emailChanges.expiresAt, now),
        ),
      )
      .returning()
      .get();
    if (!change) return null;
    // Taken meanwhile by another account: the link is spent, nothing changes.
    if (findUserByEmail(tx, change.newEmail)) return null;
    const user = tx.select().from(users).where(eq(users.id, change.userId)).get();
    if (!user || user.disabledAt) return null;
    tx.update(users)
      .set({ email: change.newEmail, ...searchColumns(user.displayName, change.newEmail) })
      .where(eq(users.id, user.id))
      .run();
    recordAudit(tx, {
      actorUserId: user.id,
      action: 'profile.email',
      subjectUserId: user.id,
      details: { from: user.email, to: change.newEmail },
    });
    return user.id;
  });
}

/** Whether this is the person's password (asked again before changing it or deleting the account). */
export async function isCurrentPassword(db: Db, userId: number, password: string): Promise<boolean> {
  const user = db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
  return verifyPassword(user?.hash ?? null, password);
}

/**
 * Checks the current password, sets the new one and ends every session of the person, this one
 * included (Lucia's guide): the route then signs them in again with a fresh session.
 */
export async function changePassword(
  db: Db,
  userId: number,
  input: { current: string; password: string },
): Promise<void> {
  if (!(await isCurrentPassword(db, userId, input.current)))
    throw new RuleError('profile.error.wrongPassword');
  const passwordHash = await hashPassword(input.password);
  withTransaction(db, (tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
    deleteUserSessions(tx, userId);
    recordAudit(tx, { actorUserId: userId, action: 'profile.password', subjectUserId: userId });
  });
}

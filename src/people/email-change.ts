// Changing the e-mail address of an account: the request (current password checked by the route),
// the confirmation by a link sent to the new address, and the undo link sent to the old one.
//
// NOTE: the request answers the same way whether or not the new address belongs to another account
// (no account enumeration): a free address gets the confirmation link; a taken one gets a neutral
// notice saying someone proposed it for another account and nothing changed — the requester never
// learns which. Whether the address is free is decided again at confirmation: taken meanwhile, the
// link says so and changes nothing. On confirmation the old address is told, with a link valid
// UNDO_DAYS that restores it, ends every session and leads to choosing a new password; every other
// session and pending link of the account ends (auth/credentials.ts).
import { and, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { onCredentialsChanged } from '../auth/credentials.ts';
import { issuePasswordReset } from '../auth/password-reset.ts';
import {
  consumeLinkToken,
  generateLinkToken,
  hashLinkToken,
  isWellFormedLinkToken,
  type SingleUseLink,
} from '../auth/tokens.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { emailChanges, users } from '../db/schema.ts';
import { translator } from '../i18n/index.ts';
import { RuleError } from '../lib/errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import { findUserByEmail, normalizeEmail, searchColumns } from './users.ts';

export const EMAIL_CHANGE_TTL_HOURS = 24;
export const UNDO_DAYS = 7;

/** The confirmation link, sent to the new address: it opens nothing for a disabled account. */
const confirmation: SingleUseLink<typeof emailChanges> = {
  table: emailChanges,
  tokenHash: emailChanges.tokenHash,
  usedAt: emailChanges.usedAt,
  expiresAt: emailChanges.expiresAt,
  alsoRequires: sql`${emailChanges.userId} IN (SELECT ${users.id} FROM ${users} WHERE ${users.disabledAt} IS NULL)`,
};

/** The undo link, sent to the old address. */
const undo: SingleUseLink<typeof emailChanges> = {
  table: emailChanges,
  tokenHash: emailChanges.undoTokenHash,
  usedAt: emailChanges.undoneAt,
  expiresAt: emailChanges.undoExpiresAt,
};

/**
 * Sends the confirmation link to the new address if no account uses it, a neutral notice to it
 * otherwise; the answer to the requester is the same. Only the newest request of an account counts:
 * earlier links stop working.
 */
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
  withTransaction(db, (tx) => {
    tx.update(emailChanges)
      .set({ usedAt: now })
      .where(and(eq(emailChanges.userId, userId), isNull(emailChanges.usedAt)))
      .run();
    const owner = findUserByEmail(tx, email);
    if (owner) {
      const t = translator(owner.locale);
      mailer.send({
        to: email,
        subject: t('mail.emailInUse.subject'),
        text: t('mail.emailInUse.body', { email }),
      });
      return;
    }
    const token = generateLinkToken();
    tx.insert(emailChanges)
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
      text: t('mail.emailChange.body', {
        name: user.displayName,
        email,
        hours: EMAIL_CHANGE_TTL_HOURS,
        link,
      }),
      // Kept out of the outbox's text, shown to nobody there (src/mail/links.ts).
      link: {
        url: link,
        kind: 'email-change',
        expiresAt: new Date(now.getTime() + EMAIL_CHANGE_TTL_HOURS * 3_600_000),
      },
    });
  });
}

export type ConfirmResult =
  | { state: 'done'; userId: number }
  | { state: 'taken'; email: string }
  | { state: 'expired' }
  | { state: 'unknown' };

/**
 * Applies the change if the link is still good and the address still free. `session` is the one
 * that opened the link: kept if it is the account's own, every other session of the account ends.
 */
export function confirmEmailChange(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  token: string,
  session: { id: string; userId: number } | null,
  now = new Date(),
): ConfirmResult {
  return withTransaction(db, (tx): ConfirmResult => {
    const link = consumeLinkToken(tx, confirmation, token, now);
    if (link.state !== 'consumed') return { state: link.state };
    const change = link.row;
    const user = tx.select().from(users).where(eq(users.id, change.userId)).get()!;
    const owner = findUserByEmail(tx, change.newEmail);
    if (owner && owner.id !== user.id) return { state: 'taken', email: change.newEmail };

    const undoToken = generateLinkToken();
    tx.update(emailChanges)
      .set({
        previousEmail: user.email,
        undoTokenHash: hashLinkToken(undoToken),
        undoExpiresAt: new Date(now.getTime() + UNDO_DAYS * 86_400_000),
      })
      .where(eq(emailChanges.id, change.id))
      .run();
    tx.update(users)
      .set({ email: change.newEmail, ...searchColumns(user.displayName, change.newEmail) })
      .where(eq(users.id, user.id))
      .run();
    onCredentialsChanged(tx, user.id, {
      keepSessionId: session?.userId === user.id ? session.id : undefined,
      now,
    });
    recordAudit(tx, {
      actorUserId: user.id,
      action: 'profile.email',
      subjectUserId: user.id,
      details: { from: user.email, to: change.newEmail },
    });
    const t = translator(user.locale);
    const undoLink = `${baseUrl}/profile/email/undo/${undoToken}`;
    mailer.send({
      to: user.email,
      subject: t('mail.emailChanged.subject'),
      text: t('mail.emailChanged.body', {
        name: user.displayName,
        previous: user.email,
        current: change.newEmail,
        days: UNDO_DAYS,
        link: undoLink,
      }),
      // Kept out of the outbox's text, shown to nobody there (src/mail/links.ts).
      link: {
        url: undoLink,
        kind: 'email-change',
        expiresAt: new Date(now.getTime() + UNDO_DAYS * 86_400_000),
      },
    });
    return { state: 'done', userId: user.id };
  });
}

export type UndoLink =
  | { state: 'valid'; previousEmail: string; newEmail: string; changedAt: Date }
  | { state: 'expired' }
  | { state: 'unknown' };

function findUndo(db: Db, token: string) {
  if (!isWellFormedLinkToken(token)) return undefined;
  return db
    .select({
      id: emailChanges.id,
      userId: emailChanges.userId,
      previousEmail: emailChanges.previousEmail,
      newEmail: emailChanges.newEmail,
      changedAt: emailChanges.usedAt,
      undoExpiresAt: emailChanges.undoExpiresAt,
      undoneAt: emailChanges.undoneAt,
    })
    .from(emailChanges)
    .where(eq(emailChanges.undoTokenHash, hashLinkToken(token)))
    .get();
}

/** What the undo link's page shows before the person confirms. */
export function findEmailUndo(db: Db, token: string, now = new Date()): UndoLink {
  const row = findUndo(db, token);
  if (!row?.previousEmail || !row.changedAt || !row.undoExpiresAt) return { state: 'unknown' };
  if (row.undoneAt || row.undoExpiresAt <= now) return { state: 'expired' };
  return {
    state: 'valid',
    previousEmail: row.previousEmail,
    newEmail: row.newEmail,
    changedAt: row.changedAt,
  };
}

export type UndoResult =
  | { state: 'restored'; email: string; resetToken: string }
  | { state: 'taken'; email: string }
  | { state: 'expired' }
  | { state: 'unknown' };

/**
 * Puts the old address back, ends every session and pending link of the account, voids every other
 * undo link of it (an attacker's own address must not be restorable after this), and returns a
 * fresh password-reset token: whoever opened the link proved they hold the old address, as a
 * forgotten-password link would. If another account took the old address meanwhile, nothing can
 * be restored, but the sessions still end.
 */
export function undoEmailChange(db: Db, token: string, now = new Date()): UndoResult {
  return withTransaction(db, (tx): UndoResult => {
    const link = consumeLinkToken(tx, undo, token, now);
    if (link.state !== 'consumed') return { state: link.state };
    const row = link.row;
    if (!row.previousEmail) return { state: 'unknown' };
    tx.update(emailChanges)
      .set({ undoneAt: now })
      .where(and(eq(emailChanges.userId, row.userId), isNull(emailChanges.undoneAt)))
      .run();
    const user = tx.select().from(users).where(eq(users.id, row.userId)).get();
    if (!user || user.disabledAt) return { state: 'expired' };
    onCredentialsChanged(tx, user.id, { now });
    const owner = findUserByEmail(tx, row.previousEmail);
    if (owner && owner.id !== user.id) return { state: 'taken', email: row.previousEmail };
    tx.update(users)
      .set({ email: row.previousEmail, ...searchColumns(user.displayName, row.previousEmail) })
      .where(eq(users.id, user.id))
      .run();
    recordAudit(tx, {
      actorUserId: user.id,
      action: 'profile.emailUndo',
      subjectUserId: user.id,
      details: { from: user.email, to: row.previousEmail },
    });
    return { state: 'restored', email: row.previousEmail, resetToken: issuePasswordReset(tx, user.id, now) };
  });
}

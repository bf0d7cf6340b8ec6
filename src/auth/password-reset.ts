// Forgotten password: a single-use link valid RESET_TTL_MINUTES, sent only if the account exists
// (the page says the same thing either way). Using it ends every session of the account and every
// other pending link (credentials.ts).
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { passwordResets, users } from '../db/schema.ts';
import { translator } from '../i18n/index.ts';
import type { Mailer } from '../mail/mailer.ts';
import { findUserByEmail } from '../people/users.ts';
import { onCredentialsChanged } from './credentials.ts';
import {
  consumeLinkToken,
  generateLinkToken,
  hashLinkToken,
  isWellFormedLinkToken,
  type SingleUseLink,
} from './tokens.ts';

export const RESET_TTL_MINUTES = 60;

const resetLinks: SingleUseLink<typeof passwordResets> = {
  table: passwordResets,
  tokenHash: passwordResets.tokenHash,
  usedAt: passwordResets.usedAt,
  expiresAt: passwordResets.expiresAt,
};

export function requestPasswordReset(
  db: Db,
  mailer: Mailer,
  email: string,
  baseUrl: string,
  now = new Date(),
): { sent: boolean; token?: string } {
  const user = findUserByEmail(db, email);
  if (!user || user.disabledAt) return { sent: false };
  const token = issuePasswordReset(db, user.id, now);
  const t = translator(user.locale);
  const link = `${baseUrl}/password/reset/${token}`;
  mailer.send({
    to: user.email,
    subject: t('mail.reset.subject'),
    text: t('mail.reset.body', { name: user.displayName, minutes: RESET_TTL_MINUTES, link }),
    // Kept out of the outbox's text, shown to nobody there (src/mail/links.ts).
    link: {
      url: link,
      kind: 'password-reset',
      expiresAt: new Date(now.getTime() + RESET_TTL_MINUTES * 60_000),
    },
  });
  return { sent: true, token };
}

/** A new reset link for the account (its token, to send or to redirect to); stored as a SHA-256. */
export function issuePasswordReset(db: Db, userId: number, now = new Date()): string {
  const token = generateLinkToken();
  db.insert(passwordResets)
    .values({
      userId,
      tokenHash: hashLinkToken(token),
      expiresAt: new Date(now.getTime() + RESET_TTL_MINUTES * 60_000),
    })
    .run();
  return token;
}

export type LinkState = 'valid' | 'expired' | 'unknown';

export function findPasswordReset(db: Db, token: string, now = new Date()) {
  if (!isWellFormedLinkToken(token)) return { state: 'unknown' as const };
  const row = db
    .select({
      id: passwordResets.id,
      userId: passwordResets.userId,
      expiresAt: passwordResets.expiresAt,
      usedAt: passwordResets.usedAt,
      email: users.email,
      disabledAt: users.disabledAt,
    })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(eq(passwordResets.tokenHash, hashLinkToken(token)))
    .get();
  if (!row) return { state: 'unknown' as const };
  if (row.usedAt || row.disabledAt || row.expiresAt <= now) return { state: 'expired' as const };
  return { state: 'valid' as const, userId: row.userId, email: row.email };
}

/**
 * Sets the new password if the link is still valid. The link is consumed inside the transaction
 * (consumeLinkToken), so two submissions of the same link cannot both succeed.
 */
export function resetPassword(db: Db, token: string, passwordHash: string, now = new Date()): number | null {
  return withTransaction(db, (tx) => {
    const link = consumeLinkToken(tx, resetLinks, token, now);
    if (link.state !== 'consumed') return null;
    const consumed = link.row;
    tx.update(users).set({ passwordHash }).where(eq(users.id, consumed.userId)).run();
    onCredentialsChanged(tx, consumed.userId, { now });
    recordAudit(tx, {
      actorUserId: consumed.userId,
      action: 'password.reset',
      subjectUserId: consumed.userId,
    });
    return consumed.userId;
  });
}

// Every email goes through the outbox table first: a crash between "decided to send" and "sent"
// loses nothing, and without SMTP_URL the national team can still read what would have gone out.
// A mail's link is stored apart and sealed (links.ts), forgotten once sent or expired; rows go
// OUTBOX_KEEP_DAYS after they were sent (or written, for a mail that never left).
import { and, desc, eq, gt, isNotNull, isNull, lt, lte, or } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outbox } from '../db/schema.ts';
import { assertNoBareLink, type LinkSealer, type MailLink, withoutLink } from './links.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The link that opens something, which `text` contains: it is kept out of the stored text. */
  link?: MailLink;
}

/** How long a mail stays in the outbox after it was sent (or written, if it never left). */
export const OUTBOX_KEEP_DAYS = 30;

export function queueMail(db: Db, message: MailMessage, sealer: LinkSealer): number {
  const { link } = message;
  const textBody = link ? withoutLink(message.text, link) : message.text;
  assertNoBareLink(textBody);
  return db
    .insert(outbox)
    .values({
      toAddress: message.to,
      subject: message.subject,
      textBody,
      linkKind: link?.kind ?? null,
      sealedLink: link ? sealer.seal(link.url, message.to) : null,
      linkExpiresAt: link?.expiresAt ?? null,
    })
    .returning({ id: outbox.id })
    .get().id;
}

/** Mails waiting to leave, after `afterId`, oldest first. */
export function pendingMails(db: Db, maxAttempts: number, afterId = 0, limit = 20) {
  return db
    .select()
    .from(outbox)
    .where(and(isNull(outbox.sentAt), lt(outbox.attempts, maxAttempts), gt(outbox.id, afterId)))
    .orderBy(outbox.id)
    .limit(limit)
    .all();
}

export type OutboxRow = typeof outbox.$inferSelect;

/** Sent: the link is forgotten in the same write. */
export function markMailSent(db: Db, id: number, now = new Date()): void {
  db.update(outbox).set({ sentAt: now, lastError: null, sealedLink: null }).where(eq(outbox.id, id)).run();
}

/** A failed attempt; the last one allowed forgets the link too (the mail will not leave). */
export function markMailFailed(
  db: Db,
  id: number,
  attempts: number,
  error: string,
  maxAttempts: number,
): void {
  db.update(outbox)
    .set({
      attempts,
      lastError: error.slice(0, 500),
      ...(attempts >= maxAttempts ? { sealedLink: null } : {}),
    })
    .where(eq(outbox.id, id))
    .run();
}

export function listOutbox(db: Db, limit = 100) {
  return db.select().from(outbox).orderBy(desc(outbox.id)).limit(limit).all();
}

/**
 * Forgets the links that have expired (sent or not) and deletes the mails sent — or written, when
 * they never left — more than OUTBOX_KEEP_DAYS ago. Run by a job every hour.
 */
export function purgeOutbox(db: Db, now = new Date()): { linksForgotten: number; mailsDeleted: number } {
  const linksForgotten = db
    .update(outbox)
    .set({ sealedLink: null })
    .where(and(isNotNull(outbox.sealedLink), lte(outbox.linkExpiresAt, now)))
    .run().changes;
  const before = new Date(now.getTime() - OUTBOX_KEEP_DAYS * 86_400_000);
  const mailsDeleted = db
    .delete(outbox)
    .where(
      or(
        and(isNotNull(outbox.sentAt), lt(outbox.sentAt, before)),
        and(isNull(outbox.sentAt), lt(outbox.createdAt, before)),
      ),
    )
    .run().changes;
  return { linksForgotten, mailsDeleted };
}

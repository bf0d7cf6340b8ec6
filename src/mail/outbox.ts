// Every email goes through the outbox table first: a crash between "decided to send" and "sent"
// loses nothing, and without SMTP_URL the national team can still read what would have gone out.
import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outbox } from '../db/schema.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export function queueMail(db: Db, message: MailMessage): number {
  return db
    .insert(outbox)
    .values({ toAddress: message.to, subject: message.subject, textBody: message.text })
    .returning({ id: outbox.id })
    .get().id;
}

export function pendingMails(db: Db, maxAttempts: number, limit = 20) {
  return db
    .select()
    .from(outbox)
    .where(and(isNull(outbox.sentAt), lt(outbox.attempts, maxAttempts)))
    .orderBy(outbox.id)
    .limit(limit)
    .all();
}

export function markMailSent(db: Db, id: number, now = new Date()): void {
  db.update(outbox).set({ sentAt: now, lastError: null }).where(eq(outbox.id, id)).run();
}

export function markMailFailed(db: Db, id: number, attempts: number, error: string): void {
  db.update(outbox)
    .set({ attempts, lastError: error.slice(0, 500) })
    .where(eq(outbox.id, id))
    .run();
}

export function listOutbox(db: Db, limit = 100) {
  return db.select().from(outbox).orderBy(desc(outbox.id)).limit(limit).all();
}

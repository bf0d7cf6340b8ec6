// Retention: an account nobody has signed in to for two years gets a warning email, and is erased
// 30 days later unless the person signs in meanwhile. A job inside the app runs it every six hours;
// running it twice changes nothing (the warning is recorded, an erased account stays erased). An
// erasure that fails is logged and tried again at the next run; the others go on.
import { type Db, sqliteOf } from '../db/client.ts';
import { translator } from '../i18n/index.ts';
import { RuleError } from '../lib/errors.ts';
import { consoleLog, type JobLog, repeat } from '../lib/jobs.ts';
import { formatDate } from '../lib/time.ts';
import type { Mailer } from '../mail/mailer.ts';
import { OUTBOX_KEEP_DAYS } from '../mail/outbox.ts';
import { eraseAccount } from './erase.ts';

/** Also what the privacy notice says: how long an account may stay unused, mails are kept (mail/outbox.ts). */
export const retentionPolicy = { inactiveDays: 730, graceDays: 30, mailDays: OUTBOX_KEEP_DAYS } as const;
const DAY = 86_400_000;

export interface RetentionRun {
  warned: number;
  erased: number;
  /** Warnings withdrawn because the person came back. */
  kept: number;
  /** Due for erasure but not erased (logged; tried again next time). */
  failed: number;
}

export function applyRetention(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  now = new Date(),
  log: JobLog = consoleLog,
): RetentionRun {
  const client = sqliteOf(db);
  const t = now.getTime();
  const inactiveSince = t - retentionPolicy.inactiveDays * DAY;
  const run: RetentionRun = { warned: 0, erased: 0, kept: 0, failed: 0 };
  // Came back after the warning: the warning no longer holds.
  run.kept = client
    .prepare(
      `DELETE FROM retention_notices WHERE user_id IN (
        SELECT n.user_id FROM retention_notices n JOIN users u ON u.id = n.user_id
        WHERE coalesce(u.last_seen_at, u.created_at) > n.warned_at)`,
    )
    .run().changes;
  const due = client
    .prepare(
      `SELECT u.id FROM retention_notices n JOIN users u ON u.id = n.user_id
       WHERE n.warned_at <= ? AND u.erased_at IS NULL`,
    )
    .all(t - retentionPolicy.graceDays * DAY) as { id: number }[];
  for (const { id } of due) {
    try {
      eraseAccount(db, id, { mailer, baseUrl, actorId: null }, now);
      run.erased += 1;
    } catch (error) {
      run.failed += 1;
      // The last active admin is never erased: their warning stays, and the log says why.
      if (error instanceof RuleError) log.warn({ userId: id, rule: error.key }, 'retention: account kept');
      else log.error({ err: error, userId: id }, 'retention: erasure failed');
    }
  }
  const toWarn = client
    .prepare(
      `SELECT u.id, u.email, u.display_name AS name, u.locale FROM users u
       WHERE coalesce(u.last_seen_at, u.created_at) < ? AND u.erased_at IS NULL
         AND u.id NOT IN (SELECT user_id FROM retention_notices)`,
    )
    .all(inactiveSince) as {
    id: number;
    email: string;
    name: string;
    locale: 'fr' | 'en';
  }[];
  const record = client.prepare('INSERT INTO retention_notices (user_id, warned_at) VALUES (?, ?)');
  const erasedOn = formatDate(t + retentionPolicy.graceDays * DAY);
  for (const person of toWarn) {
    const tr = translator(person.locale);
    client.transaction(() => {
      record.run(person.id, t);
      mailer.send({
        to: person.email,
        subject: tr('mail.retention.subject'),
        text: tr('mail.retention.body', { name: person.name, date: erasedOn, link: `${baseUrl}/login` }),
      });
    })();
    run.warned += 1;
  }
  return run;
}

export function startRetentionJob(db: Db, mailer: Mailer, baseUrl: string, log: JobLog): () => void {
  return repeat(
    () => {
      applyRetention(db, mailer, baseUrl, new Date(), log);
    },
    { firstAfterMs: 5000, everyMs: 6 * 3600_000 },
    (error) => log.error({ err: error }, 'retention job failed'),
  );
}

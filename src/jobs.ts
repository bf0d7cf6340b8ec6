// The app's background jobs, started by server.ts once the app is built, each reporting its
// failures to the app's logger (none is swallowed): mail delivery retried and the outbox purged,
// séance reminders, séances that start, dashboard summaries, retention. Returns what stops them all.

import { startHeldGatheringsJob } from './attendance/held.ts';
import { deleteIdleSessions } from './auth/session-store.ts';
import type { Config } from './config.ts';
import { startSummaryJob } from './dashboards/summaries.ts';
import type { Db } from './db/client.ts';
import { startReminderJob } from './gatherings/reminders.ts';
import { type JobLog, repeat } from './lib/jobs.ts';
import type { Mailer } from './mail/mailer.ts';
import { purgeOutbox } from './mail/outbox.ts';
import { startRetentionJob } from './privacy/retention.ts';

export function startJobs(
  deps: { db: Db; mailer: Mailer; config: Pick<Config, 'baseUrl' | 'reminderHours'> },
  log: JobLog,
): () => void {
  const { db, mailer, config } = deps;
  const failed = (job: string) => (error: unknown) => log.error({ err: error, job }, `${job} job failed`);
  // Every failed delivery (SMTP down, an address refused) and anything that stops a flush.
  mailer.onError = (error) => log.warn({ err: error }, 'email delivery failed');
  const stops = [
    // Emails that could not leave (SMTP down) are retried every minute.
    repeat(() => mailer.flush(), { firstAfterMs: 60_000, everyMs: 60_000 }, failed('mail retry')),
    // Links forgotten once expired, mails deleted 30 days after sending (src/mail/outbox.ts).
    repeat(() => purgeOutbox(db), { firstAfterMs: 30_000, everyMs: 3600_000 }, failed('outbox purge')),
    // Séance reminders: the day before and REMINDER_HOURS before, each sent once.
    startReminderJob(db, mailer, config.baseUrl, config.reminderHours, failed('reminder')),
    // Séances that start: the presences marked before the start begin to count (figures, certificates).
    startHeldGatheringsJob(db, mailer, config.baseUrl, failed('held séances')),
    // Dashboards: the collectives whose figures changed are recomputed in the background.
    startSummaryJob(db, 10_000, failed('dashboard summary')),
    // Sessions idle 14 days or begun 30 days ago: refused anyway, their rows deleted every hour.
    repeat(
      () => deleteIdleSessions(db),
      { firstAfterMs: 45_000, everyMs: 3600_000 },
      failed('session purge'),
    ),
    // Retention: two years without signing in → a warning, then erasure 30 days later.
    startRetentionJob(db, mailer, config.baseUrl, log),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}

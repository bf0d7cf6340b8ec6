// What attending a séance changes elsewhere: the learner's figures (learner_stats) and the
// certificates whose rules it completes. A presence counts only once the séance has started
// (certificates/progress.ts, `attendedSql`), and it may be marked up to 30 minutes before: so the
// roll call's taps refresh the people they mark, and a job looks, every minute, for séances that
// have just started and does the same for those already marked present.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { repeat } from '../lib/jobs.ts';
import type { Mailer } from '../mail/mailer.ts';
import { recordProgress } from '../progress/record-progress.ts';

/**
 * After roll-call marks: the people marked (a guest has no account: null) get their figures and the
 * certificates they now meet (recordProgress; the mail of a certificate issued leaves after the commit).
 */
export function awardEarned(db: Db, mailer: Mailer, baseUrl: string, userIds: Array<number | null>): void {
  const ids = userIds.filter((id): id is number => id !== null);
  recordProgress(db, mailer, baseUrl, { kind: 'attendance', userIds: ids });
}

/**
 * For the séances that started in (`since`, `now`] and are not cancelled: everyone already marked
 * present gets their figures and certificates. Idempotent. Returns the people looked at.
 */
export function awardStartedGatherings(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  since: Date,
  now: Date,
): number[] {
  const people = db
    .all<{ userId: number }>(sql`
      SELECT DISTINCT a.user_id AS userId FROM gatherings g JOIN attendance a ON a.gathering_id = g.id
      WHERE g.starts_at > ${since.getTime()} AND g.starts_at <= ${now.getTime()} AND g.cancelled_at IS NULL
        AND a.status = 'present' AND a.user_id IS NOT NULL
      ORDER BY a.user_id`)
    .map((r) => r.userId);
  recordProgress(db, mailer, baseUrl, { kind: 'attendance', userIds: people }, now);
  return people;
}

/**
 * The job: every minute, inside the app. After a restart it looks back a day (doing it twice is
 * harmless). Returns a function that stops it.
 */
export function startHeldGatheringsJob(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  onError: (error: unknown) => void,
): () => void {
  let since = new Date(Date.now() - 24 * 3600_000);
  return repeat(
    () => {
      const now = new Date();
      awardStartedGatherings(db, mailer, baseUrl, since, now);
      since = now;
    },
    { firstAfterMs: 5_000, everyMs: 60_000 },
    onError,
  );
}

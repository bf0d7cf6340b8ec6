// What attending a séance changes elsewhere: the learner's figures (learner_stats) and the
// certificates whose rules it completes. A presence counts only once the séance has started
// (certificates/progress.ts, `attendedSql`), and it may be marked up to 30 minutes before: so the
// roll call's taps refresh the people they mark, and a job looks, every minute, for séances that
// have just started and does the same for those already marked present.
import { sql } from 'drizzle-orm';
import { issueEarned } from '../certificates/certificates.ts';
import { refreshLearnerStats } from '../dashboards/learner-stats.ts';
import type { Db } from '../db/client.ts';
import { repeat } from '../lib/jobs.ts';
import type { Mailer } from '../mail/mailer.ts';

/** Refreshes each person's figures and issues the certificates they now meet. Returns how many were issued. */
export function awardAttendance(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  userIds: Iterable<number>,
  now = new Date(),
): number {
  let issued = 0;
  for (const id of new Set(userIds)) {
    refreshLearnerStats(db, id, now);
    issued += issueEarned(db, mailer, baseUrl, id, now).length;
  }
  return issued;
}

/**
 * After roll-call marks: the people marked (a guest has no account: null) get their figures and the
 * certificates they now meet, and the mail of any certificate issued leaves at once.
 */
export function awardEarned(db: Db, mailer: Mailer, baseUrl: string, userIds: Array<number | null>): void {
  const ids = userIds.filter((id): id is number => id !== null);
  if (awardAttendance(db, mailer, baseUrl, ids) > 0) void mailer.flush();
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
  awardAttendance(db, mailer, baseUrl, people, now);
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
      if (awardStartedGatherings(db, mailer, baseUrl, since, now).length > 0) void mailer.flush();
      since = now;
    },
    { firstAfterMs: 5_000, everyMs: 60_000 },
    onError,
  );
}

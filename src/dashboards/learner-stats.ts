// Per-learner figures the dashboards aggregate: computing a member's path progress and skills
// from 1,000s of progress rows on every dashboard view would not hold at national scale, so each
// learner's row in learner_stats (and their acquired skills in learner_skills) is rewritten
// whenever something that changes it happens — a lesson finished, a quiz attempt, a roll call —
// and rebuilt in bulk after imports (npm run data:national) or a content sync.
import { eq, sql } from 'drizzle-orm';
import { attendedGatherings, skillsProgress } from '../certificates/progress.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { learnerSkills, learnerStats } from '../db/schema.ts';
import { pathProgress } from '../learning/progress.ts';

/** Rewrites the learner's figures from their progress (lessons, quizzes, séances attended). */
export function refreshLearnerStats(db: Db, userId: number, now = new Date()): void {
  const path = pathProgress(db, userId);
  const skills = skillsProgress(db, userId, now).filter((s) => s.state === 'acquired');
  const attended = attendedGatherings(db, userId, undefined, now).length;
  const lastActivity = db.get<{ at: number | null }>(sql`
    SELECT max(at) AS at FROM (
      SELECT max(last_opened_at) AS at FROM lesson_progress WHERE user_id = ${userId}
      UNION ALL SELECT max(created_at) FROM quiz_attempts WHERE user_id = ${userId})`)?.at;
  const courses = path?.courses ?? [];
  const percent = path?.percent ?? 0;
  // Finished: when the last step was done (the latest lesson, or the first pass of a quiz).
  const completedAt =
    percent >= 100
      ? db.get<{ at: number | null }>(sql`
          SELECT max(at) AS at FROM (
            SELECT max(completed_at) AS at FROM lesson_progress WHERE user_id = ${userId}
            UNION ALL SELECT min(created_at) FROM quiz_attempts WHERE user_id = ${userId} AND passed = 1 GROUP BY quiz_id)`)
          ?.at
      : null;
  const row = {
    userId,
    lessonsDone: courses.reduce((n, c) => n + c.lessonsDone, 0),
    quizzesAttempted: courses.filter((c) => (c.quiz?.attempts ?? 0) > 0).length,
    quizzesPassed: courses.filter((c) => c.quiz?.passed).length,
    percent,
    gatheringsAttended: attended,
    lastActivityAt: lastActivity ? new Date(lastActivity) : null,
    completedAt: completedAt ? new Date(completedAt) : null,
    updatedAt: now,
  };
  withTransaction(db, (tx) => {
    tx.insert(learnerStats).values(row).onConflictDoUpdate({ target: learnerStats.userId, set: row }).run();
    tx.delete(learnerSkills).where(eq(learnerSkills.userId, userId)).run();
    if (skills.length > 0)
      tx.insert(learnerSkills)
        .values(skills.map((s) => ({ userId, skillCode: s.code })))
        .run();
  });
}

/** Rebuilds every learner's figures (members with any progress or enrolment). Returns how many. */
export function rebuildLearnerStats(db: Db, now = new Date()): number {
  const ids = db
    .all<{ id: number }>(sql`
      SELECT DISTINCT user_id AS id FROM (
        SELECT user_id FROM lesson_progress UNION SELECT user_id FROM quiz_attempts
        UNION SELECT user_id FROM cycle_members UNION SELECT user_id FROM attendance WHERE user_id IS NOT NULL)`)
    .map((r) => r.id);
  withTransaction(db, (tx) => {
    for (const id of ids) refreshLearnerStats(tx, id, now);
  });
  return ids.length;
}

// The one way in for a step of progress — a lesson finished, a quiz answered, presences at a séance
// that now count — and everything that follows from it: the learner's figures (learner_stats,
// which the dashboards read) and the certificates whose rules the step completes. All of it is one
// transaction, so no write path can forget a part, and a failure leaves nothing half done.
//
// NOTE: mail needs no call here. A certificate's email is a row of the outbox written in this
// transaction; the mailer delivers it by itself once the transaction is over (mailer.send
// schedules its flush after the current synchronous work), and never sends one that was rolled back.
//
// A new kind of progress: a variant of `ProgressStep`, its write in `writeStep`, and a call to
// `recordProgress` from its route or job.
import { issueEarned } from '../certificates/certificates.ts';
import { refreshLearnerStats } from '../dashboards/learner-stats.ts';
import { type Db, withTransaction } from '../db/client.ts';
import type { Certificate } from '../db/schema.ts';
import { completeLesson, forgetLearner, recordAttempt } from '../learning/progress.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { CurrentUser } from '../people/users.ts';
import { markReady, type ProjectView } from '../projects/projects.ts';

/** « J'ai terminé cette leçon ». */
export interface LessonFinished {
  kind: 'lesson';
  userId: number;
  lessonId: string;
}

/** A quiz's answers, sent together; `answerOrder` is the order they were shown in (answer-order.ts). */
export interface QuizAnswered {
  kind: 'quiz';
  userId: number;
  quizId: string;
  answers: Record<string, string[]>;
  answerOrder: Record<string, string[]> | null;
}

/**
 * Presences that count: marked by the roll call (gatherings/attendance.ts writes them, with its
 * own windows and rules), or reached by the start of their séance (attendance/held.ts).
 */
export interface AttendanceCounted {
  kind: 'attendance';
  userIds: Iterable<number>;
}

/**
 * « Prêt à déposer » said (or taken back) by a trainer on a project: its authors may now meet a
 * certificate rule (a certificate already issued stays: it was true when issued).
 */
export interface ProjectMarkedReady {
  kind: 'project';
  by: CurrentUser;
  project: ProjectView;
  ready: boolean;
}

export type ProgressStep = LessonFinished | QuizAnswered | AttendanceCounted | ProjectMarkedReady;

export interface QuizAttempt {
  id: number;
  score: number;
  passed: boolean;
}

export interface Progressed {
  /** The certificates the step completed, issued now (their emails are in the outbox). */
  earned: Certificate[];
  /** The attempt written, for a quiz. */
  attempt: QuizAttempt | null;
}

/** The people whose progress the step changes. */
function concernedBy(step: ProgressStep): number[] {
  if (step.kind === 'attendance') return [...new Set(step.userIds)];
  if (step.kind === 'project') return [...step.project.authorIds];
  return [step.userId];
}

/** Writes the step (attendance is already written by the roll call); for a quiz, the attempt. */
function writeStep(tx: Db, step: ProgressStep, now: Date): QuizAttempt | null {
  switch (step.kind) {
    case 'lesson':
      completeLesson(tx, step.userId, step.lessonId, now);
      return null;
    case 'quiz':
      return recordAttempt(tx, step.userId, step.quizId, step.answers, now, step.answerOrder);
    case 'attendance':
      return null;
    case 'project':
      markReady(tx, step.by, step.project, step.ready, now);
      return null;
  }
}

/** Records the step, refreshes the figures of the people it concerns and issues what they earned. */
export function recordProgress(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  step: QuizAnswered,
  now?: Date,
): Progressed & { attempt: QuizAttempt };
export function recordProgress(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  step: ProgressStep,
  now?: Date,
): Progressed;
export function recordProgress(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  step: ProgressStep,
  now = new Date(),
): Progressed {
  const concerned = concernedBy(step);
  try {
    return withTransaction(
      db,
      (tx) => {
        const attempt = writeStep(tx, step, now);
        const earned: Certificate[] = [];
        for (const userId of concerned) {
          refreshLearnerStats(tx, userId, now);
          // A failed attempt completes no rule: nothing to look for.
          if (attempt && !attempt.passed) continue;
          earned.push(...issueEarned(tx, mailer, baseUrl, userId, now));
        }
        return { earned, attempt };
      },
      'immediate',
    );
  } catch (error) {
    // What was read of their progress inside the transaction is kept in memory (learning/progress.ts):
    // rolled back, it is no longer true.
    for (const userId of concerned) forgetLearner(db, userId);
    throw error;
  }
}

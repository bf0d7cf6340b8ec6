// Where each demo learner stands in the path: lessons finished, tasks ticked, quiz attempts —
// written through the learning module's own functions, so the figures follow its rules.
import { asc, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { lessons, quizzes } from '../db/schema.ts';
import { answerOrder } from '../learning/answer-order.ts';
import {
  completeLesson,
  getPath,
  getQuiz,
  recordAttempt,
  sampleAnswers,
  setTaskDone,
} from '../learning/progress.ts';
import { findUserByEmail } from '../people/users.ts';

/**
 * Where each demo learner stands in the path (when the courses are loaded): the share of each
 * module's lessons finished, in path order (so the stories hold whatever the lessons' number), the
 * « À faire maintenant » tasks ticked among the lessons finished, then quiz attempts as [wrong
 * questions] per attempt. Mamadou has finished module 1 (failed its quiz once, then passed) and is a
 * third of the way through module 2; Karima has just started.
 */
const demoProgress: Array<{
  email: string;
  modules: number[];
  tasks: number;
  attempts: Record<string, number[]>;
}> = [
  { email: 'membre@cosim-bretagne.test', modules: [1, 1 / 3], tasks: 4, attempts: { 'pdv-quiz': [4, 0] } },
  { email: 'membre@cosim-om.test', modules: [0.25], tasks: 1, attempts: {} },
  {
    email: 'awa.diop@cosim-bretagne.test',
    modules: [1, 1, 0.15],
    tasks: 9,
    attempts: { 'pdv-quiz': [1], 'prj-quiz': [2, 1] },
  },
  { email: 'jean-baptiste.kouame@cosim-bretagne.test', modules: [2 / 3], tasks: 0, attempts: {} },
  { email: 'nadia.haddad@cosim-om.test', modules: [1], tasks: 2, attempts: { 'pdv-quiz': [5] } },
];

export function seedProgress(tx: Db) {
  const path = getPath(tx);
  if (!path) return;
  const pathLessons = tx
    .select({ id: lessons.id, courseId: lessons.courseId, taskHtml: lessons.taskHtml })
    .from(lessons)
    .where(isNull(lessons.archivedAt))
    .orderBy(asc(lessons.position))
    .all()
    .filter((l) => path.courseIds.includes(l.courseId))
    .sort((a, b) => path.courseIds.indexOf(a.courseId) - path.courseIds.indexOf(b.courseId));
  if (pathLessons.length === 0) return;
  const activeQuizzes = new Set(
    tx
      .select({ id: quizzes.id })
      .from(quizzes)
      .where(isNull(quizzes.archivedAt))
      .all()
      .map((q) => q.id),
  );
  const day = 24 * 3600 * 1000;
  for (const learner of demoProgress) {
    const user = findUserByEmail(tx, learner.email);
    if (!user) continue;
    const finished = learner.modules.flatMap((share, i) => {
      const inModule = pathLessons.filter((l) => l.courseId === path.courseIds[i]);
      return inModule.slice(0, Math.round(share * inModule.length));
    });
    // One lesson every other day, ending yesterday; the first tasks ticked the day after.
    let at = Date.now() - (finished.length * 2 + 1) * day;
    let ticks = learner.tasks;
    for (const lesson of finished) {
      completeLesson(tx, user.id, lesson.id, new Date(at));
      if (ticks > 0 && lesson.taskHtml !== null) {
        setTaskDone(tx, user.id, lesson.id, true, new Date(at + day));
        ticks--;
      }
      at += 2 * day;
    }
    for (const [quizId, attempts] of Object.entries(learner.attempts)) {
      if (!activeQuizzes.has(quizId)) continue;
      const { quiz } = getQuiz(tx, quizId);
      for (const [round, wrong] of attempts.entries()) {
        const order = answerOrder(quiz.questions, quizId, user.id, round + 1);
        recordAttempt(tx, user.id, quizId, sampleAnswers(quiz.questions, wrong), new Date(at - day), order);
      }
    }
  }
}

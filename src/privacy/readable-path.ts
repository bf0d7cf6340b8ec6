// « Mon parcours » on « Mes données » (readable.ts): where the person stands on the path, then each
// module with the lessons they opened or finished (by title, with the day) and their quiz results
// in words, then the skills they acquired. Lessons, quizzes and skills are named from the content,
// archived ones included: progress on content since removed is still the person's.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Block, Line, Reader, Row } from './readable.ts';

export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));

/** Titles of the content (a few dozen lessons: read whole). */
function contentNames(db: Db) {
  const courses = db.all<{ id: string; title: string }>(sql`SELECT id, title FROM courses ORDER BY title`);
  const lessons = db.all<{ id: string; courseId: string; title: string; archived: number }>(
    sql`SELECT id, course_id AS courseId, title, archived_at IS NOT NULL AS archived FROM lessons ORDER BY position`,
  );
  const quizzes = new Map(
    db
      .all<{ id: string; courseId: string; title: string }>(
        sql`SELECT id, course_id AS courseId, title FROM quizzes`,
      )
      .map((q) => [q.id, q]),
  );
  const skills = new Map(
    db
      .all<{ code: string; title: string }>(sql`SELECT code, title FROM skills`)
      .map((s) => [s.code, s.title]),
  );
  const pathOrder = JSON.parse(
    db.get<{ ids: string }>(sql`SELECT course_ids AS ids FROM paths ORDER BY id LIMIT 1`)?.ids ?? '[]',
  ) as string[];
  return { courses, lessons, quizzes, skills, pathOrder };
}

/** « Mon parcours »: where the person stands, then each module's lessons and quiz, then skills. */
export function pathBlocks(db: Db, { t, day, rowsOf }: Reader): Block[] {
  const names = contentNames(db);
  const blocks: Block[] = [];
  const stats = rowsOf('learner_stats')[0];
  if (stats) {
    blocks.push({
      kind: 'text',
      text: t('privacy.mine.stats', {
        percent: num(stats.percent),
        lessons: t('privacy.mine.lessonsCount', { count: num(stats.lessons_done) }),
        quizzes: t('privacy.mine.quizzesCount', { count: num(stats.quizzes_passed) }),
        gatherings: t('privacy.mine.gatheringsCount', { count: num(stats.gatherings_attended) }),
      }),
    });
    if (stats.completed_at)
      blocks.push({ kind: 'text', text: t('privacy.mine.pathDone', { date: day(stats.completed_at) }) });
  }
  const progress = new Map(rowsOf('lesson_progress').map((r) => [str(r.lesson_id), r]));
  const attempts = new Map<string, Row[]>();
  for (const a of rowsOf('quiz_attempts')) {
    const list = attempts.get(str(a.quiz_id)) ?? [];
    list.push(a);
    attempts.set(str(a.quiz_id), list);
  }
  const rank = (id: string) => {
    const i = names.pathOrder.indexOf(id);
    return i === -1 ? names.pathOrder.length : i;
  };
  const courses = [...names.courses].sort((a, b) => rank(a.id) - rank(b.id));
  const known = new Set<string>();
  for (const course of courses) {
    const lessons = names.lessons.filter((l) => l.courseId === course.id);
    const lines: Line[] = [];
    for (const lesson of lessons) {
      const p = progress.get(lesson.id);
      if (!p) continue;
      known.add(lesson.id);
      lines.push({
        text: p.completed_at
          ? t('privacy.mine.lesson.done', { title: lesson.title, date: day(p.completed_at) })
          : t('privacy.mine.lesson.opened', { title: lesson.title, date: day(p.first_opened_at) }),
      });
      if (p.task_done_at)
        lines.push({
          text: t('privacy.mine.lesson.task', { title: lesson.title, date: day(p.task_done_at) }),
        });
    }
    for (const [quizId, list] of attempts) {
      const quiz = names.quizzes.get(quizId);
      if (quiz?.courseId !== course.id) continue;
      known.add(quizId);
      lines.push(quizLine({ t, day, rowsOf }, quiz.title, list));
    }
    if (lines.length === 0) continue;
    const done = lessons.filter((l) => !l.archived && progress.get(l.id)?.completed_at).length;
    const total = lessons.filter((l) => !l.archived).length;
    lines.unshift({ text: t('privacy.mine.lessonsDone', { count: done, total }) });
    blocks.push({ kind: 'lines', heading: course.title, lines });
  }
  // Rows of content that no longer exists are still the person's: said, without their ids.
  const gone = [...progress.keys(), ...attempts.keys()].filter((id) => !known.has(id)).length;
  if (gone > 0) blocks.push({ kind: 'text', text: t('privacy.mine.removedContent', { count: gone }) });
  const skills = rowsOf('learner_skills').map(
    (s) => names.skills.get(str(s.skill_code)) ?? str(s.skill_code),
  );
  blocks.push({
    kind: 'lines',
    heading: t('privacy.mine.skills'),
    lines: skills.map((text) => ({ text })),
  });
  return blocks;
}

/** A quiz: best score, right answers in words, attempts, each attempt on its own line. */
function quizLine({ t, day }: Reader, title: string, list: Row[]): Line {
  // Every question is answered before an attempt is recorded: the answers give the number of
  // questions, the score (the share answered right) the number of right ones.
  const right = (a: Row) => {
    const questions = Object.keys((a.answers ?? {}) as object).length;
    return { count: Math.round((num(a.score) * questions) / 100), questions };
  };
  const sorted = [...list].sort((a, b) => str(a.created_at).localeCompare(str(b.created_at)));
  const best = sorted.reduce((b, a) => (num(a.score) > num(b.score) ? a : b));
  const passed = sorted.some((a) => num(a.passed) === 1 || a.passed === true);
  return {
    text: t('privacy.mine.quiz', {
      title,
      score: num(best.score),
      count: right(best).count,
      questions: right(best).questions,
      passed: t(passed ? 'privacy.mine.quiz.passed' : 'privacy.mine.quiz.notPassed'),
      attempts: t('privacy.mine.attempts', { count: sorted.length }),
    }),
    details: sorted.map((a) =>
      t('privacy.mine.attempt', { date: day(a.created_at), score: num(a.score), ...right(a) }),
    ),
  };
}

// A member's progress through the path: lessons opened and finished, quiz attempts (every one
// kept, the best counts), and the next step — the first lesson not finished, or the quiz not
// passed, in the path's order.
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import {
  courses,
  lessonProgress,
  lessons,
  paths,
  type QuizQuestion,
  quizAttempts,
  quizzes,
} from '../db/schema.ts';
import { NotFoundError } from '../lib/errors.ts';

export interface LessonStep {
  kind: 'lesson';
  id: string;
  title: string;
  durationMinutes: number;
  done: boolean;
}

export interface QuizStep {
  kind: 'quiz';
  id: string;
  title: string;
  passMark: number;
  bestScore: number | null;
  passed: boolean;
  attempts: number;
}

export interface CourseProgress {
  id: string;
  title: string;
  summary: string;
  durationMinutes: number;
  lessons: LessonStep[];
  quiz: QuizStep | null;
  lessonsDone: number;
  /** Lessons finished and quiz passed, over all steps: 0 to 100. */
  percent: number;
  resources: Array<{ file: string; title: string; description: string }>;
}

export interface PathProgress {
  id: string;
  title: string;
  summary: string;
  courses: CourseProgress[];
  percent: number;
  /** Where "Continuer" leads, or null when everything is done. */
  next: { kind: 'lesson' | 'quiz'; id: string; title: string; courseTitle: string } | null;
  started: boolean;
}

export function getPath(db: Db) {
  return db.select().from(paths).orderBy(asc(paths.id)).limit(1).get();
}

export function pathProgress(db: Db, userId: number): PathProgress | null {
  const path = getPath(db);
  if (!path) return null;
  const activeCourses = db
    .select()
    .from(courses)
    .where(isNull(courses.archivedAt))
    .all()
    .filter((c) => path.courseIds.includes(c.id))
    .sort((a, b) => path.courseIds.indexOf(a.id) - path.courseIds.indexOf(b.id));
  const allLessons = db
    .select({
      id: lessons.id,
      courseId: lessons.courseId,
      title: lessons.title,
      durationMinutes: lessons.durationMinutes,
    })
    .from(lessons)
    .where(isNull(lessons.archivedAt))
    .orderBy(lessons.courseId, lessons.position)
    .all();
  const allQuizzes = db
    .select({ id: quizzes.id, courseId: quizzes.courseId, title: quizzes.title, passMark: quizzes.passMark })
    .from(quizzes)
    .where(isNull(quizzes.archivedAt))
    .all();
  const done = new Set(
    db
      .select({ lessonId: lessonProgress.lessonId })
      .from(lessonProgress)
      .where(and(eq(lessonProgress.userId, userId), sql`${lessonProgress.completedAt} IS NOT NULL`))
      .all()
      .map((r) => r.lessonId),
  );
  const attempts = new Map(
    db
      .select({
        quizId: quizAttempts.quizId,
        best: sql<number>`max(${quizAttempts.score})`,
        n: sql<number>`count(*)`,
      })
      .from(quizAttempts)
      .where(eq(quizAttempts.userId, userId))
      .groupBy(quizAttempts.quizId)
      .all()
      .map((r) => [r.quizId, r]),
  );

  let totalSteps = 0;
  let doneSteps = 0;
  let next: PathProgress['next'] = null;
  const courseViews = activeCourses.map((course): CourseProgress => {
    const steps = allLessons
      .filter((l) => l.courseId === course.id)
      .map((l): LessonStep => ({ kind: 'lesson', ...l, done: done.has(l.id) }));
    const q = allQuizzes.find((x) => x.courseId === course.id);
    const attempt = q ? attempts.get(q.id) : undefined;
    const quiz: QuizStep | null = q
      ? {
          kind: 'quiz',
          id: q.id,
          title: q.title,
          passMark: q.passMark,
          bestScore: attempt?.best ?? null,
          passed: (attempt?.best ?? -1) >= q.passMark,
          attempts: attempt?.n ?? 0,
        }
      : null;
    const lessonsDone = steps.filter((s) => s.done).length;
    const courseSteps = steps.length + (quiz ? 1 : 0);
    const courseDone = lessonsDone + (quiz?.passed ? 1 : 0);
    totalSteps += courseSteps;
    doneSteps += courseDone;
    if (!next) {
      const lesson = steps.find((s) => !s.done);
      if (lesson) next = { kind: 'lesson', id: lesson.id, title: lesson.title, courseTitle: course.title };
      else if (quiz && !quiz.passed)
        next = { kind: 'quiz', id: quiz.id, title: quiz.title, courseTitle: course.title };
    }
    return {
      id: course.id,
      title: course.title,
      summary: course.summary,
      durationMinutes: course.durationMinutes,
      lessons: steps,
      quiz,
      lessonsDone,
      percent: courseSteps === 0 ? 0 : Math.round((courseDone / courseSteps) * 100),
      resources: course.resources,
    };
  });
  return {
    id: path.id,
    title: path.title,
    summary: path.summary,
    courses: courseViews,
    percent: totalSteps === 0 ? 0 : Math.round((doneSteps / totalSteps) * 100),
    next,
    started: doneSteps > 0 || attempts.size > 0,
  };
}

/** A lesson with its neighbours in the course and the person's progress in that course. */
export function lessonView(db: Db, userId: number, lessonId: string) {
  const lesson = db
    .select()
    .from(lessons)
    .where(and(eq(lessons.id, lessonId), isNull(lessons.archivedAt)))
    .get();
  if (!lesson) throw new NotFoundError();
  const course = db.select().from(courses).where(eq(courses.id, lesson.courseId)).get()!;
  const siblings = db
    .select({ id: lessons.id, title: lessons.title })
    .from(lessons)
    .where(and(eq(lessons.courseId, lesson.courseId), isNull(lessons.archivedAt)))
    .orderBy(lessons.position)
    .all();
  const index = siblings.findIndex((s) => s.id === lesson.id);
  const quiz = db
    .select({ id: quizzes.id, title: quizzes.title })
    .from(quizzes)
    .where(and(eq(quizzes.courseId, course.id), isNull(quizzes.archivedAt)))
    .get();
  return {
    lesson,
    course,
    position: index + 1,
    count: siblings.length,
    previous: siblings[index - 1] ?? null,
    next: siblings[index + 1] ?? null,
    quiz: quiz ?? null,
    progress: courseProgressOf(
      db,
      userId,
      course.id,
      siblings.map((s) => s.id),
    ),
  };
}

/** Lessons of a course finished by the person, and whether this one is. */
export function courseProgressOf(db: Db, userId: number, courseId: string, lessonIds?: string[]) {
  const ids =
    lessonIds ??
    db
      .select({ id: lessons.id })
      .from(lessons)
      .where(and(eq(lessons.courseId, courseId), isNull(lessons.archivedAt)))
      .all()
      .map((l) => l.id);
  const finished = db
    .select({ lessonId: lessonProgress.lessonId })
    .from(lessonProgress)
    .innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
    .where(
      and(
        eq(lessonProgress.userId, userId),
        eq(lessons.courseId, courseId),
        sql`${lessonProgress.completedAt} IS NOT NULL`,
      ),
    )
    .all()
    .map((r) => r.lessonId)
    .filter((id) => ids.includes(id));
  return {
    done: new Set(finished),
    total: ids.length,
    percent: ids.length === 0 ? 0 : Math.round((finished.length / ids.length) * 100),
  };
}

/** Remembers that the person opened the lesson (the first time, and the last). */
export function markLessonOpened(db: Db, userId: number, lessonId: string, now = new Date()): void {
  db.insert(lessonProgress)
    .values({ userId, lessonId, firstOpenedAt: now, lastOpenedAt: now })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.lessonId],
      set: { lastOpenedAt: now },
    })
    .run();
}

/** "J'ai terminé cette leçon": idempotent, the first completion date is kept. */
export function completeLesson(db: Db, userId: number, lessonId: string, now = new Date()): void {
  const lesson = db
    .select({ id: lessons.id })
    .from(lessons)
    .where(and(eq(lessons.id, lessonId), isNull(lessons.archivedAt)))
    .get();
  if (!lesson) throw new NotFoundError();
  db.insert(lessonProgress)
    .values({ userId, lessonId, firstOpenedAt: now, lastOpenedAt: now, completedAt: now })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.lessonId],
      set: { completedAt: sql`coalesce(${lessonProgress.completedAt}, ${now.getTime()})`, lastOpenedAt: now },
    })
    .run();
}

/** The folder under courses/ of an active course. */
export function courseFolder(db: Db, courseId: string): string {
  const course = db
    .select({ folder: courses.folder })
    .from(courses)
    .where(and(eq(courses.id, courseId), isNull(courses.archivedAt)))
    .get();
  if (!course) throw new NotFoundError();
  return course.folder;
}

export function isCourseFolder(db: Db, folder: string): boolean {
  return (
    db
      .select({ id: courses.id })
      .from(courses)
      .where(and(eq(courses.folder, folder), isNull(courses.archivedAt)))
      .get() !== undefined
  );
}

export function getQuiz(db: Db, quizId: string) {
  const quiz = db
    .select()
    .from(quizzes)
    .where(and(eq(quizzes.id, quizId), isNull(quizzes.archivedAt)))
    .get();
  if (!quiz) throw new NotFoundError();
  const course = db.select().from(courses).where(eq(courses.id, quiz.courseId)).get()!;
  return { quiz, course };
}

export interface QuestionResult {
  id: string;
  right: boolean;
  chosen: string[];
}

/** Right when exactly the right answers are ticked. Score: share of right questions, 0–100. */
export function gradeQuiz(questions: QuizQuestion[], answers: Record<string, string[]>) {
  const results: QuestionResult[] = questions.map((q) => {
    const chosen = [...new Set(answers[q.id] ?? [])].filter((a) => q.answers.some((x) => x.id === a));
    const correct = q.answers.filter((a) => a.correct).map((a) => a.id);
    const right = chosen.length === correct.length && correct.every((c) => chosen.includes(c));
    return { id: q.id, right, chosen };
  });
  const score =
    questions.length === 0 ? 0 : Math.round((results.filter((r) => r.right).length / questions.length) * 100);
  return { results, score };
}

export function recordAttempt(
  db: Db,
  userId: number,
  quizId: string,
  answers: Record<string, string[]>,
  now = new Date(),
) {
  const { quiz } = getQuiz(db, quizId);
  const { score } = gradeQuiz(quiz.questions, answers);
  const passed = score >= quiz.passMark;
  const row = db
    .insert(quizAttempts)
    .values({ userId, quizId, answers, score, passed, createdAt: now })
    .returning({ id: quizAttempts.id })
    .get();
  return { id: row.id, score, passed };
}

/** One attempt, for its author only. */
export function getAttempt(db: Db, userId: number, quizId: string, attemptId: number) {
  const attempt = db
    .select()
    .from(quizAttempts)
    .where(
      and(eq(quizAttempts.id, attemptId), eq(quizAttempts.userId, userId), eq(quizAttempts.quizId, quizId)),
    )
    .get();
  if (!attempt) throw new NotFoundError();
  const history = db
    .select({ score: quizAttempts.score, passed: quizAttempts.passed, createdAt: quizAttempts.createdAt })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.quizId, quizId)))
    .orderBy(desc(quizAttempts.id))
    .all();
  return { attempt, history, best: Math.max(...history.map((h) => h.score)) };
}

/** Answers to a quiz: all right, or the first `wrong` questions answered wrongly (demo, tests). */
export function sampleAnswers(questions: QuizQuestion[], wrong = 0): Record<string, string[]> {
  const answers: Record<string, string[]> = {};
  for (const [i, q] of questions.entries()) {
    answers[q.id] = q.answers
      .filter((a) => (i < wrong ? !a.correct : a.correct))
      .map((a) => a.id)
      .slice(0, i < wrong ? 1 : undefined);
  }
  return answers;
}

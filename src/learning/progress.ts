// A member's progress through the path: lessons opened and finished, quiz attempts (every one
// kept, the best counts), and the next step — the first lesson not finished, or the quiz not
// passed, in the path's order.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { type Db, sqliteOf } from '../db/client.ts';
import { lessonProgress, paths, type QuizQuestion, quizAttempts } from '../db/schema.ts';
import { NotFoundError } from '../lib/errors.ts';
import { type Catalog, catalog } from './catalog.ts';

export interface LessonStep {
  kind: 'lesson';
  id: string;
  title: string;
  durationMinutes: number;
  done: boolean;
  /** Whether the lesson has a « À faire maintenant » task, and whether the person ticked it. */
  hasTask: boolean;
  taskDone: boolean;
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
  /** Tasks ticked, over the lessons that have one. */
  tasks: { done: number; total: number };
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

interface ProgressRow {
  lessonId: string;
  completedAt: number | null;
  lastOpenedAt: number;
  taskDoneAt: number | null;
}

/** What is read of one learner's progress: their lesson rows and best quiz scores. */
interface LearnerState {
  catalog: Catalog;
  rows: ProgressRow[];
  finished: Set<string>;
  attempts: Map<string, { quizId: string; best: number; n: number }>;
  path?: PathProgress | null;
}

/**
 * Learners' progress as last read, per database connection, for the most recently seen learners.
 * Progress is written only by this module (lesson opened or finished, quiz attempt), which
 * forgets the learner it wrote for; a content sync makes a new catalog, which invalidates all.
 */
const LEARNERS_KEPT = 5000;
const learnerCaches = new WeakMap<object, Map<number, LearnerState>>();

function learnerCache(db: Db): Map<number, LearnerState> {
  const client = sqliteOf(db);
  let cache = learnerCaches.get(client);
  if (!cache) {
    cache = new Map();
    learnerCaches.set(client, cache);
  }
  return cache;
}

/** Forgets what was read of a learner's progress (after writing it). */
export function forgetLearner(db: Db, userId: number): void {
  learnerCache(db).delete(userId);
}

function learner(db: Db, userId: number): LearnerState {
  const content = catalog(db);
  const cache = learnerCache(db);
  const known = cache.get(userId);
  if (known && known.catalog === content) return known;
  const client = sqliteOf(db);
  const rows = client
    .prepare(
      'SELECT lesson_id AS lessonId, completed_at AS completedAt, last_opened_at AS lastOpenedAt, task_done_at AS taskDoneAt FROM lesson_progress WHERE user_id = ?',
    )
    .all(userId) as ProgressRow[];
  const attempts = client
    .prepare(
      'SELECT quiz_id AS quizId, max(score) AS best, count(*) AS n FROM quiz_attempts WHERE user_id = ? GROUP BY quiz_id',
    )
    .all(userId) as Array<{ quizId: string; best: number; n: number }>;
  const state: LearnerState = {
    catalog: content,
    rows,
    finished: new Set(rows.filter((r) => r.completedAt !== null).map((r) => r.lessonId)),
    attempts: new Map(attempts.map((r) => [r.quizId, r])),
  };
  cache.delete(userId);
  cache.set(userId, state);
  if (cache.size > LEARNERS_KEPT) cache.delete(cache.keys().next().value!);
  return state;
}

/** The person's whole path, with where "Continuer" leads; computed once until their progress changes. */
export function pathProgress(db: Db, userId: number): PathProgress | null {
  const state = learner(db, userId);
  if (state.path === undefined) state.path = computePathProgress(state);
  return state.path;
}

function computePathProgress(state: LearnerState): PathProgress | null {
  const content = state.catalog;
  if (!content.path) return null;
  const done = state.finished;
  const attempts = state.attempts;
  const tasksDone = new Set(state.rows.filter((r) => r.taskDoneAt !== null).map((r) => r.lessonId));

  let totalSteps = 0;
  let doneSteps = 0;
  let next: PathProgress['next'] = null;
  const courseViews = content.courses.map((course): CourseProgress => {
    const steps = course.lessons.map(
      (l): LessonStep => ({
        kind: 'lesson',
        id: l.id,
        title: l.title,
        durationMinutes: l.durationMinutes,
        done: done.has(l.id),
        hasTask: l.taskHtml !== null,
        taskDone: l.taskHtml !== null && tasksDone.has(l.id),
      }),
    );
    const q = course.quiz;
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
    const lessonsDone = steps.filter((step) => step.done).length;
    const courseSteps = steps.length + (quiz ? 1 : 0);
    const courseDone = lessonsDone + (quiz?.passed ? 1 : 0);
    totalSteps += courseSteps;
    doneSteps += courseDone;
    if (!next) {
      const lesson = steps.find((step) => !step.done);
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
      tasks: {
        done: steps.filter((step) => step.taskDone).length,
        total: steps.filter((step) => step.hasTask).length,
      },
      percent: courseSteps === 0 ? 0 : Math.round((courseDone / courseSteps) * 100),
      resources: course.resources,
    };
  });
  return {
    id: content.path.id,
    title: content.path.title,
    summary: content.path.summary,
    courses: courseViews,
    percent: totalSteps === 0 ? 0 : Math.round((doneSteps / totalSteps) * 100),
    next,
    started: doneSteps > 0 || attempts.size > 0,
  };
}

function activeLesson(db: Db, lessonId: string) {
  const lesson = catalog(db).lessonsById.get(lessonId);
  if (!lesson) throw new NotFoundError();
  return lesson;
}

/** Opening a lesson again within this time is not written down again (a re-read is not news). */
export const REOPEN_WRITE_MS = 10 * 60 * 1000;

/**
 * A lesson with its neighbours in the course and the person's progress in that course; also
 * remembers that the person opened it (the first time, and the last, to REOPEN_WRITE_MS).
 */
export function openLesson(db: Db, userId: number, lessonId: string, now = new Date()) {
  const view = lessonView(db, userId, lessonId);
  const row = view.rows.find((r) => r.lessonId === lessonId);
  if (!row || now.getTime() - row.lastOpenedAt >= REOPEN_WRITE_MS)
    markLessonOpened(db, userId, lessonId, now);
  return view;
}

export function lessonView(db: Db, userId: number, lessonId: string) {
  const lesson = activeLesson(db, lessonId);
  const course = catalog(db).coursesById.get(lesson.courseId)!;
  const siblings = course.lessons;
  const { rows, finished } = learner(db, userId);
  const done = new Set(siblings.filter((l) => finished.has(l.id)).map((l) => l.id));
  return {
    lesson,
    course,
    taskDone: rows.some((r) => r.lessonId === lessonId && r.taskDoneAt !== null),
    position: lesson.index + 1,
    count: siblings.length,
    previous: siblings[lesson.index - 1] ?? null,
    next: siblings[lesson.index + 1] ?? null,
    quiz: course.quiz,
    progress: {
      done,
      total: siblings.length,
      percent: siblings.length === 0 ? 0 : Math.round((done.size / siblings.length) * 100),
    },
    rows,
  };
}

/** Lessons of a course finished by the person. */
export function courseProgressOf(db: Db, userId: number, courseId: string) {
  const course = catalog(db).coursesById.get(courseId);
  const ids = course?.lessons.map((l) => l.id) ?? [];
  const { finished } = learner(db, userId);
  const done = new Set(ids.filter((id) => finished.has(id)));
  return {
    done,
    total: ids.length,
    percent: ids.length === 0 ? 0 : Math.round((done.size / ids.length) * 100),
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
  forgetLearner(db, userId);
}

/** "J'ai terminé cette leçon": idempotent, the first completion date is kept. */
export function completeLesson(db: Db, userId: number, lessonId: string, now = new Date()): void {
  activeLesson(db, lessonId);
  db.insert(lessonProgress)
    .values({ userId, lessonId, firstOpenedAt: now, lastOpenedAt: now, completedAt: now })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.lessonId],
      set: { completedAt: sql`coalesce(${lessonProgress.completedAt}, ${now.getTime()})`, lastOpenedAt: now },
    })
    .run();
  forgetLearner(db, userId);
}

/**
 * Ticks (or unticks) the lesson's « À faire maintenant » task. Ticking records when, once; a lesson
 * without a task has nothing to tick (404).
 */
export function setTaskDone(db: Db, userId: number, lessonId: string, done: boolean, now = new Date()): void {
  if (activeLesson(db, lessonId).taskHtml === null) throw new NotFoundError();
  const doneAt = done ? sql`coalesce(${lessonProgress.taskDoneAt}, ${now.getTime()})` : null;
  db.insert(lessonProgress)
    .values({ userId, lessonId, firstOpenedAt: now, lastOpenedAt: now, taskDoneAt: done ? now : null })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.lessonId],
      set: { taskDoneAt: doneAt },
    })
    .run();
  forgetLearner(db, userId);
}

/** The folder under courses/ of an active course. */
export function courseFolder(db: Db, courseId: string): string {
  const course = catalog(db).coursesById.get(courseId);
  if (!course) throw new NotFoundError();
  return course.folder;
}

export function isCourseFolder(db: Db, folder: string): boolean {
  return catalog(db).foldersInUse.has(folder);
}

export function getQuiz(db: Db, quizId: string) {
  const quiz = catalog(db).quizzesById.get(quizId);
  if (!quiz) throw new NotFoundError();
  return { quiz, course: catalog(db).coursesById.get(quiz.courseId)! };
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
  /** The order the answers were shown in (answer-order.ts); null when unknown (demo data). */
  answerOrder: Record<string, string[]> | null = null,
) {
  const { quiz } = getQuiz(db, quizId);
  const { score } = gradeQuiz(quiz.questions, answers);
  const passed = score >= quiz.passMark;
  const row = db
    .insert(quizAttempts)
    .values({ userId, quizId, answers, answerOrder, score, passed, createdAt: now })
    .returning({ id: quizAttempts.id })
    .get();
  forgetLearner(db, userId);
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

// The training content as the pages read it: path, courses in order, lessons (with their HTML),
// quizzes. It changes only when courses/ is synced, so it is read from the database once per
// sync and kept in memory; each use checks the sync's hash (one primary-key read), so a
// `courses:sync` run by another process is seen at the next request.
import { asc, isNull } from 'drizzle-orm';
import { type Db, sqliteOf } from '../db/client.ts';
import { type CourseResource, courses, lessons, paths, type QuizQuestion, quizzes } from '../db/schema.ts';

export interface CatalogLesson {
  id: string;
  courseId: string;
  title: string;
  durationMinutes: number;
  skills: string[];
  html: string;
  /** The « À faire maintenant » task, rendered; null when the lesson has none. */
  taskHtml: string | null;
  /** Position in its course, from 0. */
  index: number;
}

export interface CatalogQuiz {
  id: string;
  courseId: string;
  title: string;
  passMark: number;
  questions: QuizQuestion[];
}

export interface CatalogCourse {
  id: string;
  title: string;
  summary: string;
  durationMinutes: number;
  skills: string[];
  resources: CourseResource[];
  folder: string;
  lessons: CatalogLesson[];
  quiz: CatalogQuiz | null;
}

export interface Catalog {
  path: { id: string; title: string; summary: string } | null;
  /** The path's courses, in its order. */
  courses: CatalogCourse[];
  /** Every active course, in the path or not. */
  coursesById: Map<string, CatalogCourse>;
  lessonsById: Map<string, CatalogLesson>;
  quizzesById: Map<string, CatalogQuiz>;
  foldersInUse: Set<string>;
}

function build(db: Db): Catalog {
  const path = db.select().from(paths).orderBy(asc(paths.id)).limit(1).get() ?? null;
  const quizRows = db.select().from(quizzes).where(isNull(quizzes.archivedAt)).all();
  const lessonRows = db
    .select()
    .from(lessons)
    .where(isNull(lessons.archivedAt))
    .orderBy(asc(lessons.courseId), asc(lessons.position))
    .all();
  const coursesById = new Map<string, CatalogCourse>();
  for (const c of db.select().from(courses).where(isNull(courses.archivedAt)).all()) {
    const quiz = quizRows.find((q) => q.courseId === c.id);
    coursesById.set(c.id, {
      id: c.id,
      title: c.title,
      summary: c.summary,
      durationMinutes: c.durationMinutes,
      skills: c.skills,
      resources: c.resources,
      folder: c.folder,
      lessons: lessonRows
        .filter((l) => l.courseId === c.id)
        .map((l, index) => ({
          id: l.id,
          courseId: l.courseId,
          title: l.title,
          durationMinutes: l.durationMinutes,
          skills: l.skills,
          html: l.html,
          taskHtml: l.taskHtml,
          index,
        })),
      quiz: quiz
        ? {
            id: quiz.id,
            courseId: quiz.courseId,
            title: quiz.title,
            passMark: quiz.passMark,
            questions: quiz.questions,
          }
        : null,
    });
  }
  const inPath = (path?.courseIds ?? []).flatMap((id) => coursesById.get(id) ?? []);
  const all = [...coursesById.values()];
  return {
    path: path ? { id: path.id, title: path.title, summary: path.summary } : null,
    courses: inPath,
    coursesById,
    lessonsById: new Map(all.flatMap((c) => c.lessons.map((l) => [l.id, l] as const))),
    quizzesById: new Map(all.flatMap((c) => (c.quiz ? [[c.quiz.id, c.quiz] as const] : []))),
    foldersInUse: new Set(all.map((c) => c.folder)),
  };
}

/** A sync made by another process (`npm run courses:sync`) is seen within this time. */
export const CATALOG_CHECK_MS = 1000;

interface CatalogCache {
  read(): string;
  version: string | null;
  checkedAt: number;
  catalog: Catalog | null;
}

const caches = new WeakMap<object, CatalogCache>();

function cacheOf(db: Db): CatalogCache {
  const client = sqliteOf(db);
  let cache = caches.get(client);
  if (!cache) {
    const statement = client.prepare('SELECT hash FROM content_state WHERE id = 1');
    const read = () => (statement.get() as { hash: string } | undefined)?.hash ?? '';
    cache = { read, version: null, checkedAt: 0, catalog: null };
    caches.set(client, cache);
  }
  return cache;
}

/** The content as last synced; rebuilt when a sync changed it. */
export function catalog(db: Db, now = Date.now()): Catalog {
  const cache = cacheOf(db);
  if (cache.catalog !== null && now - cache.checkedAt < CATALOG_CHECK_MS && now >= cache.checkedAt) {
    return cache.catalog;
  }
  const version = cache.read();
  cache.checkedAt = now;
  if (cache.catalog === null || cache.version !== version) {
    cache.catalog = build(db);
    cache.version = version;
  }
  return cache.catalog;
}

/** Called by a sync in this process: the next read rebuilds the catalog at once. */
export function invalidateCatalog(db: Db): void {
  const cache = cacheOf(db);
  cache.catalog = null;
}

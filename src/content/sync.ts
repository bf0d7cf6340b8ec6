// Puts the checked content of courses/ into the database, at start-up and with
// `npm run courses:sync`. Idempotent (an unchanged hash writes nothing). Lessons, quizzes and
// courses are matched by their stable ids: editing, moving or renaming a lesson keeps every
// learner's progress; one that disappears is archived, never deleted. Markdown is rendered here,
// once. Broken content is refused as a whole and the last good content stays in service.
import { and, eq, inArray, isNull, ne, notInArray } from 'drizzle-orm';
import { type Db, withTransaction } from '../db/client.ts';
import { contentState, courses, lessons, paths, quizzes, skills } from '../db/schema.ts';
import { frenchTypography } from '../i18n/index.ts';
import { invalidateCatalog } from '../learning/catalog.ts';
import { type Content, loadContent, type Problem } from './load.ts';
import { renderLesson } from './render.ts';

export interface SyncResult {
  ok: boolean;
  changed: boolean;
  problems: Problem[];
}

function archiveMissing(
  db: Db,
  table: typeof lessons | typeof quizzes | typeof courses,
  ids: string[],
  now: Date,
) {
  db.update(table)
    .set({ archivedAt: now })
    .where(and(isNull(table.archivedAt), ids.length > 0 ? notInArray(table.id, ids) : undefined))
    .run();
}

/**
 * Bumped when the rendering of lessons changes, so that stored HTML is rendered again even though
 * the files did not change.
 */
const RENDER_VERSION = 6;

export function syncContent(db: Db, content: Content, now = new Date()): boolean {
  const state = db.select().from(contentState).where(eq(contentState.id, 1)).get();
  const hash = `${RENDER_VERSION}:${content.hash}`;
  if (state?.hash === hash) {
    if (state.lastProblems)
      db.update(contentState)
        .set({ lastProblems: null, lastCheckedAt: now })
        .where(eq(contentState.id, 1))
        .run();
    return false;
  }
  const lessonIds = new Map<string, string>();
  for (const course of content.courses)
    for (const lesson of course.lessons) lessonIds.set(lesson.file, lesson.id);

  withTransaction(db, (tx) => {
    content.skills.forEach((skill, position) => {
      const row = {
        ...skill,
        domainTitle: frenchTypography(skill.domainTitle),
        title: frenchTypography(skill.title),
        description: frenchTypography(skill.description),
        position,
        archivedAt: null,
      };
      tx.insert(skills).values(row).onConflictDoUpdate({ target: skills.code, set: row }).run();
    });
    const skillCodes = content.skills.map((s) => s.code);
    tx.update(skills)
      .set({ archivedAt: now })
      .where(and(isNull(skills.archivedAt), notInArray(skills.code, skillCodes)))
      .run();

    const path = {
      id: content.path.id,
      title: frenchTypography(content.path.title),
      summary: frenchTypography(content.path.summary),
      courseIds: content.path.courseIds,
    };
    tx.insert(paths).values(path).onConflictDoUpdate({ target: paths.id, set: path }).run();
    // One path is served: a path whose id changed in path.yaml replaces the old one (no progress
    // hangs on a path row).
    tx.delete(paths).where(ne(paths.id, path.id)).run();

    for (const course of content.courses) {
      const row = {
        id: course.id,
        title: frenchTypography(course.title),
        summary: frenchTypography(course.summary),
        durationMinutes: course.durationMinutes,
        skills: course.skills,
        resources: course.resources.map((r) => ({
          ...r,
          title: frenchTypography(r.title),
          description: frenchTypography(r.description),
        })),
        folder: course.folder,
        archivedAt: null,
        updatedAt: now,
      };
      tx.insert(courses).values(row).onConflictDoUpdate({ target: courses.id, set: row }).run();
      course.lessons.forEach((lesson, position) => {
        const lessonRow = {
          id: lesson.id,
          courseId: course.id,
          position,
          title: frenchTypography(lesson.title),
          durationMinutes: lesson.durationMinutes,
          skills: lesson.skills,
          html: renderLesson(lesson.markdown, { file: lesson.file, courseId: course.id, lessonIds }),
          taskHtml:
            lesson.task === null
              ? null
              : renderLesson(lesson.task, { file: lesson.file, courseId: course.id, lessonIds }),
          sourceFile: lesson.file,
          archivedAt: null,
          updatedAt: now,
        };
        tx.insert(lessons).values(lessonRow).onConflictDoUpdate({ target: lessons.id, set: lessonRow }).run();
      });
      if (course.quiz) {
        const quizRow = {
          id: course.quiz.id,
          courseId: course.id,
          title: frenchTypography(course.quiz.title),
          passMark: course.quiz.passMark,
          // The lessons' typography (render.ts) for every word of the courses shown as text.
          questions: course.quiz.questions.map((q) => ({
            ...q,
            prompt: frenchTypography(q.prompt),
            answers: q.answers.map((a) => ({
              ...a,
              text: frenchTypography(a.text),
              feedback: frenchTypography(a.feedback),
            })),
          })),
          archivedAt: null,
          updatedAt: now,
        };
        tx.insert(quizzes).values(quizRow).onConflictDoUpdate({ target: quizzes.id, set: quizRow }).run();
      }
    }
    archiveMissing(
      tx,
      courses,
      content.courses.map((c) => c.id),
      now,
    );
    archiveMissing(tx, lessons, [...lessonIds.values()], now);
    archiveMissing(
      tx,
      quizzes,
      content.courses.flatMap((c) => (c.quiz ? [c.quiz.id] : [])),
      now,
    );
    // A quiz whose course is archived is archived with it.
    const archivedCourses = tx
      .select({ id: courses.id })
      .from(courses)
      .where(eq(courses.archivedAt, now))
      .all();
    if (archivedCourses.length > 0) {
      tx.update(quizzes)
        .set({ archivedAt: now })
        .where(
          inArray(
            quizzes.courseId,
            archivedCourses.map((c) => c.id),
          ),
        )
        .run();
    }
    const stateRow = { id: 1, hash, syncedAt: now, lastProblems: null, lastCheckedAt: now };
    tx.insert(contentState)
      .values(stateRow)
      .onConflictDoUpdate({ target: contentState.id, set: stateRow })
      .run();
  });
  invalidateCatalog(db);
  return true;
}

/** Reads courses/ and syncs it; with problems, records them and keeps the content in service. */
export function loadAndSync(db: Db, root: string, now = new Date()): SyncResult {
  const { content, problems } = loadContent(root);
  if (!content) {
    const existing = db.select().from(contentState).where(eq(contentState.id, 1)).get();
    if (existing) {
      db.update(contentState)
        .set({ lastProblems: problems, lastCheckedAt: now })
        .where(eq(contentState.id, 1))
        .run();
    }
    return { ok: false, changed: false, problems };
  }
  return { ok: true, changed: syncContent(db, content, now), problems: [] };
}

/** True when a path has been synced at least once (the learning pages have something to show). */
export function hasContent(db: Db): boolean {
  return (
    db.select({ id: paths.id }).from(paths).limit(1).get() !== undefined &&
    db.select({ id: lessons.id }).from(lessons).where(isNull(lessons.archivedAt)).limit(1).get() !== undefined
  );
}

// Syncing courses/ into the database: idempotent, nobody loses progress when a lesson is edited,
// renamed or moved, a removed lesson is archived (never deleted), and broken content leaves the
// last good content in service.
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { coursesRoot } from '../../src/content/paths.ts';
import { hasContent, loadAndSync } from '../../src/content/sync.ts';
import { type Db, openDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import {
  contentState,
  courses,
  lessonProgress,
  lessons,
  paths,
  quizAttempts,
  quizzes,
  skills,
} from '../../src/db/schema.ts';
import { catalog } from '../../src/learning/catalog.ts';
import {
  completeLesson,
  getQuiz,
  lessonView,
  pathProgress,
  recordAttempt,
  sampleAnswers,
} from '../../src/learning/progress.ts';
import { NotFoundError } from '../../src/lib/errors.ts';
import { createTestApp, createUser, loginAs, text } from '../helpers.ts';
import { copyCourses, edit } from './fixtures.ts';

const PDV = 'politique-de-la-ville';
const LESSON_02 = '02-qu-est-ce-qu-un-qpv.md';
const LESSON_06 = '06-diaspora-lien-habitants-institutions.md';

/** Every content row, to compare two states of the database. */
function snapshot(db: Db) {
  return {
    skills: db.select().from(skills).orderBy(skills.code).all(),
    paths: db.select().from(paths).all(),
    courses: db.select().from(courses).orderBy(courses.id).all(),
    lessons: db.select().from(lessons).orderBy(lessons.id).all(),
    quizzes: db.select().from(quizzes).orderBy(quizzes.id).all(),
    state: db.select().from(contentState).all(),
  };
}

function lessonRow(db: Db, id: string) {
  return db.select().from(lessons).where(eq(lessons.id, id)).get()!;
}

/** How many lessons the course has in the synced content. */
function pdvLessonCount(db: Db): number {
  return catalog(db).coursesById.get(PDV)!.lessons.length;
}

function pdvProgress(db: Db, userId: number) {
  return pathProgress(db, userId)!.courses.find((c) => c.id === PDV)!;
}

const t1 = new Date('2025-03-03T09:00:00Z');
const t2 = new Date('2025-03-10T09:00:00Z');
const t3 = new Date('2025-03-17T09:00:00Z');

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrateDatabase(db);
  return () => db.$client.close();
});

describe('syncing the real courses/', () => {
  it('fills an empty database with the path, three courses, their lessons, quizzes and skills', () => {
    expect(hasContent(db)).toBe(false);
    const result = loadAndSync(db, coursesRoot, t1);
    expect(result).toEqual({ ok: true, changed: true, problems: [] });
    expect(hasContent(db)).toBe(true);
    const rows = snapshot(db);
    expect(rows.paths).toHaveLength(1);
    expect(rows.courses.map((c) => c.id).sort()).toEqual(rows.paths[0]!.courseIds.toSorted());
    expect(rows.lessons.length).toBeGreaterThanOrEqual(15);
    expect(rows.quizzes).toHaveLength(3);
    expect(rows.lessons.every((l) => l.archivedAt === null && l.html.length > 200)).toBe(true);
    // Links between lessons lead to the app's lesson pages.
    expect(lessonRow(db, 'pdv-politique-de-la-ville').html).toContain(
      'href="/learn/lessons/pdv-qpv-definition"',
    );
  });

  it('is idempotent: a second sync, even much later and from another copy, changes nothing', () => {
    loadAndSync(db, coursesRoot, t1);
    const before = snapshot(db);
    expect(loadAndSync(db, coursesRoot, t2)).toEqual({ ok: true, changed: false, problems: [] });
    expect(loadAndSync(db, copyCourses(), t3)).toEqual({ ok: true, changed: false, problems: [] });
    expect(snapshot(db)).toEqual(before);
    expect(before.lessons.every((l) => l.updatedAt.getTime() === t1.getTime())).toBe(true);
  });
});

describe('learners keep their progress', () => {
  it('when a lesson they finished is edited, retitled, renamed and moved to the end of its course', async () => {
    loadAndSync(db, coursesRoot, t1);
    const user = await createUser(db);
    completeLesson(db, user.id, 'pdv-politique-de-la-ville', t1);
    completeLesson(db, user.id, 'pdv-qpv-definition', t1);
    const { quiz } = getQuiz(db, 'pdv-quiz');
    expect(recordAttempt(db, user.id, 'pdv-quiz', sampleAnswers(quiz.questions), t1).passed).toBe(true);
    const before = pdvProgress(db, user.id);
    expect(before.lessonsDone).toBe(2);

    const root = copyCourses();
    const renamed = '06-definition-d-un-qpv.md';
    edit(root, `${PDV}/${LESSON_02}`, (s) =>
      s
        .replace(`title: "Qu'est-ce qu'un QPV ?"`, 'title: "Un QPV, c\'est quoi ?"')
        .replace('Un QPV est un **quartier prioritaire', 'Texte revu : un QPV est un **quartier prioritaire'),
    );
    renameSync(join(root, PDV, LESSON_02), join(root, PDV, renamed));
    edit(root, `${PDV}/course.yaml`, (s) =>
      s.replace(`  - ${LESSON_02}\n`, '').replace(`  - ${LESSON_06}\n`, `  - ${LESSON_06}\n  - ${renamed}\n`),
    );
    for (const file of readdirSync(join(root, PDV)).filter((f) => f.endsWith('.md')))
      if (readFileSync(join(root, PDV, file), 'utf8').includes(`(${LESSON_02})`))
        edit(root, `${PDV}/${file}`, (s) => s.replaceAll(`(${LESSON_02})`, `(${renamed})`));

    expect(loadAndSync(db, root, t2)).toEqual({ ok: true, changed: true, problems: [] });

    const after = pdvProgress(db, user.id);
    expect(after.lessons.map((l) => l.id)).toEqual([
      ...before.lessons.map((l) => l.id).filter((id) => id !== 'pdv-qpv-definition'),
      'pdv-qpv-definition',
    ]);
    expect(after.lessons.at(-1)).toMatchObject({
      id: 'pdv-qpv-definition',
      // The new title with the courses' typography: ’ and a no-break space before « ? ».
      title: 'Un QPV, c’est quoi\u00a0?',
      done: true,
    });
    expect(after.lessons[0]).toMatchObject({ id: 'pdv-politique-de-la-ville', done: true });
    expect(after.lessonsDone).toBe(2);
    expect(after.quiz).toMatchObject({ id: 'pdv-quiz', passed: true, attempts: 1 });
    expect(after.percent).toBe(before.percent);

    // Moved to the end: the last of the course's lessons (positions from 0, the page counts from 1).
    const count = pdvLessonCount(db);
    expect(after.lessons).toHaveLength(count);
    const row = lessonRow(db, 'pdv-qpv-definition');
    expect(row).toMatchObject({ archivedAt: null, sourceFile: `${PDV}/${renamed}`, position: count - 1 });
    expect(row.html).toContain('Texte revu\u00a0: un QPV est un <strong>quartier prioritaire');
    const view = lessonView(db, user.id, 'pdv-qpv-definition');
    expect(view.lesson.html).toContain('Texte revu');
    expect(view.position).toBe(count);
    expect(view.progress.done.has('pdv-qpv-definition')).toBe(true);
    // The link from lesson 1 still leads to it, under its new file name.
    expect(lessonRow(db, 'pdv-politique-de-la-ville').html).toContain(
      'href="/learn/lessons/pdv-qpv-definition"',
    );
    expect(db.select().from(lessonProgress).where(eq(lessonProgress.userId, user.id)).all()).toHaveLength(2);
  });

  it('when a lesson is removed: it is archived, its progress rows stay, and the path no longer counts it', async () => {
    loadAndSync(db, coursesRoot, t1);
    const user = await createUser(db);
    completeLesson(db, user.id, 'pdv-qpv-definition', t1);
    completeLesson(db, user.id, 'pdv-diaspora-lien', t1);
    const count = pdvLessonCount(db);
    expect(pdvProgress(db, user.id).lessons).toHaveLength(count);

    const root = copyCourses();
    edit(root, `${PDV}/course.yaml`, (s) => s.replace(`  - ${LESSON_06}\n`, ''));
    rmSync(join(root, PDV, LESSON_06));
    for (const file of ['01-la-politique-de-la-ville.md', '05-repondre-aux-appels-a-projets.md'])
      edit(root, `${PDV}/${file}`, (s) =>
        s.replace(/\[([^\]]*)\]\(06-diaspora-lien-habitants-institutions\.md\)/g, '$1'),
      );
    expect(loadAndSync(db, root, t2)).toMatchObject({ ok: true, changed: true });

    const row = lessonRow(db, 'pdv-diaspora-lien');
    expect(row.archivedAt).toEqual(t2);
    expect(lessonRow(db, 'pdv-qpv-definition').archivedAt).toBeNull();
    const progressRows = db.select().from(lessonProgress).where(eq(lessonProgress.userId, user.id)).all();
    expect(progressRows.map((r) => r.lessonId).sort()).toEqual(['pdv-diaspora-lien', 'pdv-qpv-definition']);

    const course = pdvProgress(db, user.id);
    expect(course.lessons).toHaveLength(count - 1);
    expect(course.lessons.map((l) => l.id)).not.toContain('pdv-diaspora-lien');
    expect(course.lessonsDone).toBe(1);
    expect(() => completeLesson(db, user.id, 'pdv-diaspora-lien', t2)).toThrow(NotFoundError);

    // Put back, it comes back with the learner's progress.
    expect(loadAndSync(db, coursesRoot, t3)).toMatchObject({ ok: true, changed: true });
    expect(lessonRow(db, 'pdv-diaspora-lien').archivedAt).toBeNull();
    expect(pdvProgress(db, user.id).lessonsDone).toBe(2);
  });

  it('when a quiz is removed: it is archived and the attempts stay', async () => {
    loadAndSync(db, coursesRoot, t1);
    const user = await createUser(db);
    recordAttempt(db, user.id, 'pdv-quiz', sampleAnswers(getQuiz(db, 'pdv-quiz').quiz.questions, 1), t1);
    const root = copyCourses();
    edit(root, `${PDV}/course.yaml`, (s) => s.replace('quiz: quiz.yaml\n', ''));
    expect(loadAndSync(db, root, t2)).toMatchObject({ ok: true, changed: true });
    expect(db.select().from(quizzes).where(eq(quizzes.id, 'pdv-quiz')).get()!.archivedAt).toEqual(t2);
    expect(db.select().from(quizAttempts).where(eq(quizAttempts.userId, user.id)).all()).toHaveLength(1);
    expect(pdvProgress(db, user.id).quiz).toBeNull();
  });
});

/** A copy with lesson 2's text changed and a mistake elsewhere: a sync must take none of it. */
function brokenCopy(): string {
  const root = copyCourses();
  edit(root, `${PDV}/${LESSON_02}`, (s) =>
    s.replace('Un QPV est un **quartier prioritaire', 'Version non publiée : un **quartier prioritaire'),
  );
  edit(root, `${PDV}/03-verifier-une-adresse.md`, (s) =>
    s.replace('id: pdv-verifier-adresse', 'id: pdv-qpv-definition'),
  );
  return root;
}

describe('broken content keeps the last good content in service', () => {
  it('serves the new path when its id changes in path.yaml, and only that one', async () => {
    loadAndSync(db, coursesRoot, t1);
    const root = copyCourses();
    edit(root, 'path.yaml', (source) =>
      source.replace(/^id: .*$/m, 'id: zz-parcours').replace(/^title: .*$/m, 'title: Nouveau parcours'),
    );
    expect(loadAndSync(db, root, t2).ok).toBe(true);
    expect(
      db
        .select()
        .from(paths)
        .all()
        .map((p) => p.id),
    ).toEqual(['zz-parcours']);
    const user = await createUser(db, { role: 'member' });
    expect(pathProgress(db, user.id)!.title).toBe('Nouveau parcours');
  });

  it('refuses the whole sync, records the problems, changes no lesson; a fixed copy syncs again', () => {
    loadAndSync(db, coursesRoot, t1);
    const before = snapshot(db);

    const result = loadAndSync(db, brokenCopy(), t2);
    expect(result.ok).toBe(false);
    expect(result.changed).toBe(false);
    expect(result.problems).toEqual([
      {
        file: `courses/${PDV}/03-verifier-une-adresse.md`,
        line: 2,
        message: expect.stringContaining('déjà pris'),
      },
    ]);
    const after = snapshot(db);
    expect({ ...after, state: [] }).toEqual({ ...before, state: [] });
    expect(after.state[0]).toMatchObject({
      hash: before.state[0]!.hash,
      syncedAt: t1,
      lastCheckedAt: t2,
      lastProblems: result.problems,
    });
    expect(lessonRow(db, 'pdv-qpv-definition').html).not.toContain('Version non publiée');
    expect(hasContent(db)).toBe(true);

    // Once fixed, the next sync clears the recorded problems.
    expect(loadAndSync(db, coursesRoot, t3)).toEqual({ ok: true, changed: false, problems: [] });
    expect(snapshot(db).state[0]).toMatchObject({ lastProblems: null, lastCheckedAt: t3 });
  });

  it('keeps serving the last good lesson to a signed-in learner', async () => {
    const ctx = await createTestApp({ content: true });
    try {
      const { client } = await loginAs(ctx, 'member');
      // The title as synced from the real courses/, spaces folded as `text` folds them.
      const title = text(catalog(ctx.db).lessonsById.get('pdv-qpv-definition')!.title);
      expect(loadAndSync(ctx.db, brokenCopy()).ok).toBe(false);
      const response = await client.get('/learn/lessons/pdv-qpv-definition');
      expect(response.statusCode).toBe(200);
      const page = text(response.body);
      expect(page).toContain(title);
      expect(page).toContain('Un QPV est un quartier prioritaire');
      expect(page).not.toContain('Version non publiée');
      expect((await client.get('/learn/lessons/pdv-verifier-adresse')).statusCode).toBe(200);
    } finally {
      await ctx.close();
    }
  });
});

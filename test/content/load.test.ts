// Reading and checking courses/: the real path loads cleanly, and each mistake an author can make
// is reported with the file and line to fix (`npm run courses:check` prints them: test/cli/).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent, type Problem } from '../../src/content/load.ts';
import { coursesRoot } from '../../src/content/paths.ts';
import { copyCourses, edit, insertLines, LESSON_01, LESSON_02, LESSON_03, PDV } from './fixtures.ts';

/** The 1-based line of the copy's file that contains `needle` (to follow the real content as it evolves). */
function lineContaining(root: string, file: string, needle: string): number {
  const index = readFileSync(join(root, file), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`${needle} not found in ${file}`);
  return index + 1;
}

function problem(file: string, line: number, word: string): Problem {
  return { file, line, message: expect.stringContaining(word) as unknown as string };
}

describe('the real courses/', () => {
  it('loads with no problem: three courses of at least five lessons and a quiz, 10 to 16 skills', () => {
    const { content, problems } = loadContent(coursesRoot);
    expect(problems).toEqual([]);
    expect(content).not.toBeNull();
    const { courses, skills, path } = content!;
    expect(courses).toHaveLength(3);
    expect(path.courseIds).toEqual(['politique-de-la-ville', 'monter-un-projet', 'organiser-un-evenement']);
    expect(skills.length).toBeGreaterThanOrEqual(10);
    expect(skills.length).toBeLessThanOrEqual(16);
    const codes = new Set(skills.map((s) => s.code));
    for (const course of courses) {
      expect(course.lessons.length, course.id).toBeGreaterThanOrEqual(5);
      expect(course.quiz, course.id).not.toBeNull();
      expect(course.quiz!.questions.length, course.id).toBeGreaterThan(0);
      for (const code of course.skills) expect(codes.has(code), `${course.id}: ${code}`).toBe(true);
      for (const lesson of course.lessons)
        for (const code of lesson.skills) expect(codes.has(code), `${lesson.id}: ${code}`).toBe(true);
    }
    const lessonIds = courses.flatMap((c) => c.lessons.map((l) => l.id));
    expect(new Set(lessonIds).size).toBe(lessonIds.length);
    expect(content!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same hash for the same files wherever the folder is', () => {
    expect(loadContent(copyCourses()).content!.hash).toBe(loadContent(coursesRoot).content!.hash);
  });
});

describe('a broken copy of courses/ is refused, with the file and line of each mistake', () => {
  it('reports unreadable YAML in a course.yaml at the line of the mistake (": " in a title)', () => {
    const root = copyCourses();
    edit(root, 'monter-un-projet/course.yaml', (s) =>
      s.replace('title: Monter et cofinancer un projet', 'title: Monter : cofinancer un projet'),
    );
    const { content, problems } = loadContent(root);
    expect(content).toBeNull();
    expect(problems).toContainEqual(problem('courses/monter-un-projet/course.yaml', 2, 'YAML illisible'));
  });

  it('refuses a course.yaml with an unclosed bracket, naming that file', () => {
    const root = copyCourses();
    edit(root, 'monter-un-projet/course.yaml', (s) =>
      s.replace('skills: [PRJ-1, PRJ-2, PRJ-3, PRJ-4, PRJ-5, RES-2]', 'skills: [PRJ-1, PRJ-2'),
    );
    const { content, problems } = loadContent(root);
    expect(content).toBeNull();
    const mine = problems.filter((p) => p.file === 'courses/monter-un-projet/course.yaml');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.message).toContain('YAML illisible');
    expect(mine[0]!.line).toBe(lineContaining(root, 'monter-un-projet/course.yaml', 'skills: [PRJ-1, PRJ-2'));
    // Only the real mistake: path.yaml's mention of that course is not reported as well.
    expect(problems).toHaveLength(1);
  });

  it('reports a quiz id already taken by another course’s quiz', () => {
    const root = copyCourses();
    edit(root, 'monter-un-projet/quiz.yaml', (s) => s.replace('id: prj-quiz', 'id: pdv-quiz'));
    const { content, problems } = loadContent(root);
    expect(content).toBeNull();
    expect(problems).toEqual([
      problem(
        `courses/${PDV}/quiz.yaml`,
        lineContaining(root, `${PDV}/quiz.yaml`, 'id: pdv-quiz'),
        'déjà pris',
      ),
    ]);
  });

  it('reports a quiz id taken by a lesson of a course read later', () => {
    const root = copyCourses();
    edit(root, 'monter-un-projet/quiz.yaml', (s) => s.replace('id: prj-quiz', 'id: evt-trouver-un-lieu'));
    const { problems } = loadContent(root);
    expect(problems).toEqual([problem('courses/monter-un-projet/quiz.yaml', 1, 'evt-trouver-un-lieu')]);
  });

  it('counts lines from the top of the lesson file for bad YAML in its front matter', () => {
    const root = copyCourses();
    edit(root, LESSON_02, (s) => s.replace(`title: "Qu'est-ce qu'un QPV ?"`, `title: Définition : un QPV`));
    const { problems } = loadContent(root);
    // (The links to that lesson are reported too: it is unknown until its front matter reads.)
    expect(problems).toContainEqual(problem(`courses/${LESSON_02}`, 3, 'YAML illisible'));
  });

  it('reports a missing front-matter field at the front matter, with the field named', () => {
    const root = copyCourses();
    edit(root, LESSON_02, (s) => s.replace('duration_minutes: 8\n', ''));
    const { problems } = loadContent(root);
    expect(problems).toContainEqual(problem(`courses/${LESSON_02}`, 2, 'duration_minutes'));
  });

  it('reports a lesson id already taken on the second file, at the line of its id:', () => {
    const root = copyCourses();
    // A comment above the id, so that its line is not simply the second one.
    edit(root, LESSON_03, (s) =>
      s.replace('---\nid: pdv-verifier-adresse\n', '---\n# copié de la leçon 2\nid: pdv-qpv-definition\n'),
    );
    const { content, problems } = loadContent(root);
    expect(content).toBeNull();
    expect(problems).toEqual([problem(`courses/${LESSON_03}`, 3, 'pdv-qpv-definition')]);
    expect(problems[0]!.message).toContain('déjà pris');
    expect(problems[0]!.message).toContain(`courses/${LESSON_02}`);
  });

  it('reports a lesson id taken in another course', () => {
    const root = copyCourses();
    const file = 'organiser-un-evenement/02-trouver-et-reserver-un-lieu.md';
    const taken = loadContent(coursesRoot).content!.courses.find((c) => c.id === 'monter-un-projet')!
      .lessons[0]!;
    edit(root, file, (s) => s.replace('id: evt-trouver-un-lieu', `id: ${taken.id}`));
    const { problems } = loadContent(root);
    expect(problems).toEqual([problem(`courses/${file}`, 2, 'déjà pris')]);
    expect(problems[0]!.message).toContain(`courses/${taken.file}`);
  });

  it('reports an unknown skill code in course.yaml at the line of that code', () => {
    const root = copyCourses();
    edit(root, 'monter-un-projet/course.yaml', (s) =>
      s.replace(
        'skills: [PRJ-1, PRJ-2, PRJ-3, PRJ-4, PRJ-5, RES-2]',
        'skills:\n  - PRJ-1\n  - PRJ-2\n  - PRJ-7\n  - RES-2',
      ),
    );
    const { problems } = loadContent(root);
    expect(lineContaining(root, 'monter-un-projet/course.yaml', 'PRJ-7')).toBe(12);
    expect(problems).toEqual([
      problem('courses/monter-un-projet/course.yaml', 12, 'compétence inconnue : PRJ-7'),
    ]);
  });

  it('reports an unknown skill code in a lesson at its line in the front matter', () => {
    const root = copyCourses();
    edit(root, LESSON_02, (s) => s.replace('skills: [POL-1]', 'skills: [POL-1, POL-9]'));
    const { problems } = loadContent(root);
    expect(problems).toEqual([problem(`courses/${LESSON_02}`, 5, 'compétence inconnue : POL-9')]);
  });

  it('reports a missing image at the line of the image in the lesson', () => {
    const root = copyCourses();
    insertLines(root, LESSON_02, 12, ['', '![Une carte](images/absent.png)', '']);
    const { problems } = loadContent(root);
    expect(problems).toEqual([problem(`courses/${LESSON_02}`, 13, 'image introuvable : images/absent.png')]);
  });

  it('accepts an image that exists in the course folder, refuses one taken from another course', () => {
    const root = copyCourses();
    mkdirSync(join(root, PDV, 'images'));
    writeFileSync(join(root, PDV, 'images', 'carte.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    insertLines(root, LESSON_02, 12, ['', '![Une carte](images/carte.svg)', '']);
    insertLines(root, LESSON_03, 12, ['', `![La même](../${PDV}/images/carte.svg)`, '']);
    expect(loadContent(root).problems).toEqual([]);
    const other = 'monter-un-projet/01-diagnostiquer-les-besoins.md';
    insertLines(root, other, 10, [`![Autre module](../${PDV}/images/carte.svg)`]);
    expect(loadContent(root).problems).toEqual([problem(`courses/${other}`, 10, 'image introuvable')]);
  });

  it('reports a link to a lesson file that does not exist, at the line of the link', () => {
    const root = copyCourses();
    insertLines(root, LESSON_02, 12, ['', 'Voir la leçon [suivante](07-la-suite.md#plan).', '']);
    const { problems } = loadContent(root);
    expect(problems).toEqual([problem(`courses/${LESSON_02}`, 13, 'leçon inconnue : 07-la-suite.md#plan')]);
  });

  it('accepts links to a lesson of another course, and to the web', () => {
    const root = copyCourses();
    insertLines(root, LESSON_02, 12, [
      '',
      'Voir [le diagnostic](../monter-un-projet/01-diagnostiquer-les-besoins.md) et [le site](https://sig.ville.gouv.fr).',
      '',
    ]);
    expect(loadContent(root).problems).toEqual([]);
  });

  it('reports every link left behind when a lesson is taken out of course.yaml', () => {
    const root = copyCourses();
    const removed = '06-diaspora-lien-habitants-institutions.md';
    edit(root, `${PDV}/course.yaml`, (s) => s.replace(`  - ${removed}\n`, ''));
    const { problems } = loadContent(root);
    const linking = [LESSON_01, `${PDV}/05-repondre-aux-appels-a-projets.md`];
    expect(problems).toEqual(
      linking.map((file) => problem(`courses/${file}`, lineContaining(root, file, `](${removed})`), removed)),
    );
  });

  it('reports a lesson listed in course.yaml whose file is missing, at its line in course.yaml', () => {
    const root = copyCourses();
    edit(root, `${PDV}/course.yaml`, (s) =>
      s.replace('03-verifier-une-adresse.md', '03-verifier-adresse.md'),
    );
    const { problems } = loadContent(root);
    expect(problems).toContainEqual(
      problem(
        `courses/${PDV}/course.yaml`,
        lineContaining(root, `${PDV}/course.yaml`, '03-verifier-adresse.md'),
        'leçon introuvable : 03-verifier-adresse.md',
      ),
    );
  });

  it('reports a "# " heading in a lesson body at its line', () => {
    const root = copyCourses();
    insertLines(root, LESSON_02, 12, ['', '# Un titre de trop', '']);
    expect(loadContent(root).problems).toEqual([problem(`courses/${LESSON_02}`, 13, '##')]);
  });

  it('reports a single-answer quiz question with two right answers at the line of its id', () => {
    const root = copyCourses();
    edit(root, `${PDV}/quiz.yaml`, (s) => s.replace('correct: false', 'correct: true'));
    const { problems } = loadContent(root);
    expect(problems).toEqual([
      problem(`courses/${PDV}/quiz.yaml`, lineContaining(root, `${PDV}/quiz.yaml`, 'id: q1'), 'q1'),
    ]);
    expect(problems[0]!.message).toContain('une seule bonne réponse');
  });

  it('reports a missing resource at its line in course.yaml', () => {
    const root = copyCourses();
    rmSync(join(root, PDV, 'ressources', 'checklist-qpv.md'));
    const { problems } = loadContent(root);
    expect(problems).toEqual([
      problem(
        `courses/${PDV}/course.yaml`,
        lineContaining(root, `${PDV}/course.yaml`, 'ressources/checklist-qpv.md'),
        'ressource introuvable',
      ),
    ]);
  });

  it('reports every mistake at once, so that an author fixes them in one go', () => {
    const root = copyCourses();
    edit(root, LESSON_02, (s) => s.replace('skills: [POL-1]', 'skills: [POL-1, POL-9]'));
    insertLines(root, LESSON_03, 12, ['![x](images/absent.png)']);
    edit(root, 'monter-un-projet/course.yaml', (s) => s.replace('PRJ-5', 'PRJ-55'));
    const files = loadContent(root).problems.map((p) => p.file);
    expect(files).toEqual(
      expect.arrayContaining([
        `courses/${LESSON_02}`,
        `courses/${LESSON_03}`,
        'courses/monter-un-projet/course.yaml',
      ]),
    );
  });
});

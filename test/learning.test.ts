// Learning on the path: the path page, lessons ("j'ai terminé" with htmx or a plain form), quizzes
// (feedback per question, every attempt kept, the best counts), resuming, resources and images.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessonProgress, quizAttempts } from '../src/db/schema.ts';
import { DEMO_PASSWORD } from '../src/demo/seed-demo.ts';
import { catalog } from '../src/learning/catalog.ts';
import { getQuiz, sampleAnswers } from '../src/learning/progress.ts';
import { createTestApp, loginAs, TestClient, type TestContext, text } from './helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
});
afterAll(() => ctx.close());

/** A module's lessons, in order, as the catalogue has them. */
const lessonsOf = (courseId: string) => catalog(ctx.db).coursesById.get(courseId)!.lessons;

const htmx = { 'hx-request': 'true', 'hx-request-type': 'partial', 'hx-target': '#progression' };

/** The quiz form's fields for answers given as question id → answer ids. */
function quizForm(answers: Record<string, string[]>) {
  return Object.fromEntries(Object.entries(answers).map(([q, a]) => [`q-${q}`, a]));
}

describe('path page', () => {
  it('shows a new member the three modules in order, nothing done, and a start button', async () => {
    const { client } = await loginAs(ctx, 'member');
    const page = text((await client.get('/learn')).body);
    expect(page).toContain('Parcours réalisé à 0 %');
    expect(page).toContain('Commencer le parcours');
    const order = ['Politique de la ville', 'Monter et cofinancer', 'Organiser un événement'].map((t) =>
      page.indexOf(t),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page).toContain(`0 leçon terminée sur ${lessonsOf('politique-de-la-ville').length}`);
    expect(page).toContain('quiz à passer');
  });

  it('shows the demo member where they stand, with "Continuer" on their home page too', async () => {
    const client = new TestClient(ctx.app);
    await client.login('membre@cosim-bretagne.test', DEMO_PASSWORD);
    const page = text((await client.get('/learn')).body);
    // Module 1 done, a third of module 2 (src/demo/seed-demo.ts).
    const pdv = lessonsOf('politique-de-la-ville').length;
    const prj = lessonsOf('monter-un-projet');
    const prjDone = Math.round(prj.length / 3);
    expect(page).toContain(`${pdv} leçons terminées sur ${pdv} · quiz réussi (100 %)`);
    expect(page).toContain(`${prjDone} leçons terminées sur ${prj.length} · quiz à passer`);
    expect(page).toContain('Continuer');
    const home = text((await client.get('/')).body);
    expect(home).toMatch(/Votre parcours est réalisé à \d+ %/);
    expect(home).toContain(`Prochaine étape : « ${prj[prjDone]!.title} »`);
  });

  it('sends "Continuer" to the first unfinished lesson, then to the quiz not passed', async () => {
    const { client, user } = await loginAs(ctx, 'member');
    const first = await client.get('/learn/continue');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/learn/lessons/pdv-politique-de-la-ville');
    const { quiz } = getQuiz(ctx.db, 'pdv-quiz');
    for (const { id } of lessonsOf('politique-de-la-ville'))
      await client.post(`/learn/lessons/${id}/complete`);
    expect((await client.get('/learn/continue')).headers.location).toBe('/learn/quizzes/pdv-quiz');
    await client.post('/learn/quizzes/pdv-quiz', quizForm(sampleAnswers(quiz.questions)));
    const next = (await client.get('/learn/continue')).headers.location;
    expect(next).toMatch(/^\/learn\/lessons\/prj-/);
    const stored = ctx.db.select().from(lessonProgress).where(eq(lessonProgress.userId, user.id)).all();
    expect(stored).toHaveLength(lessonsOf('politique-de-la-ville').length);
    expect(stored.every((p) => p.completedAt instanceof Date)).toBe(true);
  });
});

describe('lesson page', () => {
  it('shows the lesson with its reading time, position, neighbours and tools', async () => {
    const { client } = await loginAs(ctx, 'member');
    const res = await client.get('/learn/lessons/pdv-qpv-definition');
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    const pdv = lessonsOf('politique-de-la-ville');
    expect(pdv[1]!.id).toBe('pdv-qpv-definition');
    expect(page).toContain(`Leçon 2 sur ${pdv.length}`);
    expect(page).toMatch(/\d+ minutes de lecture/);
    expect(res.body).toContain(`rel="prev" href="/learn/lessons/${pdv[0]!.id}"`);
    expect(res.body).toContain(`rel="next" href="/learn/lessons/${pdv[2]!.id}"`);
    expect(page).toContain('J’ai terminé cette leçon');
    expect(page).toContain('Outils à télécharger');
  });

  it('records the first and last opening of a lesson', async () => {
    const { client, user } = await loginAs(ctx, 'member');
    await client.get('/learn/lessons/pdv-verifier-adresse');
    const row = ctx.db
      .select()
      .from(lessonProgress)
      .where(and(eq(lessonProgress.userId, user.id), eq(lessonProgress.lessonId, 'pdv-verifier-adresse')))
      .get()!;
    expect(row.firstOpenedAt).toBeInstanceOf(Date);
    expect(row.completedAt).toBeNull();
  });

  it('marks a lesson done with htmx: only the progress block comes back, updated', async () => {
    const { client } = await loginAs(ctx, 'member');
    await client.get('/learn/lessons/pdv-politique-de-la-ville');
    const res = await client.post('/learn/lessons/pdv-politique-de-la-ville/complete', {}, { headers: htmx });
    expect(res.statusCode).toBe(200);
    expect(res.body.startsWith('<section id="progression"')).toBe(true);
    expect(res.body).not.toContain('<html');
    const count = lessonsOf('politique-de-la-ville').length;
    expect(text(res.body)).toContain(`1 leçon terminée sur ${count}`);
    expect(text(res.body)).toContain('Leçon terminée');
    expect(res.body).toContain(`value="${Math.round(100 / count)}"`);
  });

  it('marks a lesson done without JavaScript: back to the lesson with a message', async () => {
    const { client } = await loginAs(ctx, 'member');
    const res = await client.post('/learn/lessons/pdv-qpv-definition/complete');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/learn/lessons/pdv-qpv-definition#progression');
    const page = text((await client.get('/learn/lessons/pdv-qpv-definition')).body);
    expect(page).toContain('Leçon terminée : bravo !');
    expect(page).toContain(`1 leçon terminée sur ${lessonsOf('politique-de-la-ville').length}`);
    expect(page).not.toContain('J’ai terminé cette leçon');
  });

  it('keeps the first completion date when a lesson is marked done twice', async () => {
    const { client, user } = await loginAs(ctx, 'member');
    await client.post('/learn/lessons/pdv-contrat-de-ville/complete');
    const where = and(
      eq(lessonProgress.userId, user.id),
      eq(lessonProgress.lessonId, 'pdv-contrat-de-ville'),
    );
    const first = ctx.db.select().from(lessonProgress).where(where).get()!.completedAt;
    await new Promise((r) => setTimeout(r, 5));
    await client.post('/learn/lessons/pdv-contrat-de-ville/complete');
    expect(ctx.db.select().from(lessonProgress).where(where).get()!.completedAt).toEqual(first);
  });

  it('answers 404 for an unknown or malformed lesson, never 500', async () => {
    const { client } = await loginAs(ctx, 'member');
    for (const id of ['nope', 'NOPE', '..%2F..%2Fetc', 'a'.repeat(200), '%00']) {
      expect((await client.get(`/learn/lessons/${id}`)).statusCode).toBe(404);
      expect((await client.post(`/learn/lessons/${id}/complete`)).statusCode).toBe(404);
    }
  });

  it('refuses to mark a lesson done without the CSRF token', async () => {
    const { client } = await loginAs(ctx, 'member');
    const res = await client.post('/learn/lessons/pdv-qpv-definition/complete', {}, { csrf: false });
    expect(res.statusCode).toBe(403);
  });

  it('sends a signed-out visitor to the sign-in page', async () => {
    const res = await new TestClient(ctx.app).get('/learn/lessons/pdv-qpv-definition');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });
});

describe('quiz', () => {
  it('shows every question on one page with single and multiple choices', async () => {
    const { client } = await loginAs(ctx, 'member');
    const res = await client.get('/learn/quizzes/prj-quiz');
    expect(res.statusCode).toBe(200);
    const { quiz } = getQuiz(ctx.db, 'prj-quiz');
    expect(res.body.match(/<fieldset class="question/g)).toHaveLength(quiz.questions.length);
    expect(res.body).toContain('type="radio"');
  });

  it('asks again for unanswered questions, next to them, keeping the answers given', async () => {
    const { client, user } = await loginAs(ctx, 'member');
    const { quiz } = getQuiz(ctx.db, 'prj-quiz');
    const answers = sampleAnswers(quiz.questions);
    const first = quiz.questions[0]!;
    const partial = quizForm({ [first.id]: answers[first.id]! });
    const res = await client.post('/learn/quizzes/prj-quiz', partial);
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain(`Il manque ${quiz.questions.length - 1} réponses`);
    expect(res.body).toContain(`id="q-${quiz.questions[1]!.id}-error"`);
    expect(res.body).toContain(
      `id="q-${first.id}-${answers[first.id]![0]}" name="q-${first.id}" value="${answers[first.id]![0]}" checked`,
    );
    expect(ctx.db.select().from(quizAttempts).where(eq(quizAttempts.userId, user.id)).all()).toHaveLength(0);
  });

  it('fails, explains each answer, then passes on a retry; every attempt is kept and the best counts', async () => {
    const { client, user } = await loginAs(ctx, 'member');
    const { quiz } = getQuiz(ctx.db, 'prj-quiz');
    const failing = await client.post('/learn/quizzes/prj-quiz', quizForm(sampleAnswers(quiz.questions, 5)));
    expect(failing.statusCode).toBe(303);
    const failed = text((await client.get(failing.headers.location!)).body);
    expect(failed).toContain('Pas encore : il faut 70 %');
    expect(failed).toContain('Réponse incorrecte');
    expect(failed).toContain('Vous avez choisi');
    // The feedback of the wrong answer chosen for question 1 explains why.
    const q1 = quiz.questions[0]!;
    const wrongFeedback = q1.answers
      .find((a) => !a.correct)!
      .feedback.replace(/\s+/g, ' ')
      .trim();
    expect(failed).toContain(wrongFeedback.slice(0, 40));

    const passing = await client.post('/learn/quizzes/prj-quiz', quizForm(sampleAnswers(quiz.questions)));
    const passed = text((await client.get(passing.headers.location!)).body);
    expect(passed).toContain('Votre score : 100 %');
    expect(passed).toContain('Quiz réussi');
    expect(passed).toContain('Votre meilleur score : 100 % (en 2 essais)');

    // A worse third attempt does not undo the pass.
    await client.post('/learn/quizzes/prj-quiz', quizForm(sampleAnswers(quiz.questions, 6)));
    expect(ctx.db.select().from(quizAttempts).where(eq(quizAttempts.userId, user.id)).all()).toHaveLength(3);
    const path = text((await client.get('/learn')).body);
    expect(path).toContain('quiz réussi (100 %)');
  });

  it('ignores answers that are not the question’s, and never errors on odd input', async () => {
    const { client } = await loginAs(ctx, 'member');
    const { quiz } = getQuiz(ctx.db, 'pdv-quiz');
    const form: Record<string, string | string[]> = quizForm(sampleAnswers(quiz.questions));
    form[`q-${quiz.questions[0]!.id}`] = ['zz', '<script>'];
    form['q-inconnue'] = 'a';
    const res = await client.post('/learn/quizzes/pdv-quiz', form);
    expect(res.statusCode).toBe(303);
    const result = await client.get(res.headers.location!);
    expect(result.statusCode).toBe(200);
    expect(result.body).not.toContain('<script>');
    expect(text(result.body)).toContain('Réponse incorrecte');
    const tooLong = await client.post('/learn/quizzes/pdv-quiz', { 'q-q1': 'x'.repeat(5000) });
    expect(tooLong.statusCode).toBe(422);
  });

  it('shows an attempt only to the person who made it', async () => {
    const owner = await loginAs(ctx, 'member');
    const { quiz } = getQuiz(ctx.db, 'pdv-quiz');
    const res = await owner.client.post('/learn/quizzes/pdv-quiz', quizForm(sampleAnswers(quiz.questions)));
    const url = res.headers.location!;
    expect((await owner.client.get(url)).statusCode).toBe(200);
    const other = await loginAs(ctx, 'member');
    expect((await other.client.get(url)).statusCode).toBe(404);
    expect((await owner.client.get(url.replace('pdv-quiz', 'prj-quiz'))).statusCode).toBe(404);
    expect((await owner.client.get('/learn/quizzes/pdv-quiz/attempts/abc')).statusCode).toBe(404);
  });
});

describe('resources and images', () => {
  it('serves a CSV template as a download and a Markdown checklist as a printable page', async () => {
    const { client } = await loginAs(ctx, 'member');
    const course = text((await client.get('/learn/courses/monter-un-projet')).body);
    expect(course).toContain('Outils à télécharger');
    const page = (await client.get('/learn/courses/monter-un-projet')).body;
    const csvHref = /href="(\/learn\/resources\/monter-un-projet\/[^"]+\.csv)"/.exec(page)![1]!;
    const csv = await client.get(csvHref);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment');
    const mdHref = /href="(\/learn\/resources\/[^"]+\.md)"/.exec(page)![1]!;
    const md = await client.get(mdHref);
    expect(md.statusCode).toBe(200);
    expect(md.body).toContain('<h1>');
    expect(md.body).toContain('?download=1');
    const raw = await client.get(`${mdHref}?download=1`);
    expect(raw.headers['content-disposition']).toContain('attachment');
  });

  it('never serves a file outside the declared resources and images', async () => {
    const { client } = await loginAs(ctx, 'member');
    for (const url of [
      '/learn/resources/monter-un-projet/../../package.json',
      '/learn/resources/monter-un-projet/%2e%2e/%2e%2e/package.json',
      '/learn/resources/monter-un-projet/course.yaml',
      '/learn/resources/monter-un-projet/quiz.yaml',
      '/learn/resources/inconnu/x.csv',
      '/learn/media/monter-un-projet/course.yaml',
      '/learn/media/monter-un-projet/images/../course.yaml',
      '/learn/media/monter-un-projet/images/%2e%2e/quiz.yaml',
      '/learn/media/..%2F..%2Fsrc/images/x.png',
      '/learn/media/inconnu/images/x.png',
    ]) {
      const res = await client.get(url);
      expect([400, 404], url).toContain(res.statusCode);
      expect(res.body).not.toContain('pass_mark');
    }
  });
});

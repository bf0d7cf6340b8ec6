// A quiz cannot be passed by ticking the same place twice: its answers come in an order shuffled
// per attempt, and each result page shows the order of its own attempt. A lesson's « À faire
// maintenant » task can be ticked and unticked, with htmx or a plain form.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QuizQuestion, quizAttempts } from '../../src/db/schema.ts';
import { catalog } from '../../src/learning/catalog.ts';
import { getQuiz, sampleAnswers } from '../../src/learning/progress.ts';
import { createTestApp, loginAs, type TestContext, text } from '../helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
});
afterAll(() => ctx.close());

/** Per question, the answer ids in the order the quiz page shows their inputs. */
function orderOnQuizPage(html: string, questions: QuizQuestion[]): Record<string, string[]> {
  const order: Record<string, string[]> = {};
  for (const q of questions)
    order[q.id] = [...html.matchAll(new RegExp(`name="q-${q.id}" value="([a-z0-9-]+)"`, 'g'))].map(
      (m) => m[1]!,
    );
  return order;
}

/** Per question, the answer ids in the order the result page lists their texts. */
function orderOnResultPage(html: string, questions: QuizQuestion[]): Record<string, string[]> {
  const page = text(html);
  const order: Record<string, string[]> = {};
  questions.forEach((q, i) => {
    const start = page.indexOf(`Question ${i + 1} `);
    const end = i + 1 < questions.length ? page.indexOf(`Question ${i + 2} `) : page.length;
    const section = page.slice(start, end);
    const at = (a: QuizQuestion['answers'][number]) =>
      section.indexOf(`« ${a.text.replace(/\s+/g, ' ').trim()} »`);
    expect(q.answers.every((a) => at(a) > 0)).toBe(true);
    order[q.id] = [...q.answers].sort((a, b) => at(a) - at(b)).map((a) => a.id);
  });
  return order;
}

function form(round: string, answers: Record<string, string[]>) {
  return { round, ...Object.fromEntries(Object.entries(answers).map(([q, a]) => [`q-${q}`, a])) };
}

const roundOf = (html: string) => /name="round" value="(\d+)"/.exec(html)?.[1];

describe('quiz answers in an order shuffled per attempt', () => {
  it('shows another order on a second attempt, and each result page the order of its own attempt', async () => {
    const { client, user } = await loginAs(ctx, 'member');
    const { quiz } = getQuiz(ctx.db, 'pdv-quiz');
    const fileOrder = Object.fromEntries(quiz.questions.map((q) => [q.id, q.answers.map((a) => a.id)]));

    const firstPage = await client.get('/learn/quizzes/pdv-quiz');
    const first = orderOnQuizPage(firstPage.body, quiz.questions);
    expect(roundOf(firstPage.body)).toBe('1');
    expect(first).not.toEqual(fileOrder);
    for (const q of quiz.questions)
      expect([...first[q.id]!].sort()).toEqual(q.answers.map((a) => a.id).sort());
    // The same page shown again (a reload) keeps its order until an attempt is made.
    expect(orderOnQuizPage((await client.get('/learn/quizzes/pdv-quiz')).body, quiz.questions)).toEqual(
      first,
    );

    const sent1 = await client.post('/learn/quizzes/pdv-quiz', form('1', sampleAnswers(quiz.questions, 4)));
    expect(sent1.statusCode).toBe(303);

    const secondPage = await client.get('/learn/quizzes/pdv-quiz');
    const second = orderOnQuizPage(secondPage.body, quiz.questions);
    expect(roundOf(secondPage.body)).toBe('2');
    expect(second).not.toEqual(first);
    const sent2 = await client.post('/learn/quizzes/pdv-quiz', form('2', sampleAnswers(quiz.questions)));

    const result1 = await client.get(sent1.headers.location!);
    expect(orderOnResultPage(result1.body, quiz.questions)).toEqual(first);
    const result2 = await client.get(sent2.headers.location!);
    expect(orderOnResultPage(result2.body, quiz.questions)).toEqual(second);
    expect(text(result2.body)).toContain('Quiz réussi');

    const stored = ctx.db.select().from(quizAttempts).where(eq(quizAttempts.userId, user.id)).all();
    expect(stored.map((a) => a.answerOrder)).toEqual([first, second]);
  });

  it('keeps the order shown when the form comes back for a missing answer', async () => {
    const { client } = await loginAs(ctx, 'member');
    const { quiz } = getQuiz(ctx.db, 'pdv-quiz');
    const shown = orderOnQuizPage((await client.get('/learn/quizzes/pdv-quiz')).body, quiz.questions);
    const q1 = quiz.questions[0]!;
    const back = await client.post('/learn/quizzes/pdv-quiz', form('1', { [q1.id]: [q1.answers[0]!.id] }));
    expect(back.statusCode).toBe(422);
    expect(orderOnQuizPage(back.body, quiz.questions)).toEqual(shown);
    expect(roundOf(back.body)).toBe('1');
  });

  it('takes a round it cannot read for the next one, and never fails on it', async () => {
    const { client, user } = await loginAs(ctx, 'member');
    const { quiz } = getQuiz(ctx.db, 'pdv-quiz');
    for (const round of ['0', '-3', 'abc', '99999999', '']) {
      const res = await client.post('/learn/quizzes/pdv-quiz', form(round, sampleAnswers(quiz.questions)));
      expect(res.statusCode).toBe(303);
    }
    const stored = ctx.db.select().from(quizAttempts).where(eq(quizAttempts.userId, user.id)).all();
    expect(stored).toHaveLength(5);
    expect(stored.every((a) => a.answerOrder !== null)).toBe(true);
  });
});

describe('« À faire maintenant »', () => {
  const lessonWithTask = () => {
    const lesson = [...catalog(ctx.db).lessonsById.values()].find((l) => l.taskHtml !== null);
    expect(lesson, 'a lesson of the path has a task').toBeDefined();
    return lesson!;
  };

  it('shows the task after the lesson, ticked with a plain form and unticked again', async () => {
    const { client } = await loginAs(ctx, 'member');
    const lesson = lessonWithTask();
    const page = await client.get(`/learn/lessons/${lesson.id}`);
    expect(page.body).toContain('id="task"');
    expect(text(page.body)).toContain('À faire maintenant');
    expect(text(page.body)).toContain('C’est fait');

    const ticked = await client.post(`/learn/lessons/${lesson.id}/task`, { done: '1' });
    expect(ticked.statusCode).toBe(303);
    expect(ticked.headers.location).toBe(`/learn/lessons/${lesson.id}#task`);
    const after = text((await client.get(ticked.headers.location!)).body);
    expect(after).toContain('Fait. Bravo');
    expect(after).toContain('Je ne l’ai pas encore fait');
    // The course page counts it.
    const course = text((await client.get(`/learn/courses/${lesson.courseId}`)).body);
    expect(course).toMatch(/1 tâche faite sur \d+/);
    expect(course).toContain('· tâche faite');
    // « Mes données » says it too.
    expect(text((await client.get('/me/data')).body)).toContain(
      `${lesson.title.replace(/\s+/g, ' ')} : « À faire maintenant » coché le`,
    );

    await client.post(`/learn/lessons/${lesson.id}/task`, { done: '0' });
    const undone = text((await client.get(`/learn/lessons/${lesson.id}`)).body);
    expect(undone).not.toContain('Fait. Bravo');
    expect(undone).toContain('C’est fait');
  });

  it('answers htmx with the task block alone, already ticked', async () => {
    const { client } = await loginAs(ctx, 'member');
    const lesson = lessonWithTask();
    const res = await client.post(
      `/learn/lessons/${lesson.id}/task`,
      { done: '1' },
      { headers: { 'hx-request': 'true', 'hx-request-type': 'partial', 'hx-target': '#task' } },
    );
    expect(res.statusCode).toBe(200);
    expect(res.body.trim().startsWith('<section id="task"')).toBe(true);
    expect(text(res.body)).toContain('Fait. Bravo');
    expect(res.body).not.toContain('<html');
  });

  it('has nothing to tick on an unknown lesson, and a visitor is sent to sign in', async () => {
    const { client } = await loginAs(ctx, 'member');
    expect((await client.post('/learn/lessons/pas-une-lecon/task', { done: '1' })).statusCode).toBe(404);
    const visitor = await ctx.app.inject({ method: 'GET', url: `/learn/lessons/${lessonWithTask().id}` });
    expect(visitor.statusCode).toBe(303);
  });
});

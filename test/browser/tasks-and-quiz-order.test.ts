// On a phone: a lesson's « À faire maintenant » task is ticked and unticked in place (htmx), and with
// JavaScript off through a plain form; a quiz retaken shows its answers in another order, and its
// result page the order of the attempt.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/learning/catalog.ts';
import { getQuiz, sampleAnswers } from '../../src/learning/progress.ts';
import {
  expectAccessible,
  type Harness,
  PHONE,
  screenshot,
  signedIn,
  startHarness,
  watchConsole,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

function lessonWithTask() {
  const lesson = [...catalog(h.ctx.db).lessonsById.values()].find((l) => l.taskHtml !== null);
  expect(lesson).toBeDefined();
  return lesson!;
}

/** The answer ids of each question in the order the page shows them. */
async function shownOrder(page: Page): Promise<string[][]> {
  return page.$$eval('fieldset.question', (sets) =>
    sets.map((set) => [...set.querySelectorAll('input')].map((input) => (input as HTMLInputElement).value)),
  );
}

describe('« À faire maintenant » on a phone', () => {
  it('ticks and unticks the task in place, with JavaScript', async () => {
    const { context, page } = await signedIn(h, 'membre@cosim-om.test', {
      ...PHONE,
      viewport: { width: 360, height: 740 },
    });
    const problems = watchConsole(page);
    const lesson = lessonWithTask();
    await page.goto(`${h.baseUrl}/learn/lessons/${lesson.id}`);
    const task = page.locator('#task');
    expect(await task.textContent()).toContain('À faire maintenant');
    await task.scrollIntoViewIfNeeded();
    await screenshot(page, 'lesson-task-phone');

    await page.getByRole('button', { name: 'C’est fait' }).click();
    await expect.poll(() => page.locator('#task').textContent()).toContain('Fait. Bravo');
    expect(page.url()).toBe(`${h.baseUrl}/learn/lessons/${lesson.id}`);
    await expectAccessible(page, 'task done');
    await page.locator('#task').scrollIntoViewIfNeeded();
    await screenshot(page, 'lesson-task-done-phone');

    await page.getByRole('button', { name: 'Je ne l’ai pas encore fait' }).click();
    await expect.poll(() => page.locator('#task').textContent()).not.toContain('Fait. Bravo');
    expect(await page.getByRole('button', { name: 'C’est fait' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('ticks the task with JavaScript off, back on the task', async () => {
    const { context, page } = await signedIn(h, 'membre@cosim-om.test', {
      ...PHONE,
      javaScriptEnabled: false,
    });
    const lesson = lessonWithTask();
    await page.goto(`${h.baseUrl}/learn/lessons/${lesson.id}`);
    await page.getByRole('button', { name: 'C’est fait' }).click();
    await page.waitForURL(`${h.baseUrl}/learn/lessons/${lesson.id}#task`);
    expect(await page.locator('#task').textContent()).toContain('Fait. Bravo');
    expect(await page.locator('main').textContent()).toContain('Tâche cochée');
    await context.close();
  });
});

describe('a quiz retaken on a phone', () => {
  it('shows its answers in another order, and the result page the order of its attempt', async () => {
    const { context, page } = await signedIn(h, 'membre@cosim-om.test');
    const problems = watchConsole(page);
    const { quiz } = getQuiz(h.ctx.db, 'evt-quiz');
    const answers = sampleAnswers(quiz.questions);

    await page.goto(`${h.baseUrl}/learn/quizzes/evt-quiz`);
    const first = await shownOrder(page);
    for (const [questionId, ids] of Object.entries(answers))
      for (const id of ids) await page.locator(`#q-${questionId}-${id}`).check();
    await page.getByRole('button', { name: 'Valider mes réponses' }).click();
    await page.waitForURL(/\/learn\/quizzes\/evt-quiz\/attempts\/\d+$/);
    expect(await page.locator('main').textContent()).toContain('Quiz réussi');
    // The first question's answers are listed in the order they were shown.
    const listed = await page.locator('.feedback').first().locator('.feedback__answers li').allTextContents();
    const norm = (t: string) => t.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
    const texts = first[0]!.map((id) => quiz.questions[0]!.answers.find((a) => a.id === id)!.text);
    expect(listed).toHaveLength(texts.length);
    for (const [i, t] of listed.entries()) expect(norm(t)).toContain(norm(texts[i]!).slice(0, 30));
    await expectAccessible(page, 'quiz result');
    await screenshot(page, 'quiz-result-order-phone');

    await page.getByRole('link', { name: 'Recommencer le quiz' }).click();
    await page.waitForURL(`${h.baseUrl}/learn/quizzes/evt-quiz`);
    expect(await shownOrder(page)).not.toEqual(first);
    expect(problems).toEqual([]);
    await context.close();
  });
});

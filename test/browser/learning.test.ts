// The training path in a real browser on a phone: the demo member continues where they stopped,
// reads a lesson, marks it done (htmx updates the progress in place), fails then passes a quiz,
// signs out, signs in again and resumes at the right lesson. Without JavaScript too.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/learning/catalog.ts';
import { getQuiz, sampleAnswers } from '../../src/learning/progress.ts';
import {
  expectAccessible,
  type Harness,
  openMenu,
  screenshot,
  signInOn,
  startHarness,
  watchConsole,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

async function phone(javaScriptEnabled = true, width = 360): Promise<BrowserContext> {
  return h.browser.newContext({
    viewport: { width, height: 740 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'fr-FR',
    javaScriptEnabled,
  });
}

/** Ticks the answers of a quiz: all right, or the first `wrong` questions wrong. */
async function answerQuiz(page: Page, quizId: string, wrong: number) {
  const { quiz } = getQuiz(h.ctx.db, quizId);
  const answers = sampleAnswers(quiz.questions, wrong);
  for (const [questionId, ids] of Object.entries(answers)) {
    for (const id of ids) await page.locator(`#q-${questionId}-${id}`).check();
  }
}

/** A module's lessons in order, as the catalogue has them. */
const lessonsOf = (courseId: string) => catalog(h.ctx.db).coursesById.get(courseId)!.lessons;
/** A title as a reader sees it (no-break spaces read as spaces). */
const seen = (title: string) => title.replace(/[\u00a0\u202f]/g, ' ');

/** The page does not scroll sideways on a phone. */
async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

describe('the training path on a phone', () => {
  it('continue, read, mark done, fail then pass the quiz, sign out, resume', async () => {
    const context = await phone();
    const page = await context.newPage();
    const problems = watchConsole(page);
    await signInOn(h, page, 'membre@cosim-bretagne.test');

    // The path: module 1 done, a third of module 2 (src/demo/seed-demo.ts).
    const pdv = lessonsOf('politique-de-la-ville').length;
    const prj = lessonsOf('monter-un-projet');
    const done = Math.round(prj.length / 3);
    const [current, next] = [prj[done]!, prj[done + 1]!];
    await openMenu(page);
    await page.getByRole('link', { name: 'Mon parcours', exact: true }).click();
    await page.waitForURL(`${h.baseUrl}/learn`);
    expect(await page.textContent('main')).toContain(`${pdv} leçons terminées sur ${pdv}`);
    await expectAccessible(page, 'path');
    await screenshot(page, 'learn-path-phone');

    // "Continuer" opens the first unfinished lesson.
    await page.getByRole('link', { name: 'Continuer' }).click();
    await page.waitForURL(`${h.baseUrl}/learn/lessons/${current.id}`);
    await expect.poll(() => page.textContent('h1')).toBe(seen(current.title));
    expect(await page.textContent('main')).toContain(`${done} leçons terminées sur ${prj.length}`);
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, 'lesson');

    // Marked done with htmx: the progress block changes in place, the page stays.
    await page.getByRole('button', { name: 'J’ai terminé cette leçon' }).click();
    await expect
      .poll(() => page.textContent('#progression'))
      .toContain(`${done + 1} leçons terminées sur ${prj.length}`);
    expect(await page.textContent('#progression')).toContain('Leçon terminée');
    expect(page.url()).toBe(`${h.baseUrl}/learn/lessons/${current.id}`);
    expect(await page.locator('#progression progress').getAttribute('value')).toBe(
      String(Math.round(((done + 1) / prj.length) * 100)),
    );
    await expectAccessible(page, 'lesson done');

    // The path, seen a minute ago, shows it at once: a page is kept only while nothing changed.
    await page.goto(`${h.baseUrl}/learn`);
    expect(await page.textContent('main')).toContain(`${done + 1} leçons terminées sur ${prj.length}`);
    await page.goto(`${h.baseUrl}/learn/lessons/${current.id}`);
    expect(await page.textContent('#progression')).toContain('Leçon terminée');

    // The quiz, from the course page: first a failure, then a pass.
    await page.getByRole('link', { name: 'Monter et cofinancer un projet' }).first().click();
    await page.getByRole('link', { name: /Quiz/ }).click();
    await page.waitForURL(`${h.baseUrl}/learn/quizzes/prj-quiz`);
    await expectAccessible(page, 'quiz');
    await answerQuiz(page, 'prj-quiz', 5);
    await page.getByRole('button', { name: 'Valider mes réponses' }).click();
    await page.waitForURL(/\/learn\/quizzes\/prj-quiz\/attempts\/\d+$/);
    expect(await page.textContent('main')).toContain('Pas encore : il faut 70 %');
    expect(await page.textContent('main')).toContain('Réponse incorrecte');
    await expectAccessible(page, 'quiz failed');
    await screenshot(page, 'learn-quiz-failed-phone');
    await page.getByRole('link', { name: 'Recommencer le quiz' }).click();
    await answerQuiz(page, 'prj-quiz', 0);
    await page.getByRole('button', { name: 'Valider mes réponses' }).click();
    await page.waitForURL(/\/attempts\/\d+$/);
    expect(await page.textContent('main')).toContain('Votre score : 100 %');
    expect(await page.textContent('main')).toContain('Votre meilleur score : 100 % (en 2 essais)');

    // Leave, come back: "Continuer" resumes at the next unfinished lesson.
    await openMenu(page);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(`${h.baseUrl}/login`);
    await signInOn(h, page, 'membre@cosim-bretagne.test');
    expect(await page.textContent('main')).toContain(`Prochaine étape : « ${seen(next.title)} »`);
    await page.getByRole('link', { name: 'Continuer' }).click();
    await page.waitForURL(`${h.baseUrl}/learn/lessons/${next.id}`);
    await expect.poll(() => page.textContent('h1')).toBe(seen(next.title));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('marks a lesson done with JavaScript off', async () => {
    const context = await phone(false);
    const page = await context.newPage();
    await signInOn(h, page, 'membre@cosim-om.test');
    await page.goto(`${h.baseUrl}/learn/continue`);
    const lessonUrl = page.url();
    // Karima has finished a quarter of module 1 (src/demo/seed-demo.ts).
    const pdv = lessonsOf('politique-de-la-ville').length;
    const done = Math.round(pdv / 4);
    const before = await page.textContent('#progression');
    expect(before).toContain(`${done} leçons terminées sur ${pdv}`);
    await page.getByRole('button', { name: 'J’ai terminé cette leçon' }).click();
    await page.waitForURL(`${lessonUrl}#progression`);
    expect(await page.textContent('main')).toContain('Leçon terminée : bravo !');
    expect(await page.textContent('#progression')).toContain(`${done + 1} leçons terminées sur ${pdv}`);
    await context.close();
  });

  it('reads well on a 360-pixel phone: one lesson page of each course', async () => {
    const context = await phone(true, 360);
    const page = await context.newPage();
    await signInOn(h, page, 'membre@cosim-om.test');
    for (const lesson of ['pdv-qpv-definition', 'prj-budget-previsionnel', 'evt-planifier-a-rebours']) {
      await page.goto(`${h.baseUrl}/learn/lessons/${lesson}`);
      expect(await page.locator('.lesson__body').count()).toBe(1);
      await expectNoSidewaysScroll(page);
      await screenshot(page, `learn-lesson-${lesson}-360`);
    }
    await page.goto(`${h.baseUrl}/learn/courses/organiser-un-evenement`);
    await expectAccessible(page, 'course');
    await screenshot(page, 'learn-course-360');
    await context.close();
  });
});

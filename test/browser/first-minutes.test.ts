// The first minutes and the links that come by e-mail, in Chromium on a phone: a forgotten
// password, an e-mail change, and a session that ends in the middle of a quiz. These go through
// what `app.inject` cannot show: the referrer policy of token pages and the Origin a browser sends.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { getQuiz, sampleAnswers } from '../../src/learning/progress.ts';
import { lastLinkTo } from '../helpers.ts';
import type { LinkKindInMail } from '../mailbox.ts';
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

/** The link of the last e-mail delivered to `to`, on the address the browser uses. */
async function lastLink(to: string, kind: LinkKindInMail): Promise<string> {
  return `${h.baseUrl}${await lastLinkTo(h.ctx, to, kind)}`;
}

async function headerName(page: Page) {
  return page.locator('header').textContent();
}

describe('a forgotten password, from the e-mail to signed in', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`gets the member back in (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const email = 'membre@cosim-om.test';
      const context = await h.browser.newContext({ ...PHONE, javaScriptEnabled });
      const page = await context.newPage();
      const problems = watchConsole(page);
      await page.goto(`${h.baseUrl}/login`);
      await page.getByRole('link', { name: 'Mot de passe oublié' }).click();
      await page.getByLabel('Adresse e-mail').fill(email);
      await page.getByRole('button', { name: 'Recevoir un lien' }).click();
      await expect.poll(() => page.textContent('main')).toContain('Vérifiez votre messagerie');

      // The link opens in the phone's browser, as a new tab would.
      const link = await lastLink(email, 'password-reset');
      const linkPage = await context.newPage();
      await linkPage.goto(link);
      if (javaScriptEnabled) await expectAccessible(linkPage, 'reset');
      await screenshot(linkPage, `reset-form-js-${javaScriptEnabled ? 'on' : 'off'}`);
      const fresh = javaScriptEnabled ? 'nouveau-mot-de-passe-1' : 'nouveau-mot-de-passe-2';
      await linkPage.getByLabel('Nouveau mot de passe').fill(fresh);
      await linkPage.getByLabel('Confirmez le mot de passe').fill(fresh);
      await linkPage.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
      await linkPage.waitForURL(`${h.baseUrl}/`);
      expect(await linkPage.textContent('main')).toContain('Votre mot de passe a été changé');
      expect(await headerName(linkPage)).toContain('Karima Benali');
      await screenshot(linkPage, `reset-done-js-${javaScriptEnabled ? 'on' : 'off'}`);

      // The same link does not work twice.
      const again = await context.newPage();
      const response = await again.goto(link);
      expect(response?.status()).toBe(410);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});

describe('an e-mail change, confirmed through its link', () => {
  const SMALL_PHONE = { ...PHONE, viewport: { width: 360, height: 740 } };

  for (const javaScriptEnabled of [true, false]) {
    it(`asks the current password, moves the account to the new address, which then signs in (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const before = javaScriptEnabled ? 'formation@cosim-bretagne.test' : 'coordination@cosim-bretagne.test';
      const after = javaScriptEnabled
        ? 'formation.nouvelle@cosim-bretagne.test'
        : 'coordination.nouvelle@cosim-bretagne.test';
      const { context, page } = await signedIn(h, before, { ...SMALL_PHONE, javaScriptEnabled });
      const problems = watchConsole(page);
      await page.goto(`${h.baseUrl}/profile`);
      const section = page.locator('section', { has: page.getByRole('heading', { name: 'Adresse e-mail' }) });
      await section.getByLabel('Nouvelle adresse e-mail').fill(after);
      await section.getByRole('button', { name: 'Changer d’adresse' }).click();
      // Without the password: the error is next to its field, the address typed is kept.
      await expect.poll(() => section.textContent()).toContain('Saisissez votre mot de passe.');
      expect(await section.getByLabel('Nouvelle adresse e-mail').inputValue()).toBe(after);
      if (javaScriptEnabled) await expectAccessible(page, 'profile-email-error');
      await screenshot(page, 'profile-email-password-missing');
      await section.getByLabel('Mot de passe actuel').fill(DEMO_PASSWORD);
      await section.getByRole('button', { name: 'Changer d’adresse' }).click();
      await expect.poll(() => page.textContent('main')).toContain(`Nous avons écrit à ${after}`);

      const link = await lastLink(after, 'email-change');
      await page.goto(link);
      await expect.poll(() => page.textContent('main')).toContain('Votre adresse e-mail est changée');
      expect(await page.textContent('main')).toContain(after);
      await screenshot(page, `email-changed-js-${javaScriptEnabled ? 'on' : 'off'}`);
      // The form sent without the password answered 422, as it should; nothing else went wrong.
      expect(problems.filter((p) => !p.includes('status of 422'))).toEqual([]);
      await context.close();

      const other = await h.browser.newContext({ ...SMALL_PHONE, javaScriptEnabled });
      const login = await other.newPage();
      await login.goto(`${h.baseUrl}/login`);
      await login.getByLabel('Adresse e-mail').fill(after);
      await login.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
      await login.getByRole('button', { name: 'Se connecter' }).click();
      await login.waitForURL(`${h.baseUrl}/`);
      await other.close();
    });
  }

  it('is undone from the old address: address back, every session ended, a new password chosen', async () => {
    const before = 'admin@forim.test';
    const after = 'pirate@exemple.net';
    const { context, page } = await signedIn(h, before, SMALL_PHONE);
    await page.goto(`${h.baseUrl}/profile`);
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Adresse e-mail' }) });
    await section.getByLabel('Nouvelle adresse e-mail').fill(after);
    await section.getByLabel('Mot de passe actuel').fill(DEMO_PASSWORD);
    await section.getByRole('button', { name: 'Changer d’adresse' }).click();
    await page.goto(await lastLink(after, 'email-change'));
    await expect.poll(() => page.textContent('main')).toContain('Votre adresse e-mail est changée');

    // The owner of the old address, on their own phone, reads the notice and undoes the change.
    const owner = await h.browser.newContext(SMALL_PHONE);
    const undo = await owner.newPage();
    const problems = watchConsole(undo);
    await undo.goto(await lastLink(before, 'email-change-undo'));
    expect(await undo.textContent('main')).toContain(`est passée de ${before} à ${after}`);
    await expectAccessible(undo, 'email-undo');
    await screenshot(undo, 'email-undo');
    await undo.getByRole('button', { name: 'Rétablir mon adresse' }).click();
    await expect.poll(() => undo.textContent('main')).toContain(`Votre adresse ${before} est rétablie`);
    await expectAccessible(undo, 'email-undo-reset');
    await screenshot(undo, 'email-undo-reset');
    const fresh = 'trois baobabs sous la pluie';
    await undo.getByLabel('Nouveau mot de passe').fill(fresh);
    await undo.getByLabel('Confirmez le mot de passe').fill(fresh);
    await undo.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await undo.waitForURL(`${h.baseUrl}/`);
    expect(problems).toEqual([]);
    await owner.close();

    // The session that moved the account is over.
    await page.goto(`${h.baseUrl}/profile`);
    await page.waitForURL(/\/login/);
    await context.close();
  });
});

describe('a session that ends in the middle of a quiz', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`loses no answer (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const { context, page } = await signedIn(h, 'membre@cosim-bretagne.test', {
        ...PHONE,
        javaScriptEnabled,
      });
      const problems = watchConsole(page);
      await page.goto(`${h.baseUrl}/learn/quizzes/prj-quiz`);
      const { quiz } = getQuiz(h.ctx.db, 'prj-quiz');
      const answers = sampleAnswers(quiz.questions);
      for (const [q, ids] of Object.entries(answers))
        for (const a of ids) await page.locator(`#q-${q}-${a}`).check();

      // The session ends (idle too long, signed out elsewhere) while the person answers.
      await context.clearCookies({ name: 'passerelle_session' });
      await page.getByRole('button', { name: 'Valider mes réponses' }).click();
      await page.waitForURL(/\/login\?next=/);
      expect(await page.textContent('main')).toContain('Votre session avait pris fin');
      expect(await headerName(page)).not.toContain('Mamadou Sow');
      await screenshot(page, `quiz-session-ended-js-${javaScriptEnabled ? 'on' : 'off'}`);

      await page.getByLabel('Adresse e-mail').fill('membre@cosim-bretagne.test');
      await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(`${h.baseUrl}/learn/quizzes/prj-quiz`);
      expect(await page.textContent('main')).toContain('Vos réponses ont été gardées');
      for (const [q, ids] of Object.entries(answers))
        for (const a of ids) expect(await page.locator(`#q-${q}-${a}`).isChecked()).toBe(true);
      if (javaScriptEnabled) await expectAccessible(page, 'quiz resumed');
      await screenshot(page, `quiz-resumed-js-${javaScriptEnabled ? 'on' : 'off'}`);

      await page.getByRole('button', { name: 'Valider mes réponses' }).click();
      await page.waitForURL(/\/attempts\//);
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('sends an htmx action to the sign-in page, not an error inside the lesson', async () => {
    const { context, page } = await signedIn(h, 'membre@cosim-bretagne.test');
    // The first lesson not finished yet, where « J'ai terminé cette leçon » is offered.
    await page.goto(`${h.baseUrl}/learn/continue`);
    const lesson = new URL(page.url()).pathname;
    expect(lesson).toMatch(/^\/learn\/lessons\//);
    await context.clearCookies({ name: 'passerelle_session' });
    await page.getByRole('button', { name: /J.ai terminé/ }).click();
    await page.waitForURL(`${h.baseUrl}/login?next=${encodeURIComponent(lesson)}`);
    expect(await page.textContent('main')).toContain('Votre session avait pris fin');
    await page.getByLabel('Adresse e-mail').fill('membre@cosim-bretagne.test');
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${h.baseUrl}${lesson}`);
    await context.close();
  });
});

// Journeys in a real browser: each role signs in, sees its home, signs out; axe finds nothing;
// sign-in also works with JavaScript off.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoAccounts } from '../../src/demo/seed-demo.ts';
import {
  expectAccessible,
  type Harness,
  openMenu,
  screenshot,
  startHarness,
  watchConsole,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const headings: Record<string, string> = {
  'admin@forim.test': 'Le réseau FORIM',
  'coordination@cosim-bretagne.test': 'Votre collectif : COSIM Bretagne',
  'formation@cosim-bretagne.test': 'Vos cycles',
  'membre@cosim-bretagne.test': 'Votre parcours de formation',
  'membre@cosim-om.test': 'Votre parcours de formation',
};

async function phone(javaScriptEnabled = true): Promise<BrowserContext> {
  return h.browser.newContext({
    viewport: { width: 375, height: 740 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'fr-FR',
    javaScriptEnabled,
  });
}

describe('each role signs in, sees its home, signs out', () => {
  for (const account of demoAccounts) {
    it(account.email, async () => {
      const context = await phone();
      const page = await context.newPage();
      const problems = watchConsole(page);
      await page.goto(`${h.baseUrl}/`);
      // Signed out: sent to the login page.
      await expect.poll(() => page.url()).toContain('/login?next=%2F');
      await expectAccessible(page, 'login');
      await page.getByLabel('Adresse e-mail').fill(account.email);
      await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(`${h.baseUrl}/`);
      expect(await page.textContent('main')).toContain(headings[account.email]);
      expect(await page.textContent('header')).toContain(account.displayName);
      await expectAccessible(page, `home ${account.role}`);
      await screenshot(page, `home-${account.email.split('@')[0]}-${account.role}`);
      await openMenu(page);
      await page.getByRole('button', { name: 'Se déconnecter' }).click();
      await page.waitForURL(`${h.baseUrl}/login`);
      expect(await page.textContent('main')).toContain('Vous êtes déconnecté·e');
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});

describe('forms and errors in the browser', () => {
  it('shows a wrong password next to the form, in French, keeping the email', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(`${h.baseUrl}/login`);
    await page.getByLabel('Adresse e-mail').fill('admin@forim.test');
    await page.getByLabel('Mot de passe').fill('pas le bon');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Adresse e-mail ou mot de passe incorrect.');
    expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe('admin@forim.test');
    await expectAccessible(page, 'login error');
    await screenshot(page, 'login-error');
    await context.close();
  });

  it('shows the 404 page in the layout', async () => {
    const context = await phone();
    const page = await context.newPage();
    const response = await page.goto(`${h.baseUrl}/pas-ici`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Cette page n’existe pas');
    await expectAccessible(page, '404');
    await context.close();
  });

  it('reaches the form with the keyboard: skip link first, visible focus', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(`${h.baseUrl}/login`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
    const outline = await page.evaluate(() => {
      const el = document.activeElement!;
      return getComputedStyle(el).outlineStyle;
    });
    expect(outline).toBe('solid');
    await context.close();
  });
});

describe('JavaScript off', () => {
  it('signs in and out with plain forms', async () => {
    const context = await phone(false);
    const page = await context.newPage();
    await page.goto(`${h.baseUrl}/login`);
    await page.getByLabel('Adresse e-mail').fill('membre@cosim-om.test');
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${h.baseUrl}/`);
    expect(await page.textContent('main')).toContain('Votre association : AMF');
    await screenshot(page, 'home-member-no-js');
    await openMenu(page);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(`${h.baseUrl}/login`);
    await context.close();
  });
});

describe('desktop', () => {
  it('renders the admin home on a wide screen', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${h.baseUrl}/login`);
    await page.getByLabel('Adresse e-mail').fill('admin@forim.test');
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${h.baseUrl}/`);
    await screenshot(page, 'home-admin-desktop');
    await page.goto(`${h.baseUrl}/admin/outbox`);
    expect(await page.textContent('h1')).toBe('Boîte d’envoi');
    await expectAccessible(page, 'outbox');
    await context.close();
  });
});

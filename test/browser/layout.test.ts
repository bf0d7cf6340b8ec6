// The page header on a phone: for every demo account, with JavaScript on and off, the header of the
// home page takes at most a quarter of a 360×740 screen; the « Menu » disclosure (<details>) opens
// with a tap or the keyboard, marks the current page, leads to every page and holds the sign-out;
// on a wide screen the links are shown without it. Error pages are French and plain.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../src/demo/seed-demo.ts';
import {
  expectAccessible,
  type Harness,
  openMenu,
  screenshot,
  screenshotsDir,
  signIn,
  startHarness,
  watchConsole,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const SMALL_PHONE = { width: 360, height: 740 };

async function smallPhone(javaScriptEnabled: boolean) {
  return h.browser.newContext({
    viewport: SMALL_PHONE,
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'fr-FR',
    javaScriptEnabled,
  });
}

async function headerHeight(page: Page): Promise<number> {
  const box = await page.locator('header.site-header').boundingBox();
  return box?.height ?? Number.POSITIVE_INFINITY;
}

/** What the screen shows (not the whole page): the header as a person sees it. */
const screenShot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshotsDir, `${name}.png`) });

describe('the header of each role’s home at 360×740 takes at most a quarter of the screen', () => {
  for (const javaScriptEnabled of [true, false]) {
    for (const account of demoAccounts) {
      const label = `${account.email} (${account.role}), JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;
      it(label, async () => {
        const context = await smallPhone(javaScriptEnabled);
        const page = await signIn(h, context, account.email);
        const problems = watchConsole(page);
        const height = await headerHeight(page);
        console.log(`header height, ${label}: ${height} px`);
        expect(height).toBeLessThanOrEqual(SMALL_PHONE.height / 4);
        // The person sees who is signed in without opening anything.
        expect(await page.locator('header').getByText(account.displayName).first().isVisible()).toBe(true);
        const name = `layout-home-${account.email.replace(/[@.]/g, '-')}${javaScriptEnabled ? '' : '-nojs'}`;
        await screenShot(page, name);
        // axe runs in the page: only with JavaScript on.
        if (javaScriptEnabled) await expectAccessible(page, `home ${label}`);
        expect(problems).toEqual([]);
        await context.close();
      });
    }
  }
});

/** Height of the smallest box a finger can hit, for each element the locator matches. */
async function smallestTarget(page: Page, selector: string): Promise<number> {
  const boxes = await page.locator(selector).evaluateAll((elements) =>
    elements.map((e) => {
      const r = e.getBoundingClientRect();
      return Math.min(r.width, r.height);
    }),
  );
  expect(boxes.length).toBeGreaterThan(0);
  return Math.min(...boxes);
}

describe('the « Menu » on a phone', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`opens, marks the current page, leads to a page and signs out (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const context = await smallPhone(javaScriptEnabled);
      const page = await signIn(h, context, 'coordination@cosim-bretagne.test');
      const nav = page.getByRole('navigation', { name: 'Navigation principale' });
      // Closed: the links and the sign-out are out of sight, the button says it is collapsed.
      await expect.poll(() => nav.isVisible()).toBe(false);
      await expect.poll(() => page.getByRole('button', { name: 'Se déconnecter' }).isVisible()).toBe(false);
      await page.getByText('Menu', { exact: true }).click();
      await expect.poll(() => nav.isVisible()).toBe(true);
      expect(await nav.getByRole('link').allTextContents()).toEqual([
        'Accueil',
        'Mon parcours',
        'Cycles et séances',
        'Mon projet',
        'Attestations',
        'Tableau de bord',
        'Mon collectif',
        'Personnes',
        'Invitations',
        'Fiches à publier',
      ]);
      expect(await nav.getByRole('link', { name: 'Accueil' }).getAttribute('aria-current')).toBe('page');
      if (javaScriptEnabled) await expectAccessible(page, 'menu open');
      await screenShot(page, `layout-menu-open${javaScriptEnabled ? '' : '-nojs'}`);
      // Big touch targets: the button, every link, the profile and the sign-out.
      expect(await smallestTarget(page, 'header summary')).toBeGreaterThanOrEqual(44);
      expect(await smallestTarget(page, 'header nav a')).toBeGreaterThanOrEqual(44);
      expect(await smallestTarget(page, 'header .account button')).toBeGreaterThanOrEqual(44);

      await nav.getByRole('link', { name: 'Cycles et séances' }).click();
      await page.waitForURL(`${h.baseUrl}/cycles`);
      expect(await page.textContent('h1')).toBe('Cycles et séances');
      expect(await headerHeight(page)).toBeLessThanOrEqual(SMALL_PHONE.height / 4);
      await openMenu(page);
      expect(await nav.getByRole('link', { name: 'Cycles et séances' }).getAttribute('aria-current')).toBe(
        'page',
      );
      expect(await nav.getByRole('link', { name: 'Accueil' }).getAttribute('aria-current')).toBe(null);
      await page.getByRole('button', { name: 'Se déconnecter' }).click();
      await page.waitForURL(`${h.baseUrl}/login`);
      expect(await page.textContent('main')).toContain('Vous êtes déconnecté·e');
      await context.close();
    });
  }

  it('works with the keyboard: focus visible on « Menu », Enter opens it, Tab reaches the links', async () => {
    const context = await smallPhone(true);
    const page = await signIn(h, context, 'membre@cosim-bretagne.test');
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Tab'); // brand
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement!;
      const style = getComputedStyle(el);
      return { tag: el.tagName, text: el.textContent, outline: style.outlineStyle, ring: style.boxShadow };
    });
    expect(focused).toMatchObject({ tag: 'SUMMARY', text: 'Menu', outline: 'solid' });
    expect(focused.ring).toContain('255, 191, 71'); // the yellow ring, visible on the blue header
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('header details[open]').count()).toBe(1);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Accueil');
    await screenShot(page, 'layout-menu-keyboard');
    // Escape closes the menu and gives the focus back to its button.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('header details[open]').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SUMMARY');
    await context.close();
  });
});

describe('a wide screen', () => {
  const screens = [
    { width: 1280, height: 800 },
    { width: 1024, height: 768 },
    { width: 768, height: 1024 },
  ];
  for (const viewport of screens) {
    for (const email of ['coordination@cosim-bretagne.test', 'admin@forim.test']) {
      const size = `${viewport.width}×${viewport.height}`;
      it(`shows the links without a « Menu » button (${email}, ${size})`, async () => {
        const context = await h.browser.newContext({ viewport, locale: 'fr-FR' });
        const page = await signIn(h, context, email);
        expect(await page.locator('header summary').isVisible()).toBe(false);
        const nav = page.getByRole('navigation', { name: 'Navigation principale' });
        expect(await nav.getByRole('link', { name: 'Cycles et séances' }).isVisible()).toBe(true);
        expect(await page.getByRole('button', { name: 'Se déconnecter' }).isVisible()).toBe(true);
        const height = await headerHeight(page);
        console.log(`header height, ${email}, ${size}: ${height} px`);
        expect(height).toBeLessThanOrEqual(viewport.height / 4);
        await screenShot(page, `layout-desktop-${email.split('@')[0]}-${viewport.width}`);
        await expectAccessible(page, `desktop ${email} ${size}`);
        await nav.getByRole('link', { name: 'Attestations' }).click();
        await page.waitForURL(`${h.baseUrl}/certificates`);
        await context.close();
      });
    }
  }

  it('keeps the links of a member in one row', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'fr-FR' });
    const page = await signIn(h, context, 'membre@cosim-bretagne.test');
    const links = await page
      .locator('header nav a')
      .evaluateAll((as) => as.map((a) => a.getBoundingClientRect().top));
    expect(new Set(links).size).toBe(1);
    await context.close();
  });
});

describe('error pages', () => {
  it('say what happened in plain French, the status only in small print', async () => {
    const context = await smallPhone(true);
    const page = await context.newPage();
    const response = await page.goto(`${h.baseUrl}/pas-ici`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Cette page n’existe pas');
    expect(await page.textContent('main')).not.toContain('Code 404');
    await expectAccessible(page, '404');
    await screenshot(page, 'layout-error-404');
    const tooLong = await page.goto(`${h.baseUrl}/verify/${'A'.repeat(5000)}`);
    expect(tooLong?.status()).toBe(414);
    expect(await page.textContent('h1')).toBe('Adresse trop longue');
    expect(await page.content()).not.toContain('AAAAAAAAAA');
    await context.close();
  });
});

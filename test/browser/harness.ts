// Browser-test harness: the real app listening on a free loopback port, on a temporary SQLite
// file with the demo data, and Debian's Chromium driven by playwright-core.
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { createTestApp, type TestContext } from '../helpers.ts';

export const screenshotsDir = join(import.meta.dirname, 'screenshots');

export interface Harness {
  ctx: TestContext;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** `smtp: false`: the app as the demo runs it, mail kept in the outbox (else delivered to `ctx.mailbox`). */
export async function startHarness(options: { smtp?: boolean } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-browser-'));
  const ctx = await createTestApp({
    demo: true,
    databasePath: join(dir, 'passerelle.db'),
    smtp: options.smtp,
  });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = ctx.app.server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await mkdir(screenshotsDir, { recursive: true });
  await readTextAsSeen(browser);
  return {
    ctx,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let textPatched = false;

/**
 * `textContent` as a reader sees it: the app writes French typography (no-break spaces before
 * « : », inside « », in « 2 000 » and « 18 h 30 »), which looks like a space; assertions are written
 * with plain spaces. Patched once on Playwright's Page, Frame and Locator classes.
 */
async function readTextAsSeen(browser: Browser) {
  if (textPatched) return;
  textPatched = true;
  const context = await browser.newContext();
  const page = await context.newPage();
  const asSeen = (text: string | null) => (text === null ? null : text.replace(/[\u00a0\u202f]/g, ' '));
  for (const target of [page, page.mainFrame(), page.locator('body')]) {
    const proto = Object.getPrototypeOf(target) as {
      textContent: (...args: unknown[]) => Promise<string | null>;
    };
    const original = proto.textContent;
    proto.textContent = async function (this: unknown, ...args: unknown[]) {
      return asSeen(await original.apply(this, args));
    };
  }
  await context.close();
}

/** Collects console errors and failed requests: a page that logs errors is a broken page. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/** Runs axe (WCAG 2.1 A/AA rules) on the page and expects no violation. */
export async function expectAccessible(page: Page, label: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const violations = results.violations.map(
    (v) => `${label}: ${v.id} (${v.impact}) — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(violations).toEqual([]);
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
}

/** A phone, as most journeys use it. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 800 },
  isMobile: true,
  hasTouch: true,
  locale: 'fr-FR',
};

/**
 * Opens the header's « Menu » when it is a button (a phone); on a wide screen its links are already
 * shown. Call it before clicking a link of the main navigation or « Se déconnecter ».
 */
export async function openMenu(page: Page): Promise<void> {
  const toggle = page.locator('header summary');
  if (!(await toggle.isVisible())) return;
  if ((await page.locator('header details[open]').count()) === 0) await toggle.click();
}

/** A new page of `context`, signed in with a demo account: the home page is open. */
export async function signIn(h: Harness, context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage();
  await signInOn(h, page, email);
  return page;
}

/** Signs in on this page with a demo account and waits for the home page. */
export async function signInOn(h: Harness, page: Page, email: string): Promise<void> {
  await page.goto(`${h.baseUrl}/login`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${h.baseUrl}/`);
}

/** A new browser context (a phone unless told otherwise) and its page, signed in as `email`. */
export async function signedIn(
  h: Harness,
  email: string,
  options: BrowserContextOptions = PHONE,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext(options);
  return { context, page: await signIn(h, context, email) };
}

// The words of the main menu say what the pages are, and the same words are the page's title and
// its breadcrumb: « Cycles et séances » (it lists cycles, with their séances), « Mes séances dans
// mon agenda » (a calendar link to subscribe to, not an agenda to read).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoAccounts } from '../src/demo/seed-demo.ts';
import { createTestApp, TestClient, type TestContext, text } from './helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
});
afterAll(() => ctx.close());

const h1 = (html: string) => text(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '');
const title = (html: string) => text(/<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '');
const menu = (html: string) => /<nav class="site-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';

describe('menu labels, page titles and breadcrumbs agree', () => {
  for (const account of demoAccounts) {
    it(`for ${account.email} (${account.role})`, async () => {
      const client = new TestClient(ctx.app);
      await client.login(account.email, DEMO_PASSWORD);
      const home = await client.get('/');
      expect(menu(home.body)).toContain('<a href="/cycles">Cycles et séances</a>');
      expect(text(menu(home.body))).not.toMatch(/(^| )Séances( |$)/);

      const cycles = await client.get('/cycles');
      expect(h1(cycles.body)).toBe('Cycles et séances');
      expect(title(cycles.body)).toBe('Cycles et séances — Passerelle');
      expect(cycles.body).toContain('<a class="button" href="/calendar">Mes séances dans mon agenda</a>');

      const calendar = await client.get('/calendar');
      expect(h1(calendar.body)).toBe('Mes séances dans mon agenda');
      expect(title(calendar.body)).toBe('Mes séances dans mon agenda — Passerelle');
      expect(text(calendar.body)).not.toContain('Mon agenda');

      // A séance of the first cycle listed: its breadcrumb starts with the same words.
      const cycle = /href="(\/cycles\/\d+)"/.exec(cycles.body)?.[1];
      if (cycle === undefined) return;
      const seance = /href="(\/gatherings\/\d+)"/.exec((await client.get(cycle)).body)?.[1];
      expect(seance).toBeDefined();
      const page = await client.get(seance!);
      expect(page.body).toMatch(/<nav class="breadcrumb"[^>]*><a href="\/cycles">Cycles et séances<\/a>/);
    });
  }
});

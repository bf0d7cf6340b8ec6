// The dashboards in a real browser: the national page reads on a 1280×800 laptop without sideways
// scrolling (measured), with its key figures on top and every skill named; on a phone its tables
// scroll in their own box with the first column kept; the members' file follows the filters; a
// coordinator lands on their collective; filters work with JavaScript off.
import { readFileSync } from 'node:fs';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.ts';
import { rebuildLearnerStats } from '../../src/dashboards/learner-stats.ts';
import { refreshAll } from '../../src/dashboards/summaries.ts';
import { generateNational } from '../../src/demo/generate-national.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import {
  expectAccessible,
  type Harness,
  PHONE,
  screenshot,
  screenshotsDir,
  signedIn,
  startHarness,
  watchConsole,
} from './harness.ts';

let h: Harness;
let coordinator: string;
let cosim: { id: number; name: string; region: string };
beforeAll(async () => {
  h = await startHarness();
  const db = h.ctx.db;
  generateNational(db, { seed: 7, scale: 0.1, passwordHash: await hashPassword(DEMO_PASSWORD) });
  rebuildLearnerStats(db);
  refreshAll(db);
  const c = db.$client
    .prepare(
      `SELECT s.collective_id AS id, o.name, o.region, sum(s.members) AS n,
        (SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.organization_id = s.collective_id AND m.role = 'coordinator' ORDER BY u.id LIMIT 1) AS email
       FROM dashboard_summary s JOIN organizations o ON o.id = s.collective_id
       WHERE o.kind = 'cosim' GROUP BY s.collective_id ORDER BY n DESC LIMIT 1`,
    )
    .get() as { id: number; name: string; region: string; email: string };
  cosim = c;
  coordinator = c.email;
}, 120_000);
afterAll(() => h?.close());

/** A desktop screen unless `phone`; JavaScript on unless told otherwise. */
function screen(options: { phone?: boolean; javaScript?: boolean } = {}): BrowserContextOptions {
  return options.phone
    ? { ...PHONE, javaScriptEnabled: options.javaScript ?? true }
    : {
        viewport: { width: 1366, height: 900 },
        locale: 'fr-FR',
        javaScriptEnabled: options.javaScript ?? true,
      };
}

/** A table's width against its scrolling box's, and the page's: by caption, or the heat map (null). */
async function widths(page: Page, caption: string | null) {
  return page.evaluate((name) => {
    const document = globalThis.document;
    const table = [...document.querySelectorAll('table')].find((t) =>
      name === null ? t.classList.contains('heat') : t.caption?.textContent?.trim() === name,
    )!;
    return {
      table: table.scrollWidth,
      box: (table.closest('.table-scroll') as HTMLElement).clientWidth,
      page: document.documentElement.scrollWidth,
    };
  }, caption);
}

describe('dashboards', () => {
  it('national: filters swap the figures, the URL follows, back comes back; a COSIM down to its members', async () => {
    const { context, page } = await signedIn(h, 'admin@forim.test', screen());
    const problems = watchConsole(page);
    await page.getByRole('link', { name: 'Tableau de bord', exact: true }).click();
    await page.waitForURL(`${h.baseUrl}/dashboard`);
    const table = page.getByRole('table', { name: 'Chiffres par collectif' });
    expect(await table.getByRole('row').count()).toBeGreaterThan(40);
    expect(await page.textContent('main')).toContain('Total des COSIM');
    await expect.poll(() => page.locator('svg[role="img"]').count()).toBe(1);
    await screenshot(page, 'dashboard-national-desktop');
    await expectAccessible(page, 'national dashboard');

    // Region: htmx swaps the figures and pushes the URL.
    await page.getByLabel('Région').selectOption(cosim.region);
    await page.waitForURL(/region=/);
    await expect.poll(async () => table.getByRole('row').count()).toBeLessThan(10);
    expect(await table.textContent()).toContain(cosim.name);
    // A period: the notice says what it counts.
    await page.getByLabel('Mois de début').selectOption({ index: 3 });
    await expect.poll(() => page.textContent('#figures')).toContain('Sur la période du');
    expect(page.url()).toMatch(/from=\d{4}-\d{2}/);
    await page.goBack();
    await expect.poll(() => page.url()).not.toMatch(/from=\d/);
    await expect.poll(() => page.textContent('#figures')).not.toContain('Sur la période du');

    // The COSIM's page: key figures, its OSIMs, its members; one OSIM's members.
    await page.goto(`${h.baseUrl}/dashboard`);
    await page.getByRole('link', { name: cosim.name, exact: true }).click();
    await page.waitForURL(new RegExp(`/dashboard/collectives/${cosim.id}`));
    expect(await page.textContent('h1')).toContain(cosim.name);
    const osims = page.getByRole('table', { name: /Chiffres par OSIM/ });
    expect(await osims.getByRole('row').count()).toBeGreaterThan(3);
    await screenshot(page, 'dashboard-cosim-desktop');
    await expectAccessible(page, 'COSIM dashboard (national team)');
    const firstOsim = osims.getByRole('row').nth(1).getByRole('link');
    const osimName = (await firstOsim.textContent())!.trim();
    await firstOsim.click();
    await expect.poll(() => page.textContent('#h-members')).toContain(osimName);

    // The one-page report for funders.
    await page.goto(`${h.baseUrl}/dashboard/collectives/${cosim.id}`);
    await page.getByRole('link', { name: 'Rapport imprimable' }).click();
    expect(await page.textContent('h1')).toContain(`Rapport de formation — ${cosim.name}`);
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'dashboard-report-print');
    await page.emulateMedia({ media: 'screen' });
    await expectAccessible(page, 'COSIM report');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('a coordinator lands on their collective, on a phone', async () => {
    const { context, page } = await signedIn(h, coordinator, screen({ phone: true }));
    const problems = watchConsole(page);
    await page.goto(`${h.baseUrl}/dashboard`);
    await page.waitForURL(new RegExp(`/dashboard/collectives/${cosim.id}`));
    expect(await page.textContent('h1')).toContain(cosim.name);
    expect(await page.textContent('main')).toContain('Progression de chaque membre');
    expect(await page.textContent('main')).not.toContain('Toutes les régions');
    await screenshot(page, 'dashboard-cosim-phone');
    await expectAccessible(page, 'COSIM dashboard (coordinator, phone)');
    await page.goto(`${h.baseUrl}/dashboard?region=x`);
    await page.waitForURL(new RegExp(`/dashboard/collectives/${cosim.id}`));
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('national on a 1280×800 laptop: no sideways scrolling, key figures on top, every skill named', async () => {
    const { context, page } = await signedIn(h, 'admin@forim.test', {
      viewport: { width: 1280, height: 800 },
      locale: 'fr-FR',
    });
    const problems = watchConsole(page);
    await page.goto(`${h.baseUrl}/dashboard`);
    // The main table fits its box (it was 1,499 px wide in 1,246 px), and so does the page.
    const main = await widths(page, 'Chiffres par collectif');
    expect(main.table).toBeLessThanOrEqual(main.box);
    expect(main.page).toBeLessThanOrEqual(1280);
    for (const column of ['Séances tenues', 'Présence', 'Attestations']) {
      const header = page.getByRole('columnheader', { name: column, exact: true }).first();
      const box = (await header.boundingBox())!;
      expect(box.x + box.width, column).toBeLessThanOrEqual(1280);
    }
    // The key figures come first, for the COSIMs together.
    const keys = page.locator('.key-figures').first();
    expect(await keys.isVisible()).toBe(true);
    expect((await keys.boundingBox())!.y).toBeLessThan(
      (await page.getByRole('table', { name: 'Chiffres par collectif' }).boundingBox())!.y,
    );
    expect(await keys.textContent()).toMatch(/Membres\s*\d+/);
    expect(await page.getByRole('heading', { name: 'Ensemble des COSIM du tableau' }).isVisible()).toBe(true);
    // The heat map fits too, and every skill's name is on screen, no hover needed.
    const heat = await widths(page, null);
    expect(heat.table).toBeLessThanOrEqual(heat.box);
    const skills = h.ctx.db.$client
      .prepare('SELECT code, title FROM skills WHERE archived_at IS NULL')
      .all() as { code: string; title: string }[];
    for (const s of skills)
      expect(
        await page.locator('.skills-legend').getByText(s.title, { exact: true }).isVisible(),
        s.code,
      ).toBe(true);
    await screenshot(page, 'dashboard-national-1280');
    await page.getByRole('heading', { name: 'Compétences acquises' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshotsDir}/dashboard-national-1280-heat.png` });
    await expectAccessible(page, 'national dashboard at 1280×800');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('national on a phone: the tables scroll in their own box, the first column stays', async () => {
    const { context, page } = await signedIn(h, 'admin@forim.test', screen({ phone: true }));
    await page.goto(`${h.baseUrl}/dashboard`);
    const main = await widths(page, 'Chiffres par collectif');
    expect(main.page).toBeLessThanOrEqual(390);
    expect(main.table).toBeGreaterThan(main.box);
    const region = page.getByRole('region', { name: 'Chiffres par collectif' });
    const first = region.getByRole('rowheader').first();
    await first.scrollIntoViewIfNeeded();
    const before = (await first.boundingBox())!.x;
    await region.evaluate((box) => box.scrollBy(300, 0));
    await expect.poll(async () => region.evaluate((box) => box.scrollLeft)).toBeGreaterThan(0);
    expect((await first.boundingBox())!.x).toBe(before);
    await page.screenshot({ path: `${screenshotsDir}/dashboard-national-phone-sideways.png` });
    await region.evaluate((box) => box.scrollTo(0, 0));
    await screenshot(page, 'dashboard-national-phone');
    await expectAccessible(page, 'national dashboard (phone)');
    await context.close();
  }, 120_000);

  it('downloads the progress of the members the filters keep', async () => {
    const { context, page } = await signedIn(h, 'admin@forim.test', { ...screen(), acceptDownloads: true });
    await page.goto(`${h.baseUrl}/dashboard`);
    await page.getByLabel('Région').selectOption(cosim.region);
    await page.waitForURL(/region=/);
    await page.getByLabel('OSIM agissant en QPV seulement').check();
    await page.waitForURL(/qpv=1/);
    await expect
      .poll(() => page.textContent('#figures'))
      .toContain(`Seulement les membres de la région ${cosim.region}, des OSIM agissant en QPV`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger la progression des membres (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('progression-des-membres.csv');
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n')
      .slice(1);
    const expected = h.ctx.db.$client
      .prepare(
        `SELECT count(DISTINCT u.id) AS n FROM users u
         JOIN memberships m ON m.user_id = u.id AND m.role = 'member'
         JOIN organizations o ON o.id = m.organization_id AND o.kind = 'osim' AND o.archived_at IS NULL AND o.acts_in_qpv = 1
         JOIN organizations c ON c.id IN (o.parent_id, o.federation_id) AND c.region = ?
         WHERE u.disabled_at IS NULL`,
      )
      .get(cosim.region) as { n: number };
    const all = h.ctx.db.$client
      .prepare("SELECT count(DISTINCT user_id) AS n FROM memberships WHERE role = 'member'")
      .get() as { n: number };
    expect(expected.n).toBeGreaterThan(0);
    expect(expected.n).toBeLessThan(all.n);
    expect(lines).toHaveLength(expected.n);
    await context.close();
  }, 120_000);

  it('national with JavaScript off: the filters post and the page follows', async () => {
    const { context, page } = await signedIn(h, 'admin@forim.test', screen({ javaScript: false }));
    await page.goto(`${h.baseUrl}/dashboard`);
    await page.getByLabel('Région').selectOption(cosim.region);
    await page.getByLabel('OSIM agissant en QPV seulement').check();
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(/region=.*qpv=1|qpv=1.*region=/);
    expect(await page.textContent('#figures')).toContain(
      'Seulement les membres des OSIM qui agissent en QPV',
    );
    expect(await page.textContent('#figures')).toContain(cosim.name);
    await context.close();
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.ts';
import { rebuildLearnerStats } from '../../src/dashboards/learner-stats.ts';
import { refreshAll } from '../../src/dashboards/summaries.ts';
import { generateNational } from '../../src/db/generate-national.ts';
import { DEMO_PASSWORD } from '../../src/db/seed-demo.ts';
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

describe('dashboards', () => {
  it('national: filters swap the figures, the URL follows, back comes back; a COSIM down to its members', async () => {
    const { context, page } = await signedIn(h, 'admin@forim.test', screen());
    const problems = watchConsole(page);
    await page.getByRole('link', { name: 'Tableau de bord' }).click();
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
    await page.getByLabel('Du mois de').selectOption({ index: 3 });
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
  }, 60_000);

  it('national on a phone, and the filters with JavaScript off', async () => {
    const phone = await signedIn(h, 'admin@forim.test', screen({ phone: true }));
    await phone.page.goto(`${h.baseUrl}/dashboard`);
    await screenshot(phone.page, 'dashboard-national-phone');
    await phone.context.close();

    const { context, page } = await signedIn(h, 'admin@forim.test', screen({ javaScript: false }));
    await page.goto(`${h.baseUrl}/dashboard`);
    await page.getByLabel('Région').selectOption(cosim.region);
    await page.getByLabel('Seulement les OSIM qui agissent en QPV').check();
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(/region=.*qpv=1|qpv=1.*region=/);
    expect(await page.textContent('#figures')).toContain(
      'Seulement les membres des OSIM qui agissent en QPV',
    );
    expect(await page.textContent('#figures')).toContain(cosim.name);
    await context.close();
  }, 60_000);
});

// The dashboard pages: the national team sees every collective, a coordinator only theirs — even
// with another region in the URL; filters travel in the URL; htmx gets only the figures; CSV export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/db/seed-demo.ts';
import { createTestApp, loginAs, TestClient, type TestContext, text } from '../helpers.ts';

let ctx: TestContext;
let admin: TestClient;
let bretagne: TestClient;
beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
  admin = new TestClient(ctx.app);
  await admin.login('admin@forim.test', DEMO_PASSWORD);
  bretagne = new TestClient(ctx.app);
  await bretagne.login('coordination@cosim-bretagne.test', DEMO_PASSWORD);
});
afterAll(() => ctx.close());

describe('dashboard pages', () => {
  it('shows the national team every collective, with the demo cycle’s figures', async () => {
    const page = text((await admin.get('/dashboard')).body);
    expect(page).toContain('Tableau de bord national');
    expect(page).toContain('COSIM Bretagne');
    expect(page).toContain('COSIM Occitanie Méditerranée');
    // Bretagne: 2 invitations, 3 members, all enrolled and active; completion 19, 43 and 71 %;
    // every quiz tried was passed; one séance held (3 seats, 2 of them present); Awa's certificate.
    expect(page).toContain('COSIM Bretagne COSIM · Bretagne 2 3 3 3 43 %');
    expect(page).toContain('1–24 % : 1 25–49 % : 1 50–74 % : 1 75–99 % : 0 100 % : 0 100 % 1 67 % 1');
  });

  it('filters by region through the URL, and htmx gets only the figures', async () => {
    const page = text((await admin.get('/dashboard?region=Occitanie')).body);
    expect(page).toContain('COSIM Occitanie Méditerranée');
    expect(page).not.toContain('COSIM Bretagne COSIM');
    const fragment = await admin.get('/dashboard?region=Occitanie', {
      'hx-request': 'true',
      'hx-request-type': 'partial',
      'hx-target': '#figures',
    });
    expect(fragment.body.startsWith('<div id="figures">')).toBe(true);
    expect(fragment.body).not.toContain('<html');
  });

  it('never shows a coordinator another collective, whatever the URL asks', async () => {
    for (const url of ['/dashboard', '/dashboard?region=Occitanie', '/dashboard?region=%27%20OR%201%3D1--']) {
      const res = await bretagne.get(url);
      expect(res.statusCode).toBe(200);
      const page = text(res.body);
      expect(page).not.toContain('Occitanie Méditerranée');
      expect(page).not.toContain('Île-de-France');
    }
    expect(text((await bretagne.get('/dashboard')).body)).toContain('COSIM Bretagne');
    const csv = (await bretagne.get('/dashboard.csv?region=Occitanie')).body;
    expect(csv).not.toContain('Occitanie');
  });

  it('exports the table as CSV for French spreadsheets', async () => {
    const res = await admin.get('/dashboard.csv');
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.startsWith('\uFEFFCollectif;Invité·es;Membres;')).toBe(true);
    const lines = res.body.trim().split('\r\n');
    expect(lines.find((l) => l.startsWith('COSIM Bretagne;'))).toBeDefined();
    expect(lines.at(-1)!.startsWith('Total;')).toBe(true);
  });

  it('is for the national team and coordinators only', async () => {
    const { client: member } = await loginAs(ctx, 'member');
    expect((await member.get('/dashboard')).statusCode).toBe(403);
    const { client: trainer } = await loginAs(ctx, 'trainer');
    expect((await trainer.get('/dashboard.csv')).statusCode).toBe(403);
  });
});

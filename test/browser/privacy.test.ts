// A member's rights in a real browser: from « Mon profil » to « Mes données » (read, then download
// the JSON file), then deleting the account — a wrong password first, answered next to the field —
// and the privacy notice, with axe on every page.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
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

describe('privacy', () => {
  it('reads and downloads one’s data, then deletes the account', async () => {
    const { context, page } = await signedIn(h, 'jean-baptiste.kouame@cosim-bretagne.test', {
      ...PHONE,
      acceptDownloads: true,
    });
    const problems = watchConsole(page);

    await page.goto(`${h.baseUrl}/profile`);
    await page.getByRole('link', { name: 'Mes données' }).first().click();
    await page.waitForURL(`${h.baseUrl}/me/data`);
    // In words, by theme: lesson titles, the organisation's name, the sign-ins in one line.
    const main = (await page.textContent('main'))!.replace(/\s+/g, ' ');
    expect(main).toContain('Mon parcours');
    expect(main).toMatch(/Qu.est-ce qu.un QPV \? : terminée le/);
    expect(main).toContain('Villejean Ensemble (OSIM) : membre');
    expect(main).toMatch(/\d+ connexions? ouvertes?/);
    // On a phone, three or four screens (it was 6,500 px long for this member).
    const height = await page.evaluate(() => globalThis.document.documentElement.scrollHeight);
    expect(height).toBeLessThan(4000);
    await expectAccessible(page, 'my data');
    await screenshot(page, 'privacy-data-phone');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger mes données (JSON)' }).click(),
    ]);
    const json = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { person: { email: string } };
    expect(json.person.email).toBe('jean-baptiste.kouame@cosim-bretagne.test');

    await page.getByRole('link', { name: 'Ce que Passerelle garde, pourquoi et combien de temps' }).click();
    expect(await page.textContent('h1')).toContain('Confidentialité');
    await expectAccessible(page, 'privacy notice');
    await page.goBack();

    await page.getByRole('link', { name: 'Supprimer mon compte' }).click();
    await page.waitForURL(`${h.baseUrl}/me/delete`);
    await expectAccessible(page, 'delete my account');
    await page.getByLabel('Votre mot de passe').fill('pas-le-bon');
    await page.getByLabel('Je comprends que mon compte sera supprimé définitivement.').check();
    await page.getByRole('button', { name: 'Supprimer mon compte' }).click();
    expect(await page.textContent('.field--error')).toContain('Ce mot de passe n’est pas le bon.');
    await page.getByLabel('Votre mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Supprimer mon compte' }).click();
    await page.waitForURL(`${h.baseUrl}/me/deleted`);
    expect(await page.textContent('h1')).toContain('Votre compte a été supprimé');
    await expectAccessible(page, 'account deleted');
    await page.goto(`${h.baseUrl}/`);
    await page.waitForURL(/\/login/);
    // The wrong password's answer is a 422 page, which the console reports.
    expect(problems.filter((p) => !p.includes('status of 422'))).toEqual([]);
    await context.close();
  }, 60_000);

  it('sums up nineteen sign-ins in one line, and folds a fiche’s text', async () => {
    const { context, page } = await signedIn(h, 'membre@cosim-bretagne.test', PHONE);
    const problems = watchConsole(page);
    // Eighteen more devices or browsers signed in over the last weeks.
    const { id } = h.ctx.db.$client
      .prepare("SELECT id FROM users WHERE email = 'membre@cosim-bretagne.test'")
      .get() as { id: number };
    for (let i = 1; i <= 18; i++)
      h.ctx.db.$client
        .prepare(
          'INSERT INTO sessions (id, secret_hash, user_id, last_verified_at, created_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(`older-${i}`, Buffer.alloc(32), id, Date.now() - i * 86_400_000, Date.now() - i * 86_400_000);
    await page.goto(`${h.baseUrl}/me/data`);
    const connections = page.getByRole('region', { name: 'Mes connexions' });
    expect((await connections.textContent())!.replace(/\s+/g, ' ')).toMatch(
      /19 connexions ouvertes, la dernière utilisée le .+, la plus ancienne ouverte le/,
    );
    // It was 13,300 px long, one card per sign-in; about 5,800 px now that it also holds the
    // member's project (« Mes projets et relectures », about 400 px, its texts folded).
    const height = await page.evaluate(() => globalThis.document.documentElement.scrollHeight);
    expect(height).toBeLessThan(6500);
    await screenshot(page, 'privacy-data-phone-busy');
    const fiche = page.getByRole('region', { name: 'Mes fiches d’expérience' });
    expect(await fiche.getByText('Commencez petit').isVisible()).toBe(false);
    await fiche.getByText('Lire la fiche').click();
    expect(await fiche.getByText('Commencez petit').isVisible()).toBe(true);
    await expectAccessible(page, 'my data, a fiche open');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});

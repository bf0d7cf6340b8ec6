import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessible,
  type Harness,
  openMenu,
  screenshot,
  signIn,
  startHarness,
  watchConsole,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const csv = [
  'nom;email;osim;role',
  'Aïcha Bamba;aicha.bamba@exemple.fr;Solidarité Blosne;membre',
  'Oumar Diarra;oumar.diarra@exemple.fr;Villejean Ensemble;formateur',
  'Mamadou Sow;membre@cosim-bretagne.test;Solidarité Blosne;',
  'Sans Adresse;pas-une-adresse;Solidarité Blosne;',
].join('\n');

describe('CSV import, preview and confirm', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`works ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async () => {
      const context = await h.browser.newContext({
        viewport: { width: 390, height: 800 },
        locale: 'fr-FR',
        javaScriptEnabled,
      });
      const page = await signIn(h, context, 'coordination@cosim-bretagne.test');
      const problems = watchConsole(page);
      await openMenu(page);
      await page.getByRole('link', { name: 'Invitations', exact: true }).click();
      await page.getByRole('link', { name: 'Importer une liste' }).click();
      // axe runs in the page: only with JavaScript on.
      if (javaScriptEnabled) await expectAccessible(page, 'import form');
      const suffix = javaScriptEnabled ? 'js' : 'nojs';
      await page.getByLabel('Fichier CSV', { exact: true }).setInputFiles({
        name: `membres-${suffix}.csv`,
        mimeType: 'text/csv',
        buffer: Buffer.from(csv.replaceAll('@exemple.fr', `.${suffix}@exemple.fr`)),
      });
      await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
      await page.waitForURL(/\/invitations\/import\/\d+$/);
      const preview = await page.textContent('main');
      expect(preview).toContain('4 lignes lues');
      expect(preview).toContain('Déjà membre');
      expect(preview).toContain('n’est pas une adresse e-mail valide');
      if (javaScriptEnabled) {
        await expectAccessible(page, 'import preview');
        await screenshot(page, 'import-preview');
      }
      await page.getByRole('button', { name: 'Inviter 2 personnes' }).click();
      await expect.poll(() => page.textContent('h1')).toBe('Invitations envoyées');
      const inputs = page.locator('.copy-row__input');
      expect(await inputs.count()).toBe(2);
      for (const input of await inputs.all())
        expect(await input.inputValue()).toMatch(/\/invitation\/[a-z2-7]{32}$/);
      if (javaScriptEnabled) {
        await expectAccessible(page, 'invitations sent');
        await screenshot(page, 'import-sent');
        expect(await page.getByRole('button', { name: 'Copier le lien' }).first().isVisible()).toBe(true);
      } else {
        // Without JavaScript the copy buttons stay hidden: the links are selectable text.
        expect(await page.getByRole('button', { name: 'Copier le lien' }).count()).toBe(0);
      }
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});

describe('directory search', () => {
  it('updates the results as the coordinator types (htmx), and keeps the URL shareable', async () => {
    const context = await h.browser.newContext({ viewport: { width: 390, height: 800 }, locale: 'fr-FR' });
    const page = await signIn(h, context, 'coordination@cosim-bretagne.test');
    const problems = watchConsole(page);
    await openMenu(page);
    await page.getByRole('link', { name: 'Personnes', exact: true }).click();
    await expect.poll(() => page.textContent('#people-results')).toContain('Mamadou Sow');
    await page.getByLabel('Rechercher une personne').fill('kouame');
    await expect.poll(() => page.textContent('#people-results')).toContain('1 personne');
    expect(await page.textContent('#people-results')).toContain('Jean-Baptiste Kouamé');
    await expect.poll(() => page.url()).toContain('q=kouame');
    await expectAccessible(page, 'directory');
    await screenshot(page, 'directory-search');
    await page.getByRole('link', { name: 'Jean-Baptiste Kouamé' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Jean-Baptiste Kouamé');
    await expectAccessible(page, 'person');
    await screenshot(page, 'person');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the national team', () => {
  it('edits an OSIM and sees the network, on a desktop screen', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const page = await signIn(h, context, 'admin@forim.test');
    await openMenu(page);
    await page.getByRole('link', { name: 'Réseau', exact: true }).click();
    await expectAccessible(page, 'network');
    await screenshot(page, 'network-desktop');
    await page.getByRole('link', { name: 'COSIM Bretagne' }).click();
    await page.getByRole('link', { name: 'Villejean Ensemble' }).click();
    await page.getByRole('link', { name: 'Modifier' }).click();
    await expectAccessible(page, 'osim form');
    await page.getByLabel('Quartiers où elle agit').fill('Villejean, Beauregard');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.textContent('main')).toContain('« Villejean Ensemble » a été enregistrée.');
    expect(await page.textContent('main')).toContain('Villejean, Beauregard');
    await screenshot(page, 'osim-desktop');
    await page.goto(`${h.baseUrl}/admin/audit`);
    expect(await page.textContent('main')).toContain('a modifié l’organisation');
    await expectAccessible(page, 'audit');
    await page.goto(`${h.baseUrl}/profile`);
    await expectAccessible(page, 'profile');
    await screenshot(page, 'profile-desktop');
    await context.close();
  });
});

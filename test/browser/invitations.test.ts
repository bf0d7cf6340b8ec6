// Invitations in a real browser on a 360×740 phone: a coordinator invites a person, comes back to
// the link (reload, list, copy), the person opens it in a fresh browser, chooses a password and
// lands on their home; a Windows-1252 list from Excel is imported, its result page reloaded and its
// links downloaded. JavaScript on and off; axe on every page; screenshots in test/browser/screenshots.
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, type Harness, screenshot, signIn, startHarness, watchConsole } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

// The app's public address in the harness is BASE_URL (http://passerelle.test); the browser reaches
// it at h.baseUrl.
const LINK = /^http:\/\/passerelle\.test\/invitation\/[a-z2-7]{32}$/;

async function phone(javaScriptEnabled: boolean): Promise<BrowserContext> {
  const context = await h.browser.newContext({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    locale: 'fr-FR',
    javaScriptEnabled,
  });
  if (javaScriptEnabled) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.baseUrl });
  }
  return context;
}

/** The link field is shown whole: nothing scrolls out of sight inside it, nothing past the screen. */
async function expectWholeLink(page: Page, field: ReturnType<Page['locator']>) {
  const box = await field.evaluate((el) => {
    const rect = el.getBoundingClientRect();
    return {
      hiddenHeight: el.scrollHeight - el.clientHeight,
      hiddenWidth: el.scrollWidth - el.clientWidth,
      right: rect.right,
      viewport: document.documentElement.clientWidth,
      pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    };
  });
  expect(box.hiddenHeight).toBeLessThanOrEqual(1);
  expect(box.hiddenWidth).toBeLessThanOrEqual(1);
  expect(box.right).toBeLessThanOrEqual(box.viewport);
  expect(box.pageScrolls).toBe(false);
  await expect.poll(() => page.evaluate(() => document.readyState)).toBe('complete');
}

describe('a coordinator invites a person, who opens the link in a fresh browser and is in', () => {
  for (const javaScriptEnabled of [true, false]) {
    const suffix = javaScriptEnabled ? 'js' : 'nojs';
    it(`works ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async () => {
      const context = await phone(javaScriptEnabled);
      const page = await signIn(h, context, 'coordination@cosim-bretagne.test');
      const problems = watchConsole(page);
      await page.goto(`${h.baseUrl}/invitations`);
      await page.getByRole('link', { name: 'Inviter une personne' }).click();

      // The errors speak of the person being invited.
      await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await expect.poll(() => page.textContent('main')).toContain('Saisissez le nom de la personne.');
      expect(await page.textContent('main')).toContain('Saisissez l’adresse e-mail de la personne.');
      if (javaScriptEnabled) {
        await expectAccessible(page, 'invite form with errors');
        await screenshot(page, 'invitations-form-errors');
      }

      const name = javaScriptEnabled ? 'Aminata Kane' : 'Bintou Sangaré';
      const email = `${name.split(' ')[0]!.toLowerCase()}.${suffix}@exemple.fr`;
      await page.getByLabel('Nom de la personne').fill(name);
      await page.getByLabel('Adresse e-mail').fill(email);
      await page.getByLabel('Association ou collectif').selectOption({ label: 'Villejean Ensemble (OSIM)' });
      await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await page.waitForURL(/\/invitations\/\d+$/);
      expect(await page.textContent('main')).toContain(`L’invitation est envoyée par e-mail à ${email}.`);
      const field = page.getByLabel(`Lien d’invitation de ${name}`);
      const link = await field.inputValue();
      expect(link).toMatch(LINK);
      await expectWholeLink(page, field);
      const copy = page.locator('main button[data-copy]');
      if (javaScriptEnabled) {
        await expectAccessible(page, 'invitation page');
        await screenshot(page, 'invitations-sent-phone');
        expect(await copy.textContent()).toBe('Copier le lien');
        await copy.click();
        await expect.poll(() => copy.textContent()).toBe('Lien copié');
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
      } else {
        // Without JavaScript the button stays hidden: the link is plain selectable text.
        expect(await copy.isVisible()).toBe(false);
        expect(await page.getByRole('button', { name: 'Copier le lien' }).count()).toBe(0);
        expect(await field.getAttribute('readonly')).not.toBeNull();
        await screenshot(page, 'invitations-sent-phone-nojs');
      }

      // Reloading the page: the same link, never an error.
      const reloaded = await page.reload();
      expect(reloaded?.status()).toBe(200);
      expect(await page.getByLabel(`Lien d’invitation de ${name}`).inputValue()).toBe(link);

      // The list of pending invitations keeps it too.
      await page.getByRole('link', { name: 'Toutes les invitations' }).click();
      await page.waitForURL(`${h.baseUrl}/invitations`);
      const listed = page.getByLabel(`Lien d’invitation de ${name}`);
      expect(await listed.inputValue()).toBe(link);
      await expectWholeLink(page, listed);
      if (javaScriptEnabled) {
        await expectAccessible(page, 'invitations list');
        await screenshot(page, 'invitations-list-phone');
        // The search narrows the list in place. (On a fresh page: axe leaves empty style attributes
        // behind, which htmx's settle step would copy onto the new results, tripping the CSP.)
        await page.reload();
        await page.getByLabel('Rechercher une invitation').fill('kane');
        await expect.poll(() => page.textContent('#invitation-results')).toContain('1 invitation');
        await expect.poll(() => page.url()).toContain('q=kane');
      }

      // The person, in a browser of their own.
      const theirs = await phone(javaScriptEnabled);
      const newcomer = await theirs.newPage();
      const newcomerProblems = watchConsole(newcomer);
      await newcomer.goto(`${h.baseUrl}${new URL(link).pathname}`);
      expect(await newcomer.textContent('main')).toContain(
        'Vous êtes invité·e à rejoindre Villejean Ensemble comme membre.',
      );
      if (javaScriptEnabled) {
        await expectAccessible(newcomer, 'invitation acceptance');
        await screenshot(newcomer, 'invitations-accept-phone');
      }
      await newcomer.getByLabel('Choisissez un mot de passe').fill('une phrase assez longue');
      await newcomer.getByLabel('Confirmez le mot de passe').fill('une phrase assez longue');
      await newcomer.getByRole('button', { name: 'Créer mon compte' }).click();
      await newcomer.waitForURL(`${h.baseUrl}/`);
      const home = await newcomer.textContent('main');
      expect(home).toContain(`Votre compte est créé. Bienvenue, ${name} !`);
      expect(home).toContain('Votre association : Villejean Ensemble');
      if (javaScriptEnabled) {
        await expectAccessible(newcomer, 'newcomer home');
        await screenshot(newcomer, 'invitations-newcomer-home-phone');
      }
      expect(newcomerProblems).toEqual([]);
      await theirs.close();

      // Accepted: the link is gone from the coordinator's page.
      await page.goto(`${h.baseUrl}/invitations?status=accepted&q=${encodeURIComponent(email)}`);
      expect(await page.textContent('#invitation-results')).toContain('Acceptée');
      expect(await page.getByLabel(`Lien d’invitation de ${name}`).count()).toBe(0);
      // The one error the console saw: the form sent empty on purpose (422).
      expect(problems).toEqual([
        'console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)',
      ]);
      await context.close();
    });
  }
});

describe('a list from Excel (Windows-1252)', () => {
  it('is imported, its result page reloads, its links download as a CSV', async () => {
    const context = await phone(true);
    const page = await signIn(h, context, 'coordination@cosim-bretagne.test');
    const problems = watchConsole(page);
    await page.goto(`${h.baseUrl}/invitations/import`);
    await expectAccessible(page, 'import form');
    const [template] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger le modèle (CSV)' }).click(),
    ]);
    expect(template.suggestedFilename()).toBe('modele-invitations.csv');
    // As Excel saves it on a French Windows: Windows-1252, ’ is 0x92.
    const text =
      'nom;email;osim\r\nKhadija N’Diaye;khadija.ndiaye@exemple.fr;Solidarité Blosne\r\nOusmane Traoré;ousmane.traore@exemple.fr;Villejean Ensemble\r\n';
    const bytes = Buffer.from([...text].map((c) => (c === '’' ? 0x92 : c.charCodeAt(0))));
    await page.getByLabel('Fichier CSV', { exact: true }).setInputFiles({
      name: 'membres-excel.csv',
      mimeType: 'text/csv',
      buffer: bytes,
    });
    await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await page.waitForURL(/\/invitations\/import\/\d+$/);
    expect(await page.textContent('main')).toContain('Khadija N’Diaye');
    await page.getByRole('button', { name: 'Inviter 2 personnes' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Invitations envoyées');
    const url = page.url();
    expect(url).toMatch(/\/invitations\/import\/\d+$/);
    await expectAccessible(page, 'import result');
    await screenshot(page, 'invitations-import-result-phone');
    const fields = page.locator('.copy-link__text');
    const links = await Promise.all((await fields.all()).map((f) => f.inputValue()));
    expect(links).toHaveLength(2);
    for (const link of links) expect(link).toMatch(LINK);
    // Reload: the same page, the same links (it used to answer « Cette liste a déjà été importée », 422).
    const reloaded = await page.reload();
    expect(reloaded?.status()).toBe(200);
    expect(await Promise.all((await fields.all()).map((f) => f.inputValue()))).toEqual(links);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger nom ; email ; lien (CSV)' }).click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFFnom;email;lien\r\n')).toBe(true);
    for (const link of links) expect(csv).toContain(link);
    expect(csv).toContain('Khadija N’Diaye;khadija.ndiaye@exemple.fr;http');
    expect(problems).toEqual([]);
    await context.close();
  });
});

// Each demo account's home on a small phone (360×740): the work waiting for them is there, one
// tap away; axe finds nothing; screenshots in test/browser/screenshots/home-360-*.png. And the
// « Attestations » page of a member who has none yet says how one is earned.
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessible,
  type Harness,
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

const SMALL_PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  locale: 'fr-FR',
};

/** The page does not scroll sideways: nothing is wider than the screen. */
async function expectNoSidewaysScroll(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
}

/** The text of the page's main content, every run of spaces (no-break ones too) as one space. */
async function mainText(page: Page): Promise<string> {
  return ((await page.textContent('main')) ?? '').replace(/\s+/g, ' ');
}

/** The text of an element, spaces (no-break ones too) as one space. */
async function textOf(element: Locator): Promise<string> {
  return ((await element.textContent()) ?? '').replace(/\s+/g, ' ');
}

async function homeOf(email: string, name: string) {
  const { context, page } = await signedIn(h, email, SMALL_PHONE);
  const problems = watchConsole(page);
  await expectAccessible(page, `home ${name}`);
  await expectNoSidewaysScroll(page);
  await screenshot(page, `home-360-${name}`);
  return { context, page, problems, main: await mainText(page) };
}

describe('each home at 360×740', () => {
  it('trainer: « Faire l’émargement » of the séance under way leads to its roll call', async () => {
    const { context, page, problems, main } = await homeOf('formation@cosim-bretagne.test', 'trainer');
    expect(main).toContain('Aujourd’hui');
    expect(main).toContain('Permanence : vos questions sur le budget prévisionnel');
    expect(main).toContain('Émargement à clôturer');
    expect(main).toContain('Échange entre pairs : mobiliser des bénévoles');
    expect(main).toContain('Vos cycles');
    const button = page.getByRole('link', { name: /^Faire l’émargement/ });
    expect(await button.count()).toBe(1);
    // Big enough for a thumb.
    const box = (await button.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(48);
    expect(box.width).toBeGreaterThan(280);
    await button.click();
    await page.waitForURL(/\/gatherings\/\d+\/attendance$/);
    const rollCall = await mainText(page);
    expect(rollCall).toContain('Émargement');
    expect(rollCall).toContain('Permanence : vos questions sur le budget prévisionnel');
    expect(rollCall).toContain('Mamadou Sow');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('member in Bretagne: the next séance with its seat, the past ones as the roll call says', async () => {
    const { context, page, problems, main } = await homeOf('membre@cosim-bretagne.test', 'member-bretagne');
    expect(main).toContain('Continuer');
    const past = page.getByRole('region', { name: 'Vos séances passées' });
    const launch = past.getByRole('listitem').filter({ hasText: 'Lancement du cycle' });
    expect(await textOf(launch)).toContain('présent·e');
    const missed = past.getByRole('listitem').filter({ hasText: 'le diagnostic des besoins' });
    expect(await textOf(missed)).toContain('absent·e');
    const yesterday = past.getByRole('listitem').filter({ hasText: 'mobiliser des bénévoles' });
    expect(await textOf(yesterday)).toContain('passée');
    expect(await textOf(past)).not.toContain('place confirmée');
    const next = page.getByRole('region', { name: 'Vos prochaines séances' });
    expect(await textOf(next)).toContain('place confirmée');
    expect(main).not.toContain('Vous avez une place');
    await launch.getByRole('link').click();
    await page.waitForURL(/\/gatherings\/\d+$/);
    expect(await page.textContent('h1')).toContain('Lancement du cycle');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('coordinator: invitations waiting, the next séances of the collective, the OSIMs', async () => {
    const { context, page, problems, main } = await homeOf('coordination@cosim-bretagne.test', 'coordinator');
    const invitations = page.getByRole('region', { name: 'Invitations' });
    expect(await textOf(invitations)).toContain('2 invitations attendent une réponse.');
    expect(await textOf(invitations)).toContain('Salimata Koné');
    expect(main).toContain('Atelier : construire le budget prévisionnel');
    expect(main).toContain('Associations (OSIM) de COSIM Bretagne');
    await invitations.getByRole('link', { name: 'Voir les invitations en attente' }).click();
    await page.waitForURL(/\/invitations\?status=pending$/);
    expect(await page.textContent('main')).toContain('Moussa Camara');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('national team: the network, what to follow, the dashboard one tap away', async () => {
    const { context, page, problems, main } = await homeOf('admin@forim.test', 'admin');
    expect(main).toContain('À suivre dans le réseau');
    expect(main).toContain('Les séances des sept prochains jours dans le réseau');
    await page.getByRole('link', { name: 'Tableau de bord national' }).click();
    await page.waitForURL(/\/dashboard$/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('member in Occitanie Méditerranée: the path and the next séance', async () => {
    const { context, problems, main } = await homeOf('membre@cosim-om.test', 'member-om');
    expect(main).toContain('Votre parcours de formation');
    expect(main).toContain('Vos prochaines séances');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('« Attestations » with none yet', () => {
  it('says how one is earned, what the cycle asks, and links to its rules', async () => {
    const { context, page } = await signedIn(h, 'membre@cosim-om.test', SMALL_PHONE);
    await page.goto(`${h.baseUrl}/certificates`);
    const main = await mainText(page);
    expect(main).toContain('Une attestation vous est délivrée automatiquement');
    expect(main).toContain('Ce que demande ce cycle :');
    expect(main).toContain(
      'Terminer les 3 modules « Politique de la ville et QPV », « Monter et cofinancer un projet »',
    );
    expect(main).toContain('Suivre au moins 2 séances collectives (vous en avez suivi 0)');
    await expectAccessible(page, 'certificates none yet');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'certificates-360-none-yet');
    await page
      .getByRole('link', { name: /^Voir le cycle «\s*Cycle 2026 — COSIM Occitanie Méditerranée\s*»/ })
      .click();
    await page.waitForURL(/\/cycles\/\d+#attestations$/);
    expect(await page.textContent('#attestations')).toBe('Attestations');
    await context.close();
  });
});

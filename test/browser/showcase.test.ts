// The public showcase in a real browser, on a phone (issue 19's journey): Awa Diop, of Solidarité
// Blosne (COSIM Bretagne), present at the launch of the Bretagne cycle, writes a fiche d'expérience
// with the annex's facts — once with a bad month, answered next to the field with every word kept —
// and asks for it to be published; the coordinator of COSIM Bretagne finds it in « Fiches à publier »
// from the menu, corrects a word, takes out a private person's name and publishes it. Signed out,
// JavaScript off: /vitrine lists it (filtered by its region from the map, with the keyboard, and by
// the form's region and domain), its page shows the corrected text and the association, never the
// member's name; the Atom feed has it. Awa withdraws it: signed out again, it is gone from /vitrine,
// its page answers 404 and the feed no longer has it. Axe on /vitrine, the action's page, the fiche
// form with an error and the review page; screenshots in /tmp/shots to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessible,
  type Harness,
  openMenu,
  PHONE,
  signedIn,
  startHarness,
  watchConsole,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** Screenshots to look at, kept out of the repository. */
const SHOTS = process.env.SHOWCASE_SHOTS_DIR ?? '/tmp/shots';
async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, caret: 'initial' });
}

const phone = (javaScriptEnabled = true): BrowserContextOptions => ({ ...PHONE, javaScriptEnabled });

const MEMBER = 'awa.diop@cosim-bretagne.test';
const MEMBER_NAME = 'Awa Diop';
const OSIM = 'Solidarité Blosne';
const COORDINATOR = 'coordination@cosim-bretagne.test';
const CYCLE = 'Cycle 2026 — COSIM Bretagne';
const TITLE = 'Permanences santé des femmes au Blosne';
// A typo (« permanances ») and a private person's name, both for the review to correct.
const WHAT =
  'Chaque mardi, des permanances santé à la maison de quartier, avec Mme Fatimata Diallo, infirmière bénévole.\nLes femmes du quartier y trouvent une écoute et une orientation vers les soins.';
const WHAT_REVIEWED =
  'Chaque mardi, des permanences santé à la maison de quartier, avec une infirmière bénévole.\nLes femmes du quartier y trouvent une écoute et une orientation vers les soins.';
// The period as every page writes it.
const PERIOD = /octobre 2025 – mars 2026/;
const OBJECTIVES = 'Que les femmes nouvellement arrivées connaissent leurs droits à la santé.';

/** The page does not scroll sideways on a phone. */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** What a fiche's facts (`dl.facts`) say for `term`. */
const fact = (page: Page, term: string) =>
  page
    .locator('.facts > div', { has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) })
    .locator('dd')
    .textContent();

/** The titles of the actions listed on /vitrine. */
const listed = (page: Page) => page.locator('#actions .cycle-card__title').allTextContents();

/** A fresh browser, signed out, JavaScript off: how the public reads the showcase. */
async function signedOut(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext(phone(false));
  return { context, page: await context.newPage() };
}

describe('the showcase journey', () => {
  it('a member writes a fiche and asks to publish, the coordinator publishes it, it appears on the showcase and in the feed, the member withdraws it, it is gone', async () => {
    // ——— Awa writes her fiche from the cycle's page (JavaScript on): a bad month first. ———
    const member = await signedIn(h, MEMBER, phone());
    const m = member.page;
    const problems = [watchConsole(m)];
    await m.goto(`${h.baseUrl}/cycles`);
    await m.getByRole('link', { name: CYCLE }).click();
    await m.getByRole('link', { name: 'Écrire une fiche d’expérience' }).click();
    await m.waitForURL(/\/cycles\/\d+\/experiences\/new$/);
    await m.getByLabel('Titre de l’action').fill(TITLE);
    await m.getByLabel('Ce que vous avez fait').fill(WHAT);
    await m.getByLabel('Objectifs de l’action').fill(OBJECTIVES);
    await m.getByRole('combobox', { name: 'Domaine', exact: true }).selectOption({ label: 'Santé' });
    const publics = m.getByRole('group', { name: 'Qui en a bénéficié' });
    await publics.getByLabel('Femmes', { exact: true }).check();
    await publics.getByLabel('Personnes nouvellement arrivées').check();
    await m.getByRole('combobox', { name: 'Région', exact: true }).selectOption({ label: 'Bretagne' });
    await m.getByLabel('Début (mois)').fill('10/2025');
    await m.getByLabel('Fin (mois, si l’action a duré)').fill('2026-03');
    await m.getByLabel('Ville', { exact: true }).fill('Rennes');
    await m.getByLabel('L’action a eu lieu dans un quartier prioritaire (QPV)').check();
    await m.getByLabel('Nom du quartier').fill('Le Blosne');
    await m.getByLabel('Partenaires').fill('La maison de quartier du Blosne, le centre de santé.');
    await m.getByLabel('Nombre de bénévoles').fill('4');
    await m.getByLabel('Nombre de participant·es').fill('35');
    await m.getByRole('button', { name: 'Enregistrer la fiche' }).click();
    await m.locator('#f-periodStart-error').waitFor();
    expect(await m.textContent('#f-periodStart-error')).toContain(
      'Écrivez le mois au format année-mois, par exemple 2025-10.',
    );
    expect(await m.getByLabel('Début (mois)').getAttribute('aria-invalid')).toBe('true');
    expect(await m.locator('.error-summary').textContent()).toContain(
      'Écrivez le mois au format année-mois, par exemple 2025-10.',
    );
    // Every word typed is kept: the texts, the choices, the boxes ticked.
    expect(await m.getByLabel('Début (mois)').inputValue()).toBe('10/2025');
    expect(await m.getByLabel('Ce que vous avez fait').inputValue()).toBe(WHAT);
    expect(await m.getByLabel('Objectifs de l’action').inputValue()).toBe(OBJECTIVES);
    expect(await m.getByLabel('Titre de l’action').inputValue()).toBe(TITLE);
    expect(await m.getByRole('combobox', { name: 'Domaine', exact: true }).inputValue()).toBe('health');
    expect(await m.getByRole('combobox', { name: 'Région', exact: true }).inputValue()).toBe('BRE');
    expect(await publics.getByLabel('Femmes', { exact: true }).isChecked()).toBe(true);
    expect(await publics.getByLabel('Personnes nouvellement arrivées').isChecked()).toBe(true);
    expect(await publics.getByLabel('Jeunes', { exact: true }).isChecked()).toBe(false);
    expect(await m.getByLabel('L’action a eu lieu dans un quartier prioritaire (QPV)').isChecked()).toBe(
      true,
    );
    expect(await m.getByLabel('Nombre de participant·es').inputValue()).toBe('35');
    expect(await sidewaysOverflow(m)).toBeLessThanOrEqual(0);
    await expectAccessible(m, 'fiche form with an error');
    await shot(m, 'showcase-fiche-form-error-phone');

    await m.getByLabel('Début (mois)').fill('2025-10');
    await m.getByRole('button', { name: 'Enregistrer la fiche' }).click();
    await m.waitForURL(/\/experiences\/\d+$/);
    const ficheUrl = m.url();
    const id = Number(/\/experiences\/(\d+)$/.exec(ficheUrl)![1]);
    const main = () => m.textContent('main');
    expect(await main()).toContain('Votre fiche est enregistrée. Merci !');
    const facts: Array<[string, string | RegExp]> = [
      ['Domaine', 'Santé'],
      ['Qui en a bénéficié', 'Femmes, Personnes nouvellement arrivées'],
      ['Région', 'Bretagne'],
      ['Période', PERIOD],
      ['Nombre de participant·es', '35'],
      ['Nombre de bénévoles', '4'],
      ['Ville', 'Rennes — QPV : Le Blosne'],
    ];
    for (const [term, words] of facts)
      if (typeof words === 'string') expect(await fact(m, term)).toBe(words);
      else expect(await fact(m, term)).toMatch(words);
    const publication = m.locator('#publication');
    expect(await publication.textContent()).toContain('Cette fiche n’est pas publique');
    expect(await publication.textContent()).toContain('jamais le vôtre');

    // She asks for it to be published.
    await publication.getByRole('button', { name: 'Demander la publication sur la vitrine' }).click();
    await m.waitForURL(`${ficheUrl}#publication`);
    expect(await m.textContent('.flash')).toContain(
      'Demande envoyée : la fiche sera relue avant d’être publiée.',
    );
    expect(await publication.textContent()).toContain('Publication demandée');
    expect(await publication.getByRole('button', { name: 'Annuler ma demande' }).count()).toBe(1);

    // Not on the showcase yet.
    const early = await h.browser.newContext(phone(false));
    const notYet = await early.request.get(`${h.baseUrl}/vitrine/actions/${id}`);
    expect(notYet.status()).toBe(404);
    await early.close();

    // ——— The coordinator of COSIM Bretagne reviews and publishes (JavaScript on). ———
    const coordinator = await signedIn(h, COORDINATOR, phone());
    const c = coordinator.page;
    problems.push(watchConsole(c));
    await openMenu(c);
    await c.getByRole('link', { name: 'Fiches à publier', exact: true }).click();
    await c.waitForURL(`${h.baseUrl}/experiences/to-publish`);
    const request = c.locator('.cycle-card', { hasText: TITLE });
    expect(await request.textContent()).toContain(`${MEMBER_NAME} · ${CYCLE} · demandée le`);
    await request.getByRole('link', { name: TITLE }).click();
    await c.waitForURL(`${h.baseUrl}/experiences/${id}/publication`);
    expect(await c.textContent('h1')).toBe('Relire une fiche avant publication');
    expect(await c.getByLabel('Ce que vous avez fait').inputValue()).toBe(WHAT);
    expect(await c.textContent('main')).toContain(`${MEMBER_NAME} a demandé la publication le`);
    expect(await sidewaysOverflow(c)).toBeLessThanOrEqual(0);
    await expectAccessible(c, 'review page');
    await shot(c, 'showcase-review-phone');
    await c.getByLabel('Ce que vous avez fait').fill(WHAT_REVIEWED);
    await c.getByRole('button', { name: 'Publier sur la vitrine' }).click();
    await c.waitForURL(`${h.baseUrl}/experiences/${id}#publication`);
    expect(await c.textContent('.flash')).toContain('La fiche est publiée sur la vitrine.');
    expect(await c.textContent('#publication')).toContain('Cette fiche est publiée sur la vitrine');
    expect(await c.getByRole('link', { name: 'Voir la fiche sur la vitrine' }).getAttribute('href')).toBe(
      `/vitrine/actions/${id}`,
    );
    // The request is no longer waiting.
    await c.goto(`${h.baseUrl}/experiences/to-publish`);
    expect(await c.textContent('main')).not.toContain(TITLE);
    await coordinator.context.close();

    // ——— Signed out, JavaScript off: the showcase shows it. ———
    const visitor = await signedOut();
    const v = visitor.page;
    const home = await v.goto(`${h.baseUrl}/vitrine`);
    expect(home?.status()).toBe(200);
    expect(await v.locator('header summary').count()).toBe(0);
    expect((await listed(v))[0]).toBe(TITLE);
    // The map's region is a link, reached with Tab and followed with Enter.
    const bretagne = v.locator('a.france-map-region[data-region="BRE"]');
    expect(await bretagne.getAttribute('aria-label')).toMatch(/^Bretagne\s:\s\d+\sactions?$/);
    let reached = false;
    for (let tab = 0; tab < 60 && !reached; tab++) {
      await v.keyboard.press('Tab');
      reached = await bretagne.evaluate((el) => el === document.activeElement);
    }
    expect(reached).toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    await v.locator('.showcase-map').screenshot({ path: join(SHOTS, 'showcase-map-focus-phone.png') });
    await v.keyboard.press('Enter');
    await v.waitForURL(`${h.baseUrl}/vitrine?region=BRE#actions`);
    expect(await v.textContent('.showcase-active')).toContain('Région : Bretagne');
    expect(await listed(v)).toContain(TITLE);
    for (const meta of await v.locator('#actions .cycle-card').allTextContents())
      expect(meta).toContain('Bretagne');
    // The form: region and domain, a plain GET.
    await v.goto(`${h.baseUrl}/vitrine`);
    await v.getByLabel('Région', { exact: true }).selectOption({ label: 'Bretagne' });
    await v.getByLabel('Domaine', { exact: true }).selectOption({ label: 'Santé' });
    await v.getByRole('button', { name: 'Filtrer', exact: true }).click();
    await v.waitForURL(/\/vitrine\?region=BRE&domain=health\b.*#actions$/);
    expect(await listed(v)).toContain(TITLE);
    const cards = await v.locator('#actions .cycle-card').allTextContents();
    for (const card of cards) expect(card).toContain('Santé');
    expect(await v.textContent('.key-figures')).toMatch(new RegExp(`Actions publiées\\s*${cards.length}\\b`));
    expect(await v.textContent('.showcase-active')).toContain('Domaine : Santé');

    await v.goto(`${h.baseUrl}/vitrine`);
    expect(await sidewaysOverflow(v)).toBeLessThanOrEqual(0);
    expect(await v.locator('script').count()).toBe(0);
    await shot(v, 'showcase-vitrine-phone');

    // Its page: the corrected text, the association and its collective, not the member's name.
    await v.getByRole('link', { name: TITLE }).click();
    await v.waitForURL(`${h.baseUrl}/vitrine/actions/${id}`);
    const page = (await v.textContent('main'))!;
    expect(await v.textContent('h1')).toBe(TITLE);
    expect(page).toContain('des permanences santé');
    expect(page).not.toContain('permanances');
    expect(page).not.toContain('Diallo');
    expect(page).toContain(`Une action de ${OSIM}`);
    expect(page).toContain('Collectif : COSIM Bretagne');
    expect(page).toContain('Santé');
    expect(page).toContain('Femmes, Personnes nouvellement arrivées');
    expect(page).toContain('Rennes — QPV : Le Blosne');
    expect(page).toMatch(PERIOD);
    expect(page).toContain(OBJECTIVES);
    expect(page).toContain('Publiée le');
    const whole = (await v.content()).replace(/[\u00a0\u202f]/g, ' ');
    expect(whole).not.toContain(MEMBER_NAME);
    expect(whole).not.toContain('Awa');
    expect(whole).not.toContain(MEMBER);
    expect(await v.locator('meta[property="og:title"]').getAttribute('content')).toBe(TITLE);
    expect(await sidewaysOverflow(v)).toBeLessThanOrEqual(0);
    await shot(v, 'showcase-action-phone');
    // Axe runs in the page: the same pages (they load no script) in a signed-out browser with it on.
    const scanner = await h.browser.newContext({ ...phone(true), deviceScaleFactor: 3 });
    const s = await scanner.newPage();
    const scanned = watchConsole(s);
    for (const [url, label] of [
      ['/vitrine', '/vitrine'],
      ['/vitrine?region=BRE&domain=health', '/vitrine filtered'],
      [`/vitrine/actions/${id}`, 'action page'],
    ]) {
      await s.goto(`${h.baseUrl}${url}`);
      await expectAccessible(s, label!);
    }
    // The map as a phone's screen draws it (three pixels a point), to read its labels.
    await s.goto(`${h.baseUrl}/vitrine`);
    await s.locator('.showcase-map').screenshot({ path: join(SHOTS, 'showcase-map-phone-3x.png') });
    expect(scanned).toEqual([]);
    await scanner.close();

    // The Atom feed has it, authored by the association.
    const feed = await visitor.context.request.get(`${h.baseUrl}/vitrine/feed.xml`);
    expect(feed.status()).toBe(200);
    const atom = await feed.text();
    expect(atom).toContain(`<title>${TITLE}</title>`);
    expect(atom).toContain(`/vitrine/actions/${id}"`);
    expect(atom).toContain('des permanences santé');
    expect(atom).not.toContain(MEMBER_NAME);
    await visitor.context.close();

    // ——— Awa withdraws it from her fiche's page. ———
    await m.goto(`${h.baseUrl}/cycles`);
    await m.getByRole('link', { name: CYCLE }).click();
    await m.getByRole('link', { name: TITLE }).click();
    await m.waitForURL(ficheUrl);
    // She reads what was published: the reviewed text.
    expect(await main()).toContain('des permanences santé');
    expect(await publication.textContent()).toContain('Cette fiche est publiée sur la vitrine');
    await publication.getByRole('button', { name: 'Retirer de la vitrine' }).click();
    await m.waitForURL(`${ficheUrl}#publication`);
    expect(await m.textContent('.flash')).toContain('La fiche n’est plus sur la vitrine.');
    expect(await publication.textContent()).toContain('Cette fiche n’est pas publique');
    expect(
      await publication.getByRole('button', { name: 'Demander la publication sur la vitrine' }).count(),
    ).toBe(1);

    // ——— Signed out again: gone from /vitrine, its page, the feed. ———
    const later = await signedOut();
    const l = later.page;
    await l.goto(`${h.baseUrl}/vitrine`);
    expect(await listed(l)).not.toContain(TITLE);
    await l.goto(`${h.baseUrl}/vitrine?region=BRE&domain=health`);
    expect(await listed(l)).not.toContain(TITLE);
    expect(await l.textContent('main')).not.toContain(TITLE);
    const gone = await l.goto(`${h.baseUrl}/vitrine/actions/${id}`);
    expect(gone?.status()).toBe(404);
    expect(await l.textContent('main')).not.toContain(TITLE);
    const feedAfter = await (await later.context.request.get(`${h.baseUrl}/vitrine/feed.xml`)).text();
    expect(feedAfter).not.toContain(TITLE);
    expect(feedAfter).not.toContain(`/vitrine/actions/${id}"`);
    await later.context.close();

    // Nothing logged on the signed-in pages but the fiche form's answer with an error (422).
    const refused = problems.flat().filter((p) => p.includes('status of 422'));
    expect(problems.flat().filter((p) => !refused.includes(p))).toEqual([]);
    expect(refused.length).toBeLessThanOrEqual(1);
    await member.context.close();
  }, 180_000);
});

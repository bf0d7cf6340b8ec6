// Cycles and séances in a real browser, on a 360-px phone: the demo trainer opens a cycle for COSIM
// Bretagne and schedules two séances; members sign up (the video link of the online one appears
// and disappears with the tap, no reload), one lands on the waiting list and is promoted when a
// seat frees up; the trainer takes the roll call — « excusé·e » only while the séance is days away,
// and no way to close it; presence from 30 minutes before; closing once started, after a
// confirmation page; reopening to correct — with the counters following every tap; the compte-rendu;
// a fiche d'expérience. Then the same sign-up and roll call with JavaScript off. Time passes by
// moving the séance in the database (the app has no clock of its own to turn).
import { desc, eq } from 'drizzle-orm';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gathering, gatherings, outbox } from '../../src/db/schema.ts';
import { today } from '../../src/lib/time.ts';
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

/** The smallest phone the journeys are looked at on. */
const SMALL_PHONE: BrowserContextOptions = { ...PHONE, viewport: { width: 360, height: 740 } };

function inDays(days: number): string {
  const date = new Date(`${today()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Time passes: the séance now starts `minutes` from now (negative: it started that long ago). */
function moveSeance(url: string, minutes: number) {
  const id = Number(/\/gatherings\/(\d+)/.exec(url)![1]);
  const g = h.ctx.db.select().from(gatherings).where(eq(gatherings.id, id)).get() as Gathering;
  const startsAt = new Date(Date.now() + minutes * 60_000);
  const endsAt = new Date(startsAt.getTime() + g.endsAt.getTime() - g.startsAt.getTime());
  h.ctx.db.update(gatherings).set({ startsAt, endsAt }).where(eq(gatherings.id, id)).run();
}

const CYCLE = 'Cycle d’automne — COSIM Bretagne';
const VIDEO = 'https://meet.jit.si/passerelle-test-budgets';

/** A member opens the new cycle, enrols, opens the séance and taps the sign-up button. */
async function enrolAndSignUp(page: Page, seance: string, button: RegExp) {
  await page.goto(`${h.baseUrl}/cycles`);
  await page.getByRole('link', { name: CYCLE }).click();
  if (await page.getByRole('button', { name: 'M’inscrire au cycle' }).count()) {
    await page.getByRole('button', { name: 'M’inscrire au cycle' }).click();
    await expect.poll(() => page.textContent('main')).toContain('Vous êtes inscrit·e au cycle');
  }
  await page.getByRole('link', { name: seance }).click();
  await page.getByRole('button', { name: button }).click();
}

/** The roll call's counters line. */
const counters = (page: Page) => page.locator('#rollcall-counts').textContent();

let seanceUrl = '';
let onlineUrl = '';

describe('cycles and séances', () => {
  it('open a cycle, schedule, sign up (video link without reload), wait, get promoted, roll call in time, compte-rendu, fiche', async () => {
    // The trainer opens the cycle and schedules two séances.
    const trainer = await signedIn(h, 'formation@cosim-bretagne.test', SMALL_PHONE);
    const t = trainer.page;
    const problems = watchConsole(t);
    await t.goto(`${h.baseUrl}/cycles`);
    await t.getByRole('link', { name: 'Ouvrir un cycle' }).click();
    await t.getByLabel('Nom du cycle').fill(CYCLE);
    await t.getByLabel('Début').fill(inDays(0));
    await t.getByLabel('Fin').fill(inDays(90));
    await t.getByRole('button', { name: 'Ouvrir le cycle' }).click();
    await expect.poll(() => t.textContent('main')).toContain(`Le cycle « ${CYCLE} » est ouvert.`);
    const cycleUrl = t.url();

    await t.getByRole('link', { name: 'Programmer une séance' }).click();
    await expectAccessible(t, 'gathering form');
    await t.getByLabel('Titre').fill('Atelier : trouver une salle');
    await t.getByLabel('Thème (facultatif)').fill('Les salles prêtées par la mairie');
    await t.getByLabel('Date').fill(inDays(5));
    await t.getByLabel('Début').fill('18:30');
    await t.getByLabel('Fin').fill('20:30');
    await t.getByLabel('Sur place', { exact: true }).check();
    await t.getByLabel('Lieu', { exact: true }).fill('Salle associative du Blosne');
    await t.getByLabel('Ville').fill('Rennes');
    await t.getByLabel('Le lieu est en quartier prioritaire (QPV)').check();
    await t.getByLabel('Nombre de places').fill('2');
    await t.getByRole('button', { name: 'Programmer la séance' }).click();
    await expect.poll(() => t.textContent('main')).toContain('est programmée');
    expect(await t.textContent('main')).toMatch(/de 18\sh\s30 à 20\sh\s30/);
    // The form's word is the page's word.
    expect(await t.locator('.facts dt', { hasText: 'Thème' }).count()).toBe(1);
    expect(await t.textContent('.facts')).toContain('Les salles prêtées par la mairie');
    seanceUrl = t.url();

    await t.goto(cycleUrl);
    await t.getByRole('link', { name: 'Programmer une séance' }).click();
    await t.getByLabel('Titre').fill('Échange en ligne : nos budgets');
    await t.getByLabel('Date').fill(inDays(6));
    await t.getByLabel('En ligne', { exact: true }).check();
    await t.getByLabel('Lien de la visio').fill(VIDEO);
    await t.getByLabel('Nombre de places').fill('20');
    await t.getByRole('button', { name: 'Programmer la séance' }).click();
    await expect.poll(() => t.textContent('main')).toContain('est programmée');
    onlineUrl = t.url();

    // The demo member signs up to the online séance: the video link shows at once, and goes on cancel.
    const member = await signedIn(h, 'membre@cosim-bretagne.test', SMALL_PHONE);
    const m = member.page;
    const memberProblems = watchConsole(m);
    await enrolAndSignUp(m, 'Échange en ligne : nos budgets', /Je m’inscris/);
    const videoLink = m.getByRole('link', { name: 'Rejoindre la visio' });
    await expect.poll(() => videoLink.count()).toBe(1);
    expect(await videoLink.getAttribute('href')).toBe(VIDEO);
    expect(await m.textContent('#inscription')).toContain('C’est noté : vous avez une place.');
    expect(await m.textContent('main')).not.toContain(
      'Le lien de la visio est donné aux personnes inscrites.',
    );
    // Focus stays on the sign-up block's button, now the one that cancels.
    expect(await m.evaluate(() => document.activeElement?.textContent)).toBe('Annuler mon inscription');
    await expectAccessible(m, 'online séance signed up');
    await screenshot(m, 'gathering-online-signed-up-360');
    await m.getByRole('button', { name: 'Annuler mon inscription' }).click();
    await expect.poll(() => videoLink.count()).toBe(0);
    expect(await m.textContent('main')).toContain('Le lien de la visio est donné aux personnes inscrites.');
    expect(await m.textContent('#inscription')).toContain('Votre inscription est annulée.');
    await screenshot(m, 'gathering-online-cancelled-360');
    await m.getByRole('button', { name: 'Je m’inscris' }).click();
    await expect.poll(() => videoLink.count()).toBe(1);

    // The workshop: the demo member and Awa take the two seats; Jean-Baptiste waits.
    await enrolAndSignUp(m, 'Atelier : trouver une salle', /Je m’inscris/);
    await expect.poll(() => m.textContent('#inscription')).toContain('Vous avez une place');
    await expectAccessible(m, 'gathering signed up');
    await screenshot(m, 'gathering-member-signed-up-360');

    const awa = await signedIn(h, 'awa.diop@cosim-bretagne.test', SMALL_PHONE);
    await enrolAndSignUp(awa.page, 'Atelier : trouver une salle', /Je m’inscris/);
    await expect.poll(() => awa.page.textContent('#inscription')).toContain('Vous avez une place');

    const jb = await signedIn(h, 'jean-baptiste.kouame@cosim-bretagne.test', SMALL_PHONE);
    await enrolAndSignUp(jb.page, 'Atelier : trouver une salle', /liste d’attente/);
    await expect.poll(() => jb.page.textContent('#inscription')).toContain('en position 1');

    // The demo member cancels: Jean-Baptiste gets the seat and an email; the seats line follows.
    await m.goto(seanceUrl);
    await m.getByRole('button', { name: 'Annuler mon inscription' }).click();
    await expect.poll(() => m.textContent('#inscription')).toContain('Complet');
    await jb.page.reload();
    expect(await jb.page.textContent('#inscription')).toContain('Vous avez une place');
    const mail = h.ctx.db.select().from(outbox).orderBy(desc(outbox.id)).limit(5).all();
    expect(
      mail.some(
        (x) => x.toAddress === 'jean-baptiste.kouame@cosim-bretagne.test' && x.subject.includes('place'),
      ),
    ).toBe(true);

    // Five days ahead: the roll call takes « excusé·e » only, and cannot be closed.
    await t.goto(seanceUrl);
    await t.getByRole('link', { name: 'Émargement' }).click();
    const row = (name: string) => t.locator('.rollcall__row', { hasText: name });
    expect(await t.textContent('main')).toContain(
      'L’émargement ouvre 30 minutes avant le début de la séance',
    );
    expect(await t.textContent('main')).toContain(
      'Vous pourrez clore la feuille une fois la séance commencée',
    );
    expect(await row('Awa Diop').getByRole('button').count()).toBe(1);
    expect(await t.getByRole('link', { name: 'Clore la feuille d’émargement' }).count()).toBe(0);
    expect(await counters(t)).toContain('0 excusé·e');
    await row('Jean-Baptiste Kouamé')
      .getByRole('button', { name: /^Excusé·e/ })
      .click();
    await expect
      .poll(() => row('Jean-Baptiste Kouamé').locator('.rollcall__status').textContent())
      .toBe('Excusé·e');
    // The counters moved with the tap, no reload.
    await expect.poll(() => counters(t)).toContain('1 excusé·e');
    expect(await counters(t)).toContain('1 à pointer');
    await expectAccessible(t, 'roll call of a séance to come');
    await screenshot(t, 'gathering-roll-call-future-360');
    // A post that goes around the page is refused too.
    const early = await t.request.post(`${seanceUrl}/attendance/close`, {
      headers: { Origin: h.baseUrl },
      form: { confirm: 'yes', _csrf: await t.locator('input[name="_csrf"]').first().inputValue() },
    });
    expect(early.status()).toBe(422);
    expect(await early.text()).toContain('La feuille ne peut être close qu’une fois la séance commencée');

    // Twenty minutes before the start: presence can be marked, the sheet still not closed.
    moveSeance(seanceUrl, 20);
    await t.reload();
    await row('Awa Diop')
      .getByRole('button', { name: /^Présent·e/ })
      .click();
    await expect.poll(() => row('Awa Diop').locator('.rollcall__status').textContent()).toBe('Présent·e');
    await expect.poll(() => counters(t)).toContain('1 présent·e');
    expect(await counters(t)).toContain('0 à pointer');
    expect(await t.evaluate(() => document.activeElement?.id)).toMatch(/^mark-u\d+-present$/);
    expect(await t.getByRole('link', { name: 'Clore la feuille d’émargement' }).count()).toBe(0);
    // Awa, marked present, can no longer cancel.
    await awa.page.goto(seanceUrl);
    expect(await awa.page.textContent('#inscription')).toContain(
      'Vous êtes pointé·e présent·e à cette séance.',
    );
    expect(await awa.page.getByRole('button', { name: 'Annuler mon inscription' }).count()).toBe(0);

    // Under way: walk-in, then closing after a confirmation page.
    moveSeance(seanceUrl, -10);
    await t.reload();
    await row('Jean-Baptiste Kouamé')
      .getByRole('button', { name: /^Présent·e/ })
      .click();
    await expect
      .poll(() => row('Jean-Baptiste Kouamé').locator('.rollcall__status').textContent())
      .toBe('Présent·e');
    await expect.poll(() => counters(t)).toContain('2 présent·es');
    await expect.poll(() => t.textContent('#rollcall-close')).toContain('Tout le monde est pointé.');
    await t.getByLabel('Apprenant·e du cycle').selectOption({ label: 'Mamadou Sow' });
    await t.getByRole('button', { name: 'Ajouter comme présent·e' }).click();
    await expect.poll(() => t.textContent('main')).toContain('venu·e sans inscription');
    const overflow = await t.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(t, 'roll call');
    await screenshot(t, 'gathering-roll-call-360');
    await t.getByRole('link', { name: 'Clore la feuille d’émargement' }).click();
    await expect.poll(() => t.textContent('h1')).toBe('Clore la feuille d’émargement ?');
    expect(await t.textContent('main')).toContain('Vous pourrez la rouvrir pendant 7 jours');
    await expectAccessible(t, 'closing confirmation');
    await screenshot(t, 'gathering-roll-call-confirm-360');
    await t.getByRole('button', { name: 'Oui, clore la feuille' }).click();
    await expect.poll(() => t.textContent('main')).toContain('Feuille close le');
    const pdf = await t.request.get(`${seanceUrl}/attendance.pdf`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // A mistake: the trainer reopens, corrects, closes again.
    await t.getByRole('button', { name: 'Rouvrir la feuille pour la corriger' }).click();
    await expect.poll(() => t.textContent('main')).toContain('La feuille est rouverte');
    await row('Jean-Baptiste Kouamé')
      .getByRole('button', { name: /^Excusé·e/ })
      .click();
    await expect.poll(() => counters(t)).toContain('1 excusé·e');
    await screenshot(t, 'gathering-roll-call-reopened-360');
    await t.getByRole('link', { name: 'Clore la feuille d’émargement' }).click();
    await t.getByRole('button', { name: 'Oui, clore la feuille' }).click();
    await expect.poll(() => t.textContent('main')).toContain('Feuille close le');

    await t.goto(seanceUrl);
    await t.getByRole('link', { name: 'Écrire le compte-rendu' }).click();
    await t
      .getByLabel('Compte-rendu')
      .fill('Trois associations présentes.\nPiste : la salle de la mairie de quartier.');
    await t.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => t.textContent('section[aria-labelledby="compte-rendu"]'))
      .toContain('Piste : la salle de la mairie de quartier.');

    // The demo member, present (walk-in), writes a fiche d'expérience.
    await m.goto(cycleUrl);
    await m.getByRole('link', { name: 'Écrire une fiche d’expérience' }).click();
    await m.getByLabel('Titre de l’action').fill('Repas partagé au Blosne');
    await m.getByLabel('Ce que vous avez fait').fill('Un repas de quartier.\nAvec <b>50</b> voisins.');
    await m.getByLabel('Ville', { exact: true }).fill('Rennes');
    await m.getByLabel('Conseils aux pairs').fill('Réservez la salle trois mois avant.');
    await m.getByRole('button', { name: 'Enregistrer la fiche' }).click();
    await expect.poll(() => m.textContent('main')).toContain('Votre fiche est enregistrée');
    expect(await m.textContent('main')).toContain('Avec <b>50</b> voisins.');
    await expectAccessible(m, 'fiche');
    await screenshot(m, 'gathering-fiche');

    expect(problems).toEqual([]);
    expect(memberProblems).toEqual([]);
    for (const c of [trainer, member, awa, jb]) await c.context.close();
  }, 240_000);

  it('works the same with JavaScript off: sign-up shows the link, cancel hides it, a tap moves the counters', async () => {
    const noScript = { ...SMALL_PHONE, javaScriptEnabled: false };
    const awa = await signedIn(h, 'awa.diop@cosim-bretagne.test', noScript);
    const a = awa.page;
    await a.goto(`${h.baseUrl}/cycles`);
    await a.getByRole('link', { name: CYCLE }).click();
    await a.getByRole('link', { name: 'Échange en ligne : nos budgets' }).click();
    expect(await a.getByRole('link', { name: 'Rejoindre la visio' }).count()).toBe(0);
    await a.getByRole('button', { name: 'Je m’inscris' }).click();
    await a.waitForURL(`${onlineUrl}#inscription`);
    expect(await a.textContent('main')).toContain('C’est noté : vous avez une place.');
    expect(await a.getByRole('link', { name: 'Rejoindre la visio' }).getAttribute('href')).toBe(VIDEO);
    await screenshot(a, 'gathering-online-signed-up-nojs-360');
    await a.getByRole('button', { name: 'Annuler mon inscription' }).click();
    await a.waitForURL(`${onlineUrl}#inscription`);
    expect(await a.textContent('main')).toContain('Votre inscription est annulée.');
    expect(await a.getByRole('link', { name: 'Rejoindre la visio' }).count()).toBe(0);

    // The roll call of the online séance, once it has started, without JavaScript.
    await a.getByRole('button', { name: 'Je m’inscris' }).click();
    await a.waitForURL(`${onlineUrl}#inscription`);
    moveSeance(onlineUrl, -5);
    const trainer = await signedIn(h, 'formation@cosim-bretagne.test', noScript);
    const t = trainer.page;
    await t.goto(`${onlineUrl}/attendance`);
    expect(await counters(t)).toContain('0 présent·e');
    await t
      .locator('.rollcall__row', { hasText: 'Awa Diop' })
      .getByRole('button', { name: /^Présent·e/ })
      .click();
    await t.waitForURL(/\/attendance#p-u\d+$/);
    expect(await counters(t)).toContain('1 présent·e');
    expect(await t.textContent('#rollcall-close')).toContain('Cette personne n’est pas pointée');
    // Awa, marked present, has no cancel button any more.
    await a.reload();
    expect(await a.getByRole('button', { name: 'Annuler mon inscription' }).count()).toBe(0);
    // Closing without JavaScript: the confirmation page, then the sheet is closed.
    await t.getByRole('link', { name: 'Clore la feuille d’émargement' }).click();
    await t.getByRole('button', { name: 'Oui, clore la feuille' }).click();
    await t.waitForURL(`${onlineUrl}/attendance`);
    expect(await t.textContent('main')).toContain('Feuille close le');
    await screenshot(t, 'gathering-roll-call-closed-nojs-360');
    for (const c of [awa, trainer]) await c.context.close();
  }, 120_000);
});

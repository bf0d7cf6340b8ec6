// Cycles and séances in a real browser: the demo trainer opens a cycle for COSIM Bretagne and
// schedules two séances; members sign up (one lands on the waiting list and is promoted when a
// seat frees up); the trainer takes the roll call on a 390-px phone and writes the compte-rendu;
// the demo member writes a fiche d'expérience.
import { desc } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.ts';
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

function inDays(days: number): string {
  const date = new Date(`${today()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const CYCLE = 'Cycle d’automne — COSIM Bretagne';

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

describe('cycles and séances', () => {
  it('open a cycle, schedule, sign up, wait, get promoted, roll call, compte-rendu, fiche', async () => {
    // The trainer opens the cycle and schedules two séances.
    const trainer = await signedIn(h, 'formation@cosim-bretagne.test', { ...PHONE, deviceScaleFactor: 1 });
    const t = trainer.page;
    const problems = watchConsole(t);
    await t.getByRole('link', { name: 'Séances' }).click();
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
    const seanceUrl = t.url();

    await t.goto(cycleUrl);
    await t.getByRole('link', { name: 'Programmer une séance' }).click();
    await t.getByLabel('Titre').fill('Échange en ligne : nos budgets');
    await t.getByLabel('Date').fill(inDays(6));
    await t.getByLabel('En ligne', { exact: true }).check();
    await t.getByLabel('Lien de la visio').fill('https://meet.jit.si/passerelle-test-budgets');
    await t.getByLabel('Nombre de places').fill('20');
    await t.getByRole('button', { name: 'Programmer la séance' }).click();
    await expect.poll(() => t.textContent('main')).toContain('est programmée');

    // The demo member signs up to both; Awa takes the last seat; Jean-Baptiste waits.
    const member = await signedIn(h, 'membre@cosim-bretagne.test', { ...PHONE, deviceScaleFactor: 1 });
    await enrolAndSignUp(member.page, 'Atelier : trouver une salle', /Je m’inscris/);
    await expect.poll(() => member.page.textContent('#inscription')).toContain('Vous avez une place');
    await expectAccessible(member.page, 'gathering signed up');
    await screenshot(member.page, 'gathering-member-signed-up');
    await enrolAndSignUp(member.page, 'Échange en ligne : nos budgets', /Je m’inscris/);
    await expect.poll(() => member.page.textContent('#inscription')).toContain('Vous avez une place');

    const awa = await signedIn(h, 'awa.diop@cosim-bretagne.test', { ...PHONE, deviceScaleFactor: 1 });
    await enrolAndSignUp(awa.page, 'Atelier : trouver une salle', /Je m’inscris/);
    await expect.poll(() => awa.page.textContent('#inscription')).toContain('Vous avez une place');

    const jb = await signedIn(h, 'jean-baptiste.kouame@cosim-bretagne.test', {
      ...PHONE,
      deviceScaleFactor: 1,
    });
    await enrolAndSignUp(jb.page, 'Atelier : trouver une salle', /liste d’attente/);
    await expect.poll(() => jb.page.textContent('#inscription')).toContain('en position 1');

    // The demo member cancels: Jean-Baptiste gets the seat and an email.
    await member.page.goto(seanceUrl);
    await member.page.getByRole('button', { name: 'Annuler mon inscription' }).click();
    // The freed seat went straight to Jean-Baptiste: the séance is full again.
    await expect.poll(() => member.page.textContent('#inscription')).toContain('Complet');
    await jb.page.reload();
    expect(await jb.page.textContent('#inscription')).toContain('Vous avez une place');
    const mail = h.ctx.db.select().from(outbox).orderBy(desc(outbox.id)).limit(5).all();
    expect(
      mail.some(
        (m) => m.toAddress === 'jean-baptiste.kouame@cosim-bretagne.test' && m.subject.includes('place'),
      ),
    ).toBe(true);

    // The trainer takes the roll call on a 390-px phone: two present, the member came anyway.
    await t.goto(seanceUrl);
    await t.getByRole('link', { name: 'Émargement' }).click();
    const row = (name: string) => t.locator('.rollcall__row', { hasText: name });
    await row('Awa Diop')
      .getByRole('button', { name: /^Présent·e/ })
      .click();
    await expect.poll(() => row('Awa Diop').locator('.rollcall__status').textContent()).toBe('Présent·e');
    await row('Jean-Baptiste Kouamé')
      .getByRole('button', { name: /^Excusé·e/ })
      .click();
    await expect
      .poll(() => row('Jean-Baptiste Kouamé').locator('.rollcall__status').textContent())
      .toBe('Excusé·e');
    await row('Jean-Baptiste Kouamé')
      .getByRole('button', { name: /^Présent·e/ })
      .click();
    await expect
      .poll(() => row('Jean-Baptiste Kouamé').locator('.rollcall__status').textContent())
      .toBe('Présent·e');
    await t.getByLabel('Apprenant·e du cycle').selectOption({ label: 'Mamadou Sow' });
    await t.getByRole('button', { name: 'Ajouter comme présent·e' }).click();
    await expect.poll(() => t.textContent('main')).toContain('venu·e sans inscription');
    const overflow = await t.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(t, 'roll call');
    await screenshot(t, 'gathering-roll-call-390');
    await t.getByRole('button', { name: 'Clore la feuille d’émargement' }).click();
    await expect.poll(() => t.textContent('main')).toContain('Feuille close le');
    const pdf = await t.request.get(`${seanceUrl}/attendance.pdf`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    await t.goto(seanceUrl);
    await t.getByRole('link', { name: 'Écrire le compte-rendu' }).click();
    await t
      .getByLabel('Compte-rendu')
      .fill('Trois associations présentes.\nPiste : la salle de la mairie de quartier.');
    await t.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => t.textContent('section[aria-labelledby="compte-rendu"]'))
      .toContain('Piste : la salle de la mairie de quartier.');

    // The demo member, present, writes a fiche d'expérience.
    await member.page.goto(cycleUrl);
    await member.page.getByRole('link', { name: 'Écrire une fiche d’expérience' }).click();
    await member.page.getByLabel('Titre de l’action').fill('Repas partagé au Blosne');
    await member.page
      .getByLabel('Ce que vous avez fait')
      .fill('Un repas de quartier.\nAvec <b>50</b> voisins.');
    await member.page.getByLabel('Ville').fill('Rennes');
    await member.page.getByLabel('Conseils aux pairs').fill('Réservez la salle trois mois avant.');
    await member.page.getByRole('button', { name: 'Enregistrer la fiche' }).click();
    await expect.poll(() => member.page.textContent('main')).toContain('Votre fiche est enregistrée');
    expect(await member.page.textContent('main')).toContain('Avec <b>50</b> voisins.');
    await expectAccessible(member.page, 'fiche');
    await screenshot(member.page, 'gathering-fiche');

    expect(problems).toEqual([]);
    for (const c of [trainer, member, awa, jb]) await c.context.close();
  });
});

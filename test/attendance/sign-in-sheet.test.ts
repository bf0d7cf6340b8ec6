// The feuille d'émargement to print and sign, through HTTP: who may download it, what it lists
// (confirmed sign-ups in name order with their OSIM, a signature column, blank rows for walk-ins,
// the séance's facts), that it is there before and after the séance, and where it is linked from.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_BLANK_ROWS } from '../../src/attendance/attendance-sheet.ts';
import { enrol } from '../../src/cycles/cycles.ts';
import { type Cycle, type Gathering, gatherings } from '../../src/db/schema.ts';
import { cancelGathering } from '../../src/gatherings/gatherings.ts';
import { cancelSignup, signUp } from '../../src/gatherings/signups.ts';
import { createWorld, DAY, type Person, type World } from '../gatherings/world.ts';
import { createOrganization, createUser, TestClient, text } from '../helpers.ts';
import { readPdf } from '../pdf.ts';

let world: World;
let trainer: Person;
let coordinator: Person;
let cycle: Cycle;

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  coordinator = await world.person('coordinator', world.bretagne.id);
  cycle = world.openCycle(trainer);
});
afterAll(() => world.close());

const url = (g: Gathering) => `/gatherings/${g.id}/sign-in-sheet.pdf`;

/** The lines between the table's header and the facilitator's box, spacing as single spaces. */
function tableRows(lines: string[]): string[] {
  const header = lines.findIndex((line) => /^N°\s+Nom et prénom/.test(line));
  const end = lines.findIndex((line) => line.startsWith('Nombre de personnes présentes'));
  return lines.slice(header + 1, end).map((line) => line.replace(/\s+/g, ' '));
}

/** A member of an OSIM of COSIM Bretagne, enrolled in the cycle and signed up to `seance`. */
async function signedUp(seance: Gathering, displayName: string, organizationId = world.osim.id) {
  const user = await createUser(world.ctx.db, { role: 'member', organizationId, displayName });
  enrol(world.ctx.db, cycle, user.id, user.id);
  signUp(world.ctx.db, seance, user.id);
  return user;
}

/** Three seats, five sign-ups: Zoé cancels, so Éloïse moves up from the waiting list; Yacine waits. */
async function fullSeance() {
  const seance = world.schedule(trainer, cycle, {
    title: 'Atelier : trouver une salle',
    startsAt: new Date('2031-03-13T17:30:00Z'),
    endsAt: new Date('2031-03-13T19:30:00Z'),
    capacity: 3,
  });
  const kayes = createOrganization(world.ctx.db, {
    kind: 'osim',
    name: 'Ressortissants de Kayes',
    parentId: world.bretagne.id,
  });
  const zoe = await signedUp(seance, 'Zoé Traoré');
  await signedUp(seance, 'amadou Sow', kayes.id);
  const aissatou = await signedUp(seance, 'Aïssatou Ndiaye');
  await signedUp(seance, 'Éloïse Bamba');
  await signedUp(seance, 'Yacine Benali');
  cancelSignup(world.ctx.db, world.ctx.mailer, world.ctx.config.baseUrl, seance, zoe.id);
  return { seance, seated: aissatou };
}

describe('the sign-in sheet to print', () => {
  it('lists the confirmed sign-ups in name order with their OSIM, a signature column and blank rows', async () => {
    const { seance } = await fullSeance();
    const res = await trainer.client.get(url(seance));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="emargement-a-signer-2031-03-13-atelier-trouver-une-salle.pdf"',
    );
    expect(res.headers['cache-control']).toBe('private, no-store');

    const { pages, text: flow } = await readPdf(res.rawPayload);
    expect(pages).toHaveLength(1);
    const page = pages[0]!.text.replace(/ +/g, ' ');
    for (const expected of [
      'FORIM — Forum des Organisations de Solidarité Internationale issues des Migrations',
      'Feuille d’émargement',
      'Atelier : trouver une salle',
      'Cycle 2026 — COSIM Bretagne',
      'Collectif COSIM Bretagne',
      'jeudi 13 mars 2031, de 18 h 30 à 20 h 30 (heure de Paris)',
      'Maison de quartier du Blosne, 7 boulevard de Yougoslavie, Rennes',
      `Formateur·rice ${trainer.displayName}`,
      '3 personnes inscrites.',
      'Page 1 / 1',
    ]) {
      expect(page).toContain(expected);
    }
    expect(page).toMatch(/N°\s+Nom et prénom\s+Association \(OSIM\)\s+Signature/);
    // Name order ignores accents and case; the waiting list and the cancelled sign-up are not there.
    expect(tableRows(pages[0]!.lines)).toEqual([
      '1 Aïssatou Ndiaye Horizons Solidaires',
      '2 amadou Sow Ressortissants de Kayes',
      '3 Éloïse Bamba Horizons Solidaires',
      // Blank rows, numbered on, for those who come without signing up.
      ...Array.from({ length: SIGN_IN_BLANK_ROWS }, (_, i) => String(4 + i)),
    ]);
    expect(SIGN_IN_BLANK_ROWS).toBe(5);
    expect(flow).not.toContain('Zoé Traoré');
    expect(flow).not.toContain('Yacine Benali');
    expect(flow).toContain(`Signature de ${trainer.displayName}`);
  });

  it('is there before the séance, and still once the roll call is closed', async () => {
    const seance = world.schedule(trainer, cycle, { startsAt: new Date(Date.now() + 2 * DAY) });
    await signedUp(seance, 'Hélène Ouédraogo');
    const before = await readPdf((await trainer.client.get(url(seance))).rawPayload);
    expect(before.text).toContain('Hélène Ouédraogo');

    world.ctx.db
      .update(gatherings)
      .set({ attendanceClosedAt: new Date(), attendanceClosedBy: trainer.id })
      .where(eq(gatherings.id, seance.id))
      .run();
    const after = await trainer.client.get(url(seance));
    expect(after.statusCode).toBe(200);
    expect((await readPdf(after.rawPayload)).text).toContain('Hélène Ouédraogo');
  });

  it('says "Aucune personne inscrite" and still has the blank rows when nobody signed up', async () => {
    const seance = world.schedule(trainer, cycle, {
      mode: 'online',
      videoUrl: 'https://visio.example.org/a',
    });
    const { pages } = await readPdf((await trainer.client.get(url(seance))).rawPayload);
    const page = pages[0]!.text.replace(/ +/g, ' ');
    expect(page).toContain('Aucune personne inscrite.');
    expect(page).toContain('Lieu En ligne : https://visio.example.org/a');
    expect(tableRows(pages[0]!.lines)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('is refused in French for a cancelled séance', async () => {
    const seance = world.schedule(trainer, cycle);
    cancelGathering(
      world.ctx.db,
      world.ctx.mailer,
      world.ctx.config.baseUrl,
      trainer.current(),
      cycle,
      seance,
      'Salle indisponible',
    );
    const res = await trainer.client.get(url(seance));
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Cette séance est annulée.');
  });
});

describe('who may download it', () => {
  it('is whoever may take the roll call; a member, another collective or a stranger gets 404', async () => {
    const { seance, seated } = await fullSeance();
    const admin = await world.person('admin', world.bretagne.id);
    expect((await coordinator.client.get(url(seance))).statusCode).toBe(200);
    expect((await admin.client.get(url(seance))).statusCode).toBe(200);

    // A learner who leads a peer-exchange séance prints its sheet.
    const peer = await world.person('member', world.osim.id);
    world.enrol(cycle, peer);
    const led = world.schedule(trainer, cycle, { facilitatorId: peer.id });
    expect((await peer.client.get(url(led))).statusCode).toBe(200);
    expect((await peer.client.get(url(seance))).statusCode).toBe(404);

    // A member signed up to the séance: 404, like the roll call.
    const member = new TestClient(world.ctx.app);
    await member.login(seated.email);
    expect((await member.get(url(seance))).statusCode).toBe(404);
    const otherCoordinator = await world.person('coordinator', world.occitanie.id);
    expect((await otherCoordinator.client.get(url(seance))).statusCode).toBe(404);
    const otherTrainer = await world.person('trainer', world.occitanie.id);
    expect((await otherTrainer.client.get(url(seance))).statusCode).toBe(404);
    expect((await trainer.client.get('/gatherings/999999/sign-in-sheet.pdf')).statusCode).toBe(404);

    const anonymous = await new TestClient(world.ctx.app).get(url(seance));
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login/);
  });

  it('is linked from the séance page and the roll call for them, not for a member', async () => {
    const { seance, seated } = await fullSeance();
    const link = `href="/gatherings/${seance.id}/sign-in-sheet.pdf"`;
    expect((await trainer.client.get(`/gatherings/${seance.id}`)).body).toContain(link);
    const rollCall = await trainer.client.get(`/gatherings/${seance.id}/attendance`);
    expect(rollCall.body).toContain(link);
    expect(text(rollCall.body)).toContain('Feuille à signer (PDF)');
    expect((await coordinator.client.get(`/gatherings/${seance.id}`)).body).toContain(link);

    const member = new TestClient(world.ctx.app);
    await member.login(seated.email);
    const page = await member.get(`/gatherings/${seance.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('sign-in-sheet');
  });
});

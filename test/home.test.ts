// Each role lands on a home that does real work: the trainer's séances and the roll call of the
// day, the coordinator's invitations and people who never came in, the member's séances with what
// the roll call says, the national team's network; always within the person's part of the network.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAttendance, markAttendance } from '../src/attendance/attendance.ts';
import { openDatabase } from '../src/db/client.ts';
import { cycles, invitations, users } from '../src/db/schema.ts';
import { DEMO_PASSWORD } from '../src/demo/seed-demo.ts';
import { signUp } from '../src/gatherings/signups.ts';
import { trainerHome } from '../src/home/home-data.ts';
import { kept } from '../src/home/kept.ts';
import { rollCallOpen, sheetToClose } from '../src/home/seances.ts';
import { wallTimeToInstant } from '../src/lib/time.ts';
import { createWorld, DAY, type Person, type World } from './gatherings/world.ts';
import {
  createOrganization,
  createTestApp,
  createUser,
  TestClient,
  type TestContext,
  text,
} from './helpers.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('home per role, on the demo data', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp({ demo: true });
  });
  afterAll(() => ctx.close());

  async function homeOf(email: string) {
    const client = new TestClient(ctx.app);
    await client.login(email, DEMO_PASSWORD);
    const res = await client.get('/');
    expect(res.statusCode).toBe(200);
    return text(res.body);
  }

  it('admin: every COSIM with its OSIM and people counts, the network totals, the dashboard', async () => {
    const page = await homeOf('admin@forim.test');
    expect(page).toContain('Le réseau FORIM');
    expect(page).toContain('Tableau de bord national');
    // COSIM Bretagne: 3 OSIMs; people = coordinator + trainer + 3 members (2 at Blosne, 1 at Villejean).
    expect(page).toContain('COSIM Bretagne COSIM · Bretagne 3 5');
    // COSIM OM: 3 OSIMs; people = 2 members and Youssef El Amrani, of the COSIM itself (demo-fiches.ts).
    expect(page).toContain('COSIM Occitanie Méditerranée COSIM · Occitanie 3 3');
    // French alphabetical order: Île-de-France between Hauts-de-France and Nouvelle-Aquitaine.
    expect(page.indexOf('COSIM Île-de-France')).toBeGreaterThan(page.indexOf('COSIM Hauts-de-France'));
    expect(page.indexOf('COSIM Île-de-France')).toBeLessThan(page.indexOf('COSIM Nouvelle-Aquitaine'));
    expect(page).toContain('Réseau : 11 OSIM, 13 personnes inscrites');
    expect(page).toContain('2 invitations attendent une réponse dans le réseau.');
    expect(page).toContain('Les séances des sept prochains jours dans le réseau');
    expect(page).toMatch(/Boîte d['’]envoi/);
  });

  it('coordinator: invitations, accounts never used, the next séances, their OSIMs only', async () => {
    const page = await homeOf('coordination@cosim-bretagne.test');
    expect(page).toContain('2 invitations attendent une réponse.');
    expect(page).toContain('Salimata Koné');
    // Every demo account has been used.
    expect(page).not.toContain('Comptes jamais ouverts');
    expect(page).toContain('Prochaines séances');
    expect(page).toContain('Atelier : construire le budget prévisionnel');
    expect(page).toContain('Votre collectif : COSIM Bretagne');
    expect(page).toContain('3 OSIM dans le collectif · 3 personnes inscrites');
    expect(page).toContain('Solidarité Blosne Rennes · QPV : Le Blosne 2');
    expect(page).not.toContain('Petit Bard');
    expect(page).not.toContain('AMF');
    expect(page).not.toContain('Visio de rentrée');
    expect(page).not.toMatch(/Boîte d['’]envoi/);
  });

  it('trainer: the roll call of the day, the sheet to close, the next séances, the cycle', async () => {
    const page = await homeOf('formation@cosim-bretagne.test');
    expect(page).not.toContain('Vous pourrez bientôt');
    expect(page).toContain('Aujourd’hui');
    expect(page).toContain('Faire l’émargement');
    expect(page).toContain('Émargement à clôturer');
    expect(page).toContain('Vos cycles');
    expect(page).toContain('Cycle 2026 — COSIM Bretagne COSIM Bretagne · 3 apprenant·es');
    expect(page).toContain('Vous formez pour : COSIM Bretagne');
  });

  it('member in Bretagne: the path, the next séances with the seat, past ones as the roll call says', async () => {
    const page = await homeOf('membre@cosim-bretagne.test');
    expect(page).toContain('Votre parcours de formation');
    expect(page).toContain('Continuer');
    expect(page).toContain('place confirmée');
    expect(page).toContain('Vos séances passées');
    expect(page).toMatch(
      /Lancement du cycle : la politique de la ville à Rennes [^·]+\(heure de Paris\) présent·e/,
    );
    expect(page).toContain('absent·e');
    expect(page).toContain('passée');
    expect(page).not.toContain('Vous avez une place');
    expect(page).toContain('Votre association : Solidarité Blosne');
    expect(page).toContain('Votre collectif : COSIM Bretagne');
    expect(page).not.toContain('Villejean');
  });

  it('member in Occitanie Méditerranée: their own OSIM and COSIM', async () => {
    const page = await homeOf('membre@cosim-om.test');
    expect(page).toContain('Votre association : AMF');
    expect(page).toContain('Votre collectif : COSIM Occitanie Méditerranée');
    expect(page).not.toContain('Bretagne');
  });

  it('a person with no role is told whom to contact', async () => {
    const lonely = await createUser(ctx.db, { email: 'seule@exemple.test' });
    const client = new TestClient(ctx.app);
    await client.login(lonely.email);
    expect(text((await client.get('/')).body)).toContain('rattaché à aucune organisation');
  });

  it('healthz answers ok after touching the database', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe('the homes of people who run séances, and of members', () => {
  let world: World;
  let trainer: Person;
  let coordinator: Person;
  let elsewhere: Person;
  beforeAll(async () => {
    world = await createWorld();
    trainer = await world.person('trainer', world.bretagne.id);
    coordinator = await world.person('coordinator', world.bretagne.id);
    elsewhere = await world.person('trainer', world.occitanie.id);
  });
  afterAll(() => world.close());

  const home = async (p: Person) => text((await p.client.get('/')).body);
  const learner = () => world.person('member', world.osim.id);

  it('a trainer with no cycle yet is told what to do first, and may open one', async () => {
    const page = await home(elsewhere);
    expect(page).toContain('Pour commencer, ouvrez un cycle pour votre collectif.');
    expect((await elsewhere.client.get('/')).body).toContain('href="/cycles/new"');
    expect(page).not.toContain('Vous pourrez bientôt');
  });

  it('a trainer sees their cycles and next séances, with seats and waiting list, not another collective’s', async () => {
    const cycle = world.openCycle(trainer, { name: 'Cycle du printemps' });
    const other = world.openCycle(elsewhere, {
      name: 'Cycle de Montpellier',
      collectiveId: world.occitanie.id,
    });
    world.schedule(elsewhere, other, { title: 'Séance de Montpellier' });
    const seance = world.schedule(trainer, cycle, {
      title: 'Atelier : le budget',
      capacity: 1,
      startsAt: new Date(Date.now() + 3 * DAY),
    });
    const first = await learner();
    const second = await learner();
    world.enrol(cycle, first, second);
    signUp(world.ctx.db, seance, first.id);
    signUp(world.ctx.db, seance, second.id);

    const page = await home(trainer);
    expect(page).toContain('Cycle du printemps COSIM Bretagne · 2 apprenant·es');
    expect(page).toMatch(/Prochaine séance : \w+ \d+/);
    expect(page).toContain('Atelier : le budget');
    expect(page).toContain('1 place prise sur 1 · 1 en liste d’attente');
    expect(page).toContain('Maison de quartier du Blosne, Rennes');
    expect(page).not.toContain('Montpellier');
    // The same rule as POST /cycles: a trainer may open another one.
    expect((await trainer.client.get('/')).body).toContain('href="/cycles/new"');
  });

  it('on the day, « Faire l’émargement » goes straight to the roll call; after the séance the sheet is flagged until closed', async () => {
    const cycle = world.openCycle(trainer, { name: 'Cycle de l’été' });
    const now = world.schedule(trainer, cycle, {
      title: 'Permanence budget',
      startsAt: new Date(Date.now() + 10 * MINUTE),
    });
    const over = world.schedule(trainer, cycle, {
      title: 'Atelier passé',
      startsAt: new Date(Date.now() - 5 * HOUR),
    });

    const html = (await trainer.client.get('/')).body;
    expect(html).toMatch(
      new RegExp(
        `href="/gatherings/${now.id}/attendance">Faire l’émargement<span class="visually-hidden"> — Permanence budget`,
      ),
    );
    expect(text(html)).toContain('Émargements à clôturer');
    expect(html).toContain(`href="/gatherings/${over.id}/attendance">Atelier passé</a>`);
    // The coordinator of the collective takes roll calls too.
    expect((await coordinator.client.get('/')).body).toContain(`href="/gatherings/${now.id}/attendance"`);
    // The button leads to the roll call.
    expect((await trainer.client.get(`/gatherings/${now.id}/attendance`)).statusCode).toBe(200);

    closeAttendance(world.ctx.db, world.gathering(over.id), trainer.id);
    expect((await trainer.client.get('/')).body).not.toContain(`href="/gatherings/${over.id}/attendance"`);
    // Nobody else's roll call.
    expect((await elsewhere.client.get('/')).body).not.toContain('Permanence budget');
  });

  it('the day of a séance, before the roll call opens, says when it does', async () => {
    const cycle = world.openCycle(trainer, {
      name: 'Cycle d’automne',
      startsOn: '2030-01-01',
      endsOn: '2030-12-31',
    });
    const startsAt = wallTimeToInstant('2030-03-14', '18:30', 'Europe/Paris')!;
    world.schedule(trainer, cycle, { title: 'Séance du 14 mars', startsAt });
    const at = (time: string) => wallTimeToInstant('2030-03-14', time, 'Europe/Paris')!;

    const morning = trainerHome(world.ctx.db, trainer.current(), at('09:00')).seances;
    expect(morning.today.map((g) => [g.title, g.rollCallOpen, g.laterToday])).toEqual([
      ['Séance du 14 mars', false, true],
    ]);
    const early = trainerHome(world.ctx.db, trainer.current(), at('18:05')).seances;
    expect(early.today.map((g) => [g.title, g.rollCallOpen])).toEqual([['Séance du 14 mars', true]]);
    const after = trainerHome(world.ctx.db, trainer.current(), at('21:00')).seances;
    expect(after.today).toEqual([]);
    expect(after.toClose.seances.map((g) => g.title)).toContain('Séance du 14 mars');
  });

  it('a member sees their seat or place on the waiting list, and past séances as the roll call says', async () => {
    const cycle = world.openCycle(trainer, { name: 'Cycle des membres' });
    const me = await learner();
    const other = await learner();
    world.enrol(cycle, me, other);
    const db = world.ctx.db;
    const past = (title: string, daysAgo: number) => {
      const g = world.schedule(trainer, cycle, { title, startsAt: new Date(Date.now() - daysAgo * DAY) });
      signUp(db, g, me.id, new Date(g.startsAt.getTime() - DAY));
      return g;
    };
    const came = past('Séance où je suis venu·e', 20);
    const missed = past('Séance manquée', 15);
    const excused = past('Séance excusée', 10);
    past('Séance d’hier', 1);
    const during = (g: { startsAt: Date }) => new Date(g.startsAt.getTime() + 10 * MINUTE);
    markAttendance(db, came, { userId: me.id }, 'present', trainer.id, during(came));
    markAttendance(db, excused, { userId: me.id }, 'excused', trainer.id, during(excused));
    closeAttendance(db, world.gathering(missed.id), trainer.id, during(missed));

    const full = world.schedule(trainer, cycle, { title: 'Atelier complet', capacity: 1 });
    signUp(db, full, other.id);
    signUp(db, full, me.id);
    const seat = world.schedule(trainer, cycle, { title: 'Atelier avec place' });
    signUp(db, seat, me.id);

    const page = await home(me);
    expect(page).toContain('Atelier avec place');
    expect(page).toMatch(
      /Atelier avec place [^·]+\(heure de Paris\) · Maison de quartier du Blosne, Rennes place confirmée/,
    );
    expect(page).toMatch(
      /Atelier complet [^·]+· Maison de quartier du Blosne, Rennes liste d’attente, position 1/,
    );
    // The three most recent past séances.
    expect(page).toMatch(/Séance d’hier [^·]+\(heure de Paris\) passée /);
    expect(page).toMatch(/Séance excusée [^·]+\(heure de Paris\) excusé·e /);
    expect(page).toMatch(/Séance manquée [^·]+\(heure de Paris\) absent·e /);
    expect(page).toContain('« passée » : l’émargement n’est pas encore clôturé.');
    expect(page).not.toContain('Séance où je suis venu·e');
    expect(page).not.toContain('Vous avez une place');
  });

  it('a member who leads a peer exchange gets the roll call button on the day', async () => {
    const cycle = world.openCycle(trainer, { name: 'Cycle entre pairs' });
    const peer = await learner();
    world.enrol(cycle, peer);
    const seance = world.schedule(trainer, cycle, {
      title: 'Échange entre pairs',
      facilitatorId: peer.id,
      startsAt: new Date(Date.now() + 5 * MINUTE),
    });
    expect((await peer.client.get('/')).body).toContain(`href="/gatherings/${seance.id}/attendance"`);
  });
});

describe('« Attestations » before the first one', () => {
  let world: World;
  let trainer: Person;
  beforeAll(async () => {
    world = await createWorld();
    trainer = await world.person('trainer', world.bretagne.id);
  });
  afterAll(() => world.close());

  it('says how a certificate is earned, what the cycle asks, where the person stands, and links to its rules', async () => {
    const cycle = world.openCycle(trainer, { name: 'Cycle de Rennes' });
    const me = await world.person('member', world.osim.id);
    world.enrol(cycle, me);
    const res = await me.client.get('/certificates');
    const page = text(res.body);
    expect(page).toContain('Une attestation vous est délivrée automatiquement');
    expect(page).toContain('Attestation du cycle « Cycle de Rennes »');
    expect(page).toContain(
      'Terminer les 3 modules « Politique de la ville et QPV », « Monter et cofinancer un projet », « Organiser un événement »',
    );
    expect(page).toContain('Suivre au moins 2 séances collectives (vous en avez suivi 0)');
    expect(page).toContain('Il vous reste');
    expect(res.body).toContain(`href="/cycles/${cycle.id}#attestations"`);
  });

  it('with no cycle followed, says how to join one and lists those of the person’s collective only', async () => {
    const open = world.openCycle(trainer, { name: 'Cycle ouvert à Rennes' });
    const archived = world.openCycle(trainer, { name: 'Cycle archivé' });
    world.ctx.db.update(cycles).set({ archivedAt: new Date() }).where(eq(cycles.id, archived.id)).run();
    const montpellier = await world.person('trainer', world.occitanie.id);
    world.openCycle(montpellier, { name: 'Cycle de Montpellier', collectiveId: world.occitanie.id });
    const newcomer = await world.person('member', world.osim.id);
    const res = await newcomer.client.get('/certificates');
    const page = text(res.body);
    expect(page).toContain('Vous ne suivez aucun cycle pour le moment.');
    expect(page).toContain('M’inscrire au cycle');
    expect(res.body).toContain(`href="/cycles/${open.id}"`);
    expect(page).toContain('Cycle ouvert à Rennes (inscription libre)');
    expect(page).not.toContain('Cycle archivé');
    expect(page).not.toContain('Cycle de Montpellier');
  });
});

describe('what a coordinator follows up', () => {
  let world: World;
  let coordinator: Person;
  let admin: Person;
  beforeAll(async () => {
    world = await createWorld();
    coordinator = await world.person('coordinator', world.bretagne.id);
    admin = await world.person('admin', world.bretagne.id);
  });
  afterAll(() => world.close());

  async function invite(by: Person, displayName: string, organizationId: number) {
    const email = `${displayName.toLowerCase().replace(/\W+/g, '.')}@exemple.fr`;
    const res = await by.client.post('/invitations', {
      displayName,
      email,
      organizationId: String(organizationId),
      role: 'member',
    });
    expect(res.statusCode).toBeLessThan(400);
    return world.ctx.db.select().from(invitations).where(eq(invitations.email, email)).get()!;
  }

  it('counts pending invitations, names the latest, counts the expired ones, never another collective’s', async () => {
    const occitanieOsim = createOrganization(world.ctx.db, {
      kind: 'osim',
      name: 'Association de Montpellier',
      parentId: world.occitanie.id,
    });
    await invite(coordinator, 'Aïssata Baldé', world.osim.id);
    await invite(coordinator, 'Boubacar Touré', world.osim.id);
    const expired = await invite(coordinator, 'Coumba Ndour', world.osim.id);
    const accepted = await invite(coordinator, 'Daouda Fall', world.osim.id);
    const revoked = await invite(coordinator, 'Elhadj Sy', world.osim.id);
    await invite(admin, 'Fatim Camara', occitanieOsim.id);
    const db = world.ctx.db;
    db.update(invitations)
      .set({ expiresAt: new Date(Date.now() - DAY) })
      .where(eq(invitations.id, expired.id))
      .run();
    db.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, accepted.id)).run();
    await coordinator.client.post(`/invitations/${revoked.id}/revoke`);

    const page = text((await coordinator.client.get('/')).body);
    expect(page).toContain('2 invitations attendent une réponse.');
    expect(page).toContain('Boubacar Touré');
    expect(page).toContain('Aïssata Baldé');
    expect(page).toContain('1 invitation a expiré sans réponse');
    expect(page).not.toContain('Coumba Ndour');
    expect(page).not.toContain('Daouda Fall');
    expect(page).not.toContain('Elhadj Sy');
    expect(page).not.toContain('Fatim Camara');

    // Invited again after it expired: no longer counted as unanswered.
    await invite(coordinator, 'Coumba Ndour', world.osim.id);
    expect(text((await coordinator.client.get('/')).body)).not.toContain('a expiré sans réponse');

    // The national team counts the whole network.
    expect(text((await admin.client.get('/')).body)).toContain(
      '4 invitations attendent une réponse dans le réseau.',
    );
  });

  it('lists the accounts of the collective never signed in to, not disabled ones nor another collective’s', async () => {
    const never = await createUser(world.ctx.db, {
      role: 'member',
      organizationId: world.osim.id,
      displayName: 'Germaine Koffi',
    });
    await createUser(world.ctx.db, {
      role: 'member',
      organizationId: world.osim.id,
      displayName: 'Hawa Compte Désactivé',
      disabledAt: new Date(),
    });
    await createUser(world.ctx.db, {
      role: 'member',
      organizationId: world.occitanie.id,
      displayName: 'Ibrahima Ailleurs',
    });
    const page = (await coordinator.client.get('/')).body;
    expect(page).toContain(`href="/people/${never.id}">Germaine Koffi</a>`);
    expect(text(page)).not.toContain('Hawa Compte Désactivé');
    expect(text(page)).not.toContain('Ibrahima Ailleurs');

    world.ctx.db.update(users).set({ lastSeenAt: new Date() }).where(eq(users.id, never.id)).run();
    expect(text((await coordinator.client.get('/')).body)).not.toContain('Germaine Koffi');
  });
});

describe('the roll call window on the home', () => {
  const g = {
    startsAt: Date.UTC(2030, 2, 14, 17, 30),
    endsAt: Date.UTC(2030, 2, 14, 19, 30),
    cancelledAt: null,
    attendanceClosedAt: null,
    attendanceReopenedAt: null,
  };
  const at = (h: number, m: number) => new Date(Date.UTC(2030, 2, 14, h, m));

  it('opens 30 minutes before the start and lasts until the end; then the sheet is to close', () => {
    expect(rollCallOpen(g, at(16, 59))).toBe(false);
    expect(rollCallOpen(g, at(17, 0))).toBe(true);
    expect(rollCallOpen(g, at(19, 29))).toBe(true);
    expect(rollCallOpen(g, at(19, 30))).toBe(false);
    expect(sheetToClose(g, at(19, 30))).toBe(true);
    expect(rollCallOpen({ ...g, cancelledAt: at(10, 0).getTime() }, at(18, 0))).toBe(false);
    expect(rollCallOpen({ ...g, attendanceClosedAt: at(18, 0).getTime() }, at(18, 30))).toBe(false);
    expect(sheetToClose({ ...g, attendanceClosedAt: at(19, 0).getTime() }, at(20, 0))).toBe(false);
  });
});

describe('what the homes keep between two pages', () => {
  it('reads again after any write, a commit by another process, or the time it may be kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-kept-'));
    const path = join(dir, 'kept.db');
    const db = openDatabase(path);
    try {
      db.$client.exec('CREATE TABLE t (n INTEGER)');
      let computed = 0;
      const read = (now: number) => kept(db, 'key', 30_000, () => ++computed, now);
      expect(read(1_000)).toBe(1);
      expect(read(2_000)).toBe(1);
      db.$client.exec('INSERT INTO t VALUES (1)');
      expect(read(3_000)).toBe(2);
      const other = new Database(path);
      other.exec('INSERT INTO t VALUES (2)');
      other.close();
      expect(read(4_000)).toBe(3);
      expect(read(33_999)).toBe(3);
      expect(read(34_000)).toBe(4);
    } finally {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The roll call's rules through HTTP (issue 13): presence is marked from 30 minutes before the
// start, « excusé·e » earlier; the sheet of a séance to come cannot be closed, closing asks for a
// confirmation, a closed sheet can be reopened for 7 days (audited) without taking back a
// certificate; a person marked present, or whose séance has started, cannot cancel; a presence
// counts for a certificate only once the séance has started. Séances are placed around the real
// time; the windows on a clock the test sets are in roll-call-clock.test.ts.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attendance,
  auditLog,
  type Cycle,
  certificates,
  cycles,
  type Gathering,
  gatherings,
  learnerStats,
} from '../../src/db/schema.ts';
import { signUp } from '../../src/gatherings/signups.ts';
import { createWorld, DAY, htmx, type Person, type World } from '../gatherings/world.ts';
import { createOrganization, text } from '../helpers.ts';

const MINUTE = 60_000;
let world: World;
let trainer: Person;
let admin: Person;
let cycle: Cycle;

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  admin = await world.person('admin', createOrganization(world.ctx.db, { kind: 'forim', name: 'FORIM' }).id);
  cycle = world.openCycle(trainer);
  // One séance attended is the whole of this cycle's certificate rules.
  const certificateRules = { courseIds: [], passMark: null, minGatherings: 1, gatheringIds: [] };
  world.ctx.db.update(cycles).set({ certificateRules }).where(eq(cycles.id, cycle.id)).run();
  cycle = { ...cycle, certificateRules };
});
afterAll(() => world.close());

async function learner() {
  const p = await world.person('member', world.osim.id);
  world.enrol(cycle, p);
  return p;
}

function markOf(gatheringId: number, userId: number) {
  return world.ctx.db
    .select()
    .from(attendance)
    .where(and(eq(attendance.gatheringId, gatheringId), eq(attendance.userId, userId)))
    .get();
}

/** A séance starting `minutes` from now (negative: already started), with people signed up. */
async function seanceIn(minutes: number, count = 1, overrides: Parameters<World['schedule']>[2] = {}) {
  const startsAt = new Date(Date.now() + minutes * MINUTE);
  const seance = world.schedule(trainer, cycle, { startsAt, ...overrides });
  const people: Person[] = [];
  for (let i = 0; i < count; i++) {
    const p = await learner();
    signUp(world.ctx.db, seance, p.id, new Date(startsAt.getTime() - DAY));
    people.push(p);
  }
  return { seance, people };
}

const sheet = (g: Gathering) => `/gatherings/${g.id}/attendance`;

describe('the roll call of a séance to come', () => {
  it('refuses presence eleven days ahead, takes « excusé·e », and says when it opens', async () => {
    const { seance, people } = await seanceIn(11 * 24 * 60, 2);
    const [awa, binta] = people as [Person, Person];
    const page = await trainer.client.get(sheet(seance));
    expect(page.statusCode).toBe(200);
    const words = text(page.body);
    expect(words).toContain('L’émargement ouvre 30 minutes avant le début de la séance');
    expect(words).toContain('Vous pourrez clore la feuille une fois la séance commencée');
    expect(page.body).not.toMatch(/name="status" value="present"/);
    expect(page.body).toMatch(/name="status" value="excused"/);
    expect(page.body).not.toContain(`action="${sheet(seance)}/close"`);

    const present = await trainer.client.post(`${sheet(seance)}/u${awa.id}`, { status: 'present' });
    expect(present.statusCode).toBe(422);
    expect(text(present.body)).toContain('L’émargement ouvre 30 minutes avant le début de la séance');
    expect(markOf(seance.id, awa.id)).toBeUndefined();

    const excused = await trainer.client.post(`${sheet(seance)}/u${binta.id}`, { status: 'excused' });
    expect(excused.statusCode).toBe(303);
    expect(markOf(seance.id, binta.id)?.status).toBe('excused');
  });

  it('shows an htmx tap’s refusal in the person’s row (422), not over the page', async () => {
    const { seance, people } = await seanceIn(3 * 24 * 60);
    const [awa] = people as [Person];
    const res = await trainer.client.post(
      `${sheet(seance)}/u${awa.id}`,
      { status: 'present' },
      { headers: htmx(`#p-u${awa.id}`) },
    );
    expect(res.statusCode).toBe(422);
    expect(res.headers['hx-retarget']).toBeUndefined();
    expect(res.body.trimStart()).toMatch(new RegExp(`^<li class="rollcall__row" id="p-u${awa.id}"`));
    expect(res.body).toContain('role="alert"');
    expect(text(res.body)).toContain('L’émargement ouvre 30 minutes avant le début de la séance');
    expect(markOf(seance.id, awa.id)).toBeUndefined();
  });

  it('cannot be closed: the post is refused with a French message', async () => {
    const { seance } = await seanceIn(11 * 24 * 60);
    for (const body of [{}, { confirm: 'yes' }] as Record<string, string>[]) {
      const res = await trainer.client.post(`${sheet(seance)}/close`, body);
      expect(res.statusCode).toBe(422);
      expect(text(res.body)).toContain('La feuille ne peut être close qu’une fois la séance commencée, le');
    }
    expect((await trainer.client.get(`${sheet(seance)}/close`)).statusCode).toBe(422);
    expect(world.gathering(seance.id).attendanceClosedAt).toBeNull();
  });
});

describe('closing a sheet', () => {
  it('asks for confirmation on a page of its own; the post alone does not close', async () => {
    const { seance, people } = await seanceIn(-90, 3);
    const [present, excused, unmarked] = people as [Person, Person, Person];
    await trainer.client.post(`${sheet(seance)}/u${present.id}`, { status: 'present' });
    await trainer.client.post(`${sheet(seance)}/u${excused.id}`, { status: 'excused' });

    const page = await trainer.client.get(sheet(seance));
    expect(page.body).toContain(`href="${sheet(seance)}/close"`);

    const unconfirmed = await trainer.client.post(`${sheet(seance)}/close`);
    expect(unconfirmed.statusCode).toBe(303);
    expect(unconfirmed.headers.location).toBe(`${sheet(seance)}/close`);
    expect(world.gathering(seance.id).attendanceClosedAt).toBeNull();

    const confirm = await trainer.client.get(`${sheet(seance)}/close`);
    expect(confirm.statusCode).toBe(200);
    const words = text(confirm.body);
    expect(words).toContain('Clore la feuille d’émargement ?');
    expect(words).toContain('1 présent·e 0 absent·e 1 excusé·e 1 à pointer');
    expect(words).toContain(`${unmarked.displayName}`);
    expect(words).toContain('Vous pourrez la rouvrir pendant 7 jours pour corriger une erreur.');

    const closed = await trainer.client.post(`${sheet(seance)}/close`, { confirm: 'yes' });
    expect(closed.statusCode).toBe(303);
    expect(closed.headers.location).toBe(sheet(seance));
    expect(world.gathering(seance.id).attendanceClosedAt).not.toBeNull();
    expect(markOf(seance.id, unmarked.id)?.status).toBe('absent');
  });
});

describe('reopening a closed sheet', () => {
  it('is for the séance’s managers, within 7 days, audited, and corrections are audited too', async () => {
    const { seance, people } = await seanceIn(-120, 1);
    const [awa] = people as [Person];
    const member = awa;
    await trainer.client.post(`${sheet(seance)}/u${awa.id}`, { status: 'absent' });
    await trainer.client.post(`${sheet(seance)}/close`, { confirm: 'yes' });
    const closedPage = text((await trainer.client.get(sheet(seance))).body);
    expect(closedPage).toContain('Rouvrir la feuille');
    expect(closedPage).toMatch(/Possible jusqu’au .+ \(7 jours après la clôture\)/);

    expect((await member.client.post(`${sheet(seance)}/reopen`)).statusCode).toBe(404);
    expect(world.gathering(seance.id).attendanceClosedAt).not.toBeNull();

    const reopened = await trainer.client.post(`${sheet(seance)}/reopen`);
    expect(reopened.statusCode).toBe(303);
    expect(world.gathering(seance.id).attendanceClosedAt).toBeNull();
    const after = text((await trainer.client.get(sheet(seance))).body);
    expect(after).toContain('La feuille est rouverte : corrigez-la, puis clôturez-la à nouveau.');

    const fixed = await trainer.client.post(`${sheet(seance)}/u${awa.id}`, { status: 'present' });
    expect(fixed.statusCode).toBe(303);
    const audit = world.ctx.db
      .select()
      .from(auditLog)
      .all()
      .filter(
        (a) =>
          a.action.startsWith('attendance.') &&
          (a.details as { gatheringId?: number } | null)?.gatheringId === seance.id,
      );
    expect(audit.map((a) => a.action)).toEqual([
      'attendance.close',
      'attendance.reopen',
      'attendance.correct',
    ]);
    expect(audit[2]).toMatchObject({
      actorUserId: trainer.id,
      subjectUserId: awa.id,
      details: { gatheringId: seance.id, from: 'absent', to: 'present' },
    });
    const journal = text((await admin.client.get('/admin/audit')).body);
    expect(journal).toContain('a rouvert une feuille d’émargement');
    expect(journal).toContain('a corrigé une feuille d’émargement');
  });

  it('is refused 7 days after closing', async () => {
    const { seance } = await seanceIn(-20 * 24 * 60, 1);
    world.ctx.db
      .update(gatherings)
      .set({ attendanceClosedAt: new Date(Date.now() - 7 * DAY - MINUTE), attendanceClosedBy: trainer.id })
      .where(eq(gatherings.id, seance.id))
      .run();
    expect(text((await trainer.client.get(sheet(seance))).body)).not.toContain('Rouvrir la feuille');
    const res = await trainer.client.post(`${sheet(seance)}/reopen`);
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain(
      'La feuille ne peut plus être rouverte : elle est close depuis plus de 7 jours.',
    );
    expect(world.gathering(seance.id).attendanceClosedAt).not.toBeNull();
  });

  it('never takes back a certificate issued with the séance: the row says so', async () => {
    const { seance, people } = await seanceIn(-60, 1, { title: 'Séance de l’attestation' });
    const [awa] = people as [Person];
    await trainer.client.post(`${sheet(seance)}/u${awa.id}`, { status: 'present' });
    const issued = world.ctx.db.select().from(certificates).where(eq(certificates.userId, awa.id)).all();
    expect(issued).toHaveLength(1);
    expect(issued[0]!.snapshot.gatherings.map((g) => g.title)).toEqual(['Séance de l’attestation']);
    await trainer.client.post(`${sheet(seance)}/close`, { confirm: 'yes' });
    await trainer.client.post(`${sheet(seance)}/reopen`);

    const page = text((await trainer.client.get(sheet(seance))).body);
    expect(page).toContain(
      'Attestation délivrée en comptant cette séance : la corriger ici ne la retire pas.',
    );
    const res = await trainer.client.post(
      `${sheet(seance)}/u${awa.id}`,
      { status: 'absent' },
      { headers: htmx(`#p-u${awa.id}`) },
    );
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('Attestation délivrée en comptant cette séance');
    const still = world.ctx.db.select().from(certificates).where(eq(certificates.userId, awa.id)).get()!;
    expect(still.revokedAt).toBeNull();
    const correction = world.ctx.db
      .select()
      .from(auditLog)
      .all()
      .find((a) => a.action === 'attendance.correct' && a.subjectUserId === awa.id);
    expect(correction?.details).toMatchObject({ from: 'present', to: 'absent', certificate: still.code });
  });
});

describe('cancelling a sign-up', () => {
  it('is refused to a person marked present: no button, and the server says why', async () => {
    const { seance, people } = await seanceIn(20, 1);
    const [awa] = people as [Person];
    await trainer.client.post(`${sheet(seance)}/u${awa.id}`, { status: 'present' });
    const page = text((await awa.client.get(`/gatherings/${seance.id}`)).body);
    expect(page).not.toContain('Annuler mon inscription');
    expect(page).toContain('Vous êtes pointé·e présent·e à cette séance.');
    const res = await awa.client.post(`/gatherings/${seance.id}/signup/cancel`);
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain(
      'Vous êtes pointé·e présent·e : votre inscription ne peut plus être annulée.',
    );
    const tap = await awa.client.post(
      `/gatherings/${seance.id}/signup/cancel`,
      {},
      { headers: htmx('#seance') },
    );
    expect(tap.statusCode).toBe(422);
    expect(tap.body.trimStart()).toMatch(/^<div id="seance"/);
    expect(text(tap.body)).toContain('votre inscription ne peut plus être annulée');
    expect(world.gathering(seance.id)).toBeDefined();
  });

  it('is refused once the séance has started, even by a direct post', async () => {
    const { seance, people } = await seanceIn(-5, 1);
    const [binta] = people as [Person];
    expect(text((await binta.client.get(`/gatherings/${seance.id}`)).body)).not.toContain(
      'Annuler mon inscription',
    );
    const res = await binta.client.post(`/gatherings/${seance.id}/signup/cancel`);
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('La séance a commencé : votre inscription ne peut plus être annulée.');
  });
});

describe('certificates count only séances held', () => {
  it('a presence marked before the start gives no certificate and counts nowhere yet', async () => {
    const { seance, people } = await seanceIn(20, 1, { title: 'Séance qui commence bientôt' });
    const [awa] = people as [Person];
    const tap = await trainer.client.post(`${sheet(seance)}/u${awa.id}`, { status: 'present' });
    expect(tap.statusCode).toBe(303);
    expect(markOf(seance.id, awa.id)?.status).toBe('present');
    expect(world.ctx.db.select().from(certificates).where(eq(certificates.userId, awa.id)).all()).toEqual([]);
    const stats = world.ctx.db.select().from(learnerStats).where(eq(learnerStats.userId, awa.id)).get();
    expect(stats?.gatheringsAttended ?? 0).toBe(0);
    const page = text((await awa.client.get(`/cycles/${cycle.id}`)).body);
    expect(page).not.toContain('votre attestation est prête');
    expect(page).toContain('Il vous reste : 1 séance');
  });
});

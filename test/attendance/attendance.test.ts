// The roll call through HTTP: who may take it, one tap per person with htmx (the row comes back,
// and out of band the counters and the closing block) or a plain form, people who came without
// signing up, closing the sheet and its exports, and the compte-rendu shown as plain text. When
// each step is allowed: roll-call-rules.test.ts.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendance, type Cycle, type Gathering } from '../../src/db/schema.ts';
import { signUp } from '../../src/gatherings/signups.ts';
import { createWorld, htmx, type Person, type World } from '../gatherings/world.ts';
import { text } from '../helpers.ts';

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

async function learner() {
  const p = await world.person('member', world.osim.id);
  world.enrol(cycle, p);
  return p;
}

/** A séance starting in a minute (the roll call is open) with `count` people signed up. */
async function seanceWith(count: number, overrides: Parameters<World['schedule']>[2] = {}) {
  const seance = world.schedule(trainer, cycle, {
    title: 'Atelier budget',
    startsAt: new Date(Date.now() + 60_000),
    ...overrides,
  });
  const people: Person[] = [];
  for (let i = 0; i < count; i++) {
    const p = await learner();
    signUp(world.ctx.db, seance, p.id);
    people.push(p);
  }
  return { seance, people };
}

function marks(gatheringId: number) {
  return world.ctx.db.select().from(attendance).where(eq(attendance.gatheringId, gatheringId)).all();
}

function markOf(gatheringId: number, userId: number) {
  return world.ctx.db
    .select()
    .from(attendance)
    .where(and(eq(attendance.gatheringId, gatheringId), eq(attendance.userId, userId)))
    .get();
}

const sheet = (g: Gathering) => `/gatherings/${g.id}/attendance`;

describe('who takes the roll call', () => {
  it('is the cycle’s trainers and coordinators, and the séance’s facilitator; a member gets 404', async () => {
    const { seance, people } = await seanceWith(1);
    const [member] = people;
    expect((await member!.client.get(sheet(seance))).statusCode).toBe(404);
    expect(
      (await member!.client.post(`${sheet(seance)}/u${member!.id}`, { status: 'present' })).statusCode,
    ).toBe(404);
    expect(markOf(seance.id, member!.id)).toBeUndefined();
    expect((await member!.client.post(`${sheet(seance)}/close`, { confirm: 'yes' })).statusCode).toBe(404);
    expect((await member!.client.get(`${sheet(seance)}/close`)).statusCode).toBe(404);
    expect((await member!.client.post(`${sheet(seance)}/reopen`)).statusCode).toBe(404);
    expect(text((await member!.client.get(`/gatherings/${seance.id}`)).body)).not.toContain('Émargement');

    const page = await trainer.client.get(sheet(seance));
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Émargement');
    expect(text(page.body)).toContain('1 à pointer');
    expect(page.body).toContain(`id="p-u${member!.id}"`);
    expect((await coordinator.client.get(sheet(seance))).statusCode).toBe(200);

    // A learner who leads a peer-exchange séance takes its roll call.
    const peer = await learner();
    const led = world.schedule(trainer, cycle, { title: 'Échange entre pairs', facilitatorId: peer.id });
    expect((await peer.client.get(sheet(led))).statusCode).toBe(200);
    expect((await peer.client.get(sheet(seance))).statusCode).toBe(404);
  });
});

describe('marking', () => {
  it('with htmx: the person’s row comes back with the pressed button', async () => {
    const { seance, people } = await seanceWith(2);
    const [awa, binta] = people as [Person, Person];
    const res = await trainer.client.post(
      `${sheet(seance)}/u${awa.id}`,
      { status: 'present' },
      { headers: htmx(`#p-u${awa.id}`) },
    );
    expect(res.statusCode).toBe(200);
    expect(res.body.trimStart()).toMatch(
      new RegExp(`^<li class="rollcall__row rollcall__row--present" id="p-u${awa.id}"`),
    );
    expect(res.body).not.toContain('<html');
    expect(res.body).toMatch(/value="present"[^>]*aria-pressed="true"/);
    expect(res.body).toMatch(/value="absent"[^>]*aria-pressed="false"/);
    expect(res.body).toMatch(/value="excused"[^>]*aria-pressed="false"/);
    expect(text(res.body)).toContain(`${awa.displayName} Horizons Solidaires Présent·e`);
    expect(markOf(seance.id, awa.id)?.status).toBe('present');
    // The same answer moves the counters and the closing block (out of band): nothing stays stale.
    const counters = /<p class="summary-counts" id="rollcall-counts" hx-swap-oob="true">([\s\S]*?)<\/p>/.exec(
      res.body,
    );
    expect(text(counters?.[1] ?? '')).toBe('1 présent·e 0 absent·e 0 excusé·e 1 à pointer');
    expect(res.body).toMatch(/<div id="rollcall-close" class="section" hx-swap-oob="true">/);

    // The last tap wins.
    const excused = await trainer.client.post(
      `${sheet(seance)}/u${awa.id}`,
      { status: 'excused' },
      { headers: htmx(`#p-u${awa.id}`) },
    );
    expect(excused.body).toMatch(/value="excused"[^>]*aria-pressed="true"/);
    expect(text(excused.body)).toContain('0 présent·e 0 absent·e 1 excusé·e 1 à pointer');
    expect(markOf(seance.id, awa.id)?.status).toBe('excused');
    expect(marks(seance.id)).toHaveLength(1);

    const plain = await trainer.client.post(`${sheet(seance)}/u${binta.id}`, { status: 'absent' });
    expect(plain.statusCode).toBe(303);
    expect(plain.headers.location).toBe(`${sheet(seance)}#p-u${binta.id}`);
    expect(markOf(seance.id, binta.id)?.status).toBe('absent');
    const page = text((await trainer.client.get(sheet(seance))).body);
    expect(page).toContain('0 présent·e 1 absent·e 1 excusé·e 0 à pointer');
  });

  it('refuses someone not on the list, and a status that does not exist', async () => {
    const { seance } = await seanceWith(1);
    const stranger = await learner();
    const res = await trainer.client.post(`${sheet(seance)}/u${stranger.id}`, { status: 'present' });
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Cette personne n’est pas sur la liste de la séance.');
    expect(markOf(seance.id, stranger.id)).toBeUndefined();
    const guest = await trainer.client.post(`${sheet(seance)}/g999999`, { status: 'present' });
    expect(guest.statusCode).toBe(422);
    const bad = await trainer.client.post(`${sheet(seance)}/u${stranger.id}`, { status: 'late' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('walk-ins', () => {
  it('adds a learner of the cycle who came without signing up', async () => {
    const { seance } = await seanceWith(1);
    const came = await learner();
    const page = await trainer.client.get(sheet(seance));
    expect(page.body).toContain(`<option value="${came.id}">${came.displayName}</option>`);

    const res = await trainer.client.post(`${sheet(seance)}/walk-in`, {
      userId: String(came.id),
      guestName: '',
    });
    expect(res.statusCode).toBe(303);
    expect(markOf(seance.id, came.id)).toMatchObject({ status: 'present', walkIn: true });
    const after = await trainer.client.get(sheet(seance));
    expect(text(after.body)).toContain('La personne est ajoutée comme présente.');
    expect(text(after.body)).toContain(
      `${came.displayName} Horizons Solidaires venu·e sans inscription Présent·e`,
    );
    expect(after.body).not.toContain(`<option value="${came.id}">`);
  });

  it('adds a guest by name, whose row can then be marked', async () => {
    const { seance } = await seanceWith(0);
    const res = await trainer.client.post(`${sheet(seance)}/walk-in`, {
      userId: '',
      guestName: 'Aminata Sow',
      guestOrganization: 'Femmes Relais 35',
    });
    expect(res.statusCode).toBe(303);
    const guest = marks(seance.id).find((m) => m.guestName === 'Aminata Sow')!;
    expect(guest).toMatchObject({
      userId: null,
      guestOrganization: 'Femmes Relais 35',
      status: 'present',
      walkIn: true,
    });
    expect(text((await trainer.client.get(sheet(seance))).body)).toContain(
      'Aminata Sow Femmes Relais 35 venu·e sans inscription Présent·e',
    );

    const marked = await trainer.client.post(
      `${sheet(seance)}/g${guest.id}`,
      { status: 'absent' },
      { headers: htmx(`#p-g${guest.id}`) },
    );
    expect(marked.statusCode).toBe(200);
    expect(marked.body).toContain(`id="p-g${guest.id}"`);
    expect(marked.body).toMatch(/value="absent"[^>]*aria-pressed="true"/);
  });

  it('asks who came when neither a learner nor a name is given, and refuses someone outside the cycle', async () => {
    const { seance } = await seanceWith(1);
    await learner();
    const res = await trainer.client.post(`${sheet(seance)}/walk-in`, {
      userId: '',
      guestName: ' ',
      guestOrganization: 'Une association',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(
      /id="f-userId-error"><span class="visually-hidden">Erreur\u00a0: <\/span>Choisissez la personne dans la liste ou écrivez son nom\.<\/p>/,
    );
    expect(res.body).toContain('value="Une association"');

    const outsider = await world.person('member', world.occitanie.id);
    const foreign = await trainer.client.post(`${sheet(seance)}/walk-in`, { userId: String(outsider.id) });
    expect(foreign.statusCode).toBe(422);
    expect(text(foreign.body)).toContain('Ce choix n’existe pas dans la liste.');
    expect(markOf(seance.id, outsider.id)).toBeUndefined();
  });
});

describe('closing the sheet', () => {
  it('exports only a closed sheet; closing marks the others absent and freezes it', async () => {
    const { seance, people } = await seanceWith(3, { title: 'Atelier clos' });
    const [present, unmarked, excused] = people as [Person, Person, Person];
    await trainer.client.post(`${sheet(seance)}/u${present.id}`, { status: 'present' });
    await trainer.client.post(`${sheet(seance)}/u${excused.id}`, { status: 'excused' });
    await trainer.client.post(`${sheet(seance)}/walk-in`, { guestName: 'Moussa Keita' });

    for (const format of ['pdf', 'csv']) {
      const early = await trainer.client.get(`${sheet(seance)}.${format}`);
      expect(early.statusCode).toBe(422);
      expect(text(early.body)).toContain('Clôturez d’abord la feuille d’émargement.');
    }

    world.start(seance);
    const close = await trainer.client.post(`${sheet(seance)}/close`, { confirm: 'yes' });
    expect(close.statusCode).toBe(303);
    expect(world.gathering(seance.id).attendanceClosedAt).not.toBeNull();
    expect(markOf(seance.id, unmarked.id)?.status).toBe('absent');
    expect(markOf(seance.id, present.id)?.status).toBe('present');
    expect(markOf(seance.id, excused.id)?.status).toBe('excused');

    const page = await trainer.client.get(sheet(seance));
    expect(text(page.body)).toContain('La feuille d’émargement est close.');
    expect(text(page.body)).toContain('Feuille close le');
    expect(text(page.body)).toContain('2 présent·es 1 absent·e 1 excusé·e');
    expect(page.body).not.toContain('aria-pressed');
    expect(page.body).not.toContain('/attendance/walk-in');

    const late = await trainer.client.post(`${sheet(seance)}/u${unmarked.id}`, { status: 'present' });
    expect(late.statusCode).toBe(422);
    expect(text(late.body)).toContain('La feuille d’émargement est close.');
    expect(markOf(seance.id, unmarked.id)?.status).toBe('absent');
    expect(
      (await trainer.client.post(`${sheet(seance)}/walk-in`, { guestName: 'Retardataire' })).statusCode,
    ).toBe(422);
    expect((await trainer.client.post(`${sheet(seance)}/close`, { confirm: 'yes' })).statusCode).toBe(422);

    const pdf = await trainer.client.get(`${sheet(seance)}.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(
      /^attachment; filename="emargement-\d{4}-\d{2}-\d{2}-atelier-clos\.pdf"$/,
    );
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const csv = await trainer.client.get(`${sheet(seance)}.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain(';');
    expect(lines.find((l) => l.includes(unmarked.displayName))).toContain(';Absent·e;');
    expect(lines.find((l) => l.includes('Moussa Keita'))).toMatch(/;Présent·e;oui$/);

    const member = present;
    expect((await member.client.get(`${sheet(seance)}.csv`)).statusCode).toBe(404);
  });
});

describe('the compte-rendu', () => {
  it('is written by the trainer and shown on the séance page as plain text', async () => {
    const { seance, people } = await seanceWith(1);
    const [member] = people as [Person];
    expect((await member.client.get(`/gatherings/${seance.id}/summary`)).statusCode).toBe(404);
    expect(
      (await member.client.post(`/gatherings/${seance.id}/summary`, { report: 'Piraté' })).statusCode,
    ).toBe(404);

    const form = await trainer.client.get(`/gatherings/${seance.id}/summary`);
    expect(form.statusCode).toBe(200);
    const empty = await trainer.client.post(`/gatherings/${seance.id}/summary`, { report: '  \r\n ' });
    expect(empty.statusCode).toBe(422);
    expect(text(empty.body)).toContain('Écrivez le compte-rendu.');

    const report = 'Budget : <b>12 000 €</b> <script>alert(1)</script>\r\nProchaine étape : la mairie.';
    const res = await trainer.client.post(`/gatherings/${seance.id}/summary`, { report });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/gatherings/${seance.id}#compte-rendu`);
    expect(world.gathering(seance.id).report).toBe(
      'Budget : <b>12 000 €</b> <script>alert(1)</script>\nProchaine étape : la mairie.',
    );

    const page = await member.client.get(`/gatherings/${seance.id}`);
    expect(page.body).toContain(
      '<p class="plain-text">Budget : &lt;b&gt;12 000 €&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;\nProchaine étape : la mairie.</p>',
    );
    expect(page.body).not.toContain('<script>alert(1)');
    expect(text(page.body)).toContain('Compte-rendu de la séance');

    const again = await trainer.client.get(`/gatherings/${seance.id}/summary`);
    expect(again.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\nProchaine étape');
  });
});

// Fiches d'expérience through HTTP: written only by a learner who attended a séance of the cycle,
// plain text (HTML typed is shown as typed), visible to the cycle's people unless the author
// shares it with the network, and edited by its author only.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markAttendance } from '../../src/attendance/attendance.ts';
import { withdraw } from '../../src/cycles/cycles.ts';
import { type Cycle, experiences } from '../../src/db/schema.ts';
import { createWorld, type Person, type World } from '../gatherings/world.ts';
import { text } from '../helpers.ts';

let world: World;
let trainer: Person;
let author: Person;
let classmate: Person;
let absent: Person;
let neighbour: Person;
let outsider: Person;
let cycle: Cycle;

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  author = await world.person('member', world.osim.id);
  classmate = await world.person('member', world.osim.id);
  absent = await world.person('member', world.osim.id);
  neighbour = await world.person('member', world.osim.id);
  outsider = await world.person('member', world.occitanie.id);
  cycle = world.openCycle(trainer);
  world.enrol(cycle, author, classmate, absent);
  // A séance held an hour ago.
  const seance = world.schedule(trainer, cycle, {
    title: 'Atelier événement',
    startsAt: new Date(Date.now() - 3600_000),
  });
  world.signUp(seance, author, classmate, absent);
  markAttendance(world.ctx.db, seance, { userId: author.id }, 'present', trainer.id);
  markAttendance(world.ctx.db, seance, { userId: classmate.id }, 'present', trainer.id);
  markAttendance(world.ctx.db, seance, { userId: absent.id }, 'absent', trainer.id);
});
afterAll(() => world.close());

const experienceForm = (overrides: Record<string, string> = {}) => ({
  title: 'Fête de quartier au Blosne',
  what: 'Une après-midi de jeux et de musique.',
  town: 'Rennes',
  inQpv: 'on',
  qpvName: 'Le Blosne',
  audience: '',
  partners: 'La mairie de quartier',
  cofunding: 'Ville de Rennes : 800 €',
  results: '',
  difficulties: '',
  advice: '',
  ...overrides,
});

function fieldError(html: string, name: string): string | null {
  const match = new RegExp(`<p class="field__error" id="f-${name}-error">([\\s\\S]*?)</p>`).exec(html);
  return match ? text(match[1]!).replace(/^Erreur : /, '') : null;
}

async function write(by: Person, form: Record<string, string>) {
  const res = await by.client.post(`/cycles/${cycle.id}/experiences`, form);
  expect(res.statusCode, text(res.body).slice(0, 400)).toBe(303);
  return Number(/^\/experiences\/(\d+)$/.exec(res.headers.location as string)![1]);
}

describe('who writes a fiche', () => {
  it('is a learner of the cycle marked present at one of its séances', async () => {
    expect(text((await author.client.get(`/cycles/${cycle.id}`)).body)).toContain(
      'Écrire une fiche d’expérience',
    );
    expect((await author.client.get(`/cycles/${cycle.id}/experiences/new`)).statusCode).toBe(200);

    for (const who of [absent, neighbour, trainer]) {
      const form = await who.client.get(`/cycles/${cycle.id}/experiences/new`);
      expect(form.statusCode).toBe(403);
      expect(text(form.body)).toContain(
        'Les fiches d’expérience s’écrivent après avoir participé à une séance du cycle.',
      );
      expect((await who.client.post(`/cycles/${cycle.id}/experiences`, experienceForm())).statusCode).toBe(
        403,
      );
      expect(text((await who.client.get(`/cycles/${cycle.id}`)).body)).not.toContain('Écrire une fiche');
    }
    expect((await outsider.client.get(`/cycles/${cycle.id}/experiences/new`)).statusCode).toBe(404);
    expect((await outsider.client.post(`/cycles/${cycle.id}/experiences`, experienceForm())).statusCode).toBe(
      404,
    );
    expect(world.ctx.db.select().from(experiences).all()).toHaveLength(0);
  });

  it('is no longer a learner who withdrew from the cycle', async () => {
    const leaver = await world.person('member', world.osim.id);
    world.enrol(cycle, leaver);
    const seance = world.schedule(trainer, cycle, {
      title: 'Séance de départ',
      startsAt: new Date(Date.now() - 3600_000),
    });
    world.signUp(seance, leaver);
    markAttendance(world.ctx.db, seance, { userId: leaver.id }, 'present', trainer.id);
    expect((await leaver.client.get(`/cycles/${cycle.id}/experiences/new`)).statusCode).toBe(200);
    withdraw(world.ctx.db, cycle, leaver.id);
    expect((await leaver.client.get(`/cycles/${cycle.id}/experiences/new`)).statusCode).toBe(403);
  });
});

describe('writing a fiche', () => {
  it('needs a title and what was done, in French next to the fields, keeping the rest', async () => {
    const res = await author.client.post(
      `/cycles/${cycle.id}/experiences`,
      experienceForm({ title: ' ', what: '\r\n ' }),
    );
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'title')).toBe('Donnez un titre à votre fiche.');
    expect(fieldError(res.body, 'what')).toBe('Décrivez l’action en quelques lignes.');
    expect(res.body).toContain('value="Le Blosne"');
    expect(res.body).toContain('Ville de Rennes : 800 €</textarea>');
    expect(res.body).toMatch(/<input[^>]*name="inQpv"[^>]*checked/);

    const long = await author.client.post(
      `/cycles/${cycle.id}/experiences`,
      experienceForm({ audience: 'x'.repeat(2001) }),
    );
    expect(long.statusCode).toBe(422);
    expect(fieldError(long.body, 'audience')).toBe('Ce champ ne peut pas dépasser 2 000 caractères.');

    // Fields missing from the request: the optional ones are empty, the required one is asked for.
    const bare = await author.client.post(`/cycles/${cycle.id}/experiences`, { title: 'Fiche minimale' });
    expect(bare.statusCode).toBe(422);
    expect(fieldError(bare.body, 'what')).toBe('Décrivez l’action en quelques lignes.');
    expect(text(bare.body)).not.toMatch(/Invalid|expected/);
    expect(world.ctx.db.select().from(experiences).all()).toHaveLength(0);
  });

  it('shows HTML typed as text, with its line breaks', async () => {
    const id = await write(
      author,
      experienceForm({
        title: 'Fête <b>du</b> quartier',
        what: 'Première ligne <script>alert("x")</script>\r\nDeuxième ligne',
      }),
    );
    const row = world.ctx.db.select().from(experiences).where(eq(experiences.id, id)).get()!;
    expect(row).toMatchObject({
      authorId: author.id,
      cycleId: cycle.id,
      inQpv: true,
      sharedWithNetwork: false,
    });
    expect(row.what).toBe('Première ligne <script>alert("x")</script>\nDeuxième ligne');

    const page = await author.client.get(`/experiences/${id}`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Votre fiche est enregistrée. Merci !');
    expect(page.body).toContain('<h1>Fête &lt;b&gt;du&lt;/b&gt; quartier</h1>');
    expect(page.body).toContain(
      '<p class="plain-text">Première ligne &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\nDeuxième ligne</p>',
    );
    expect(page.body).not.toContain('<script>alert');
    expect(text(page.body)).toContain('Rennes — QPV : Le Blosne');
    expect(text(page.body)).toContain('Modifier ma fiche');
  });
});

describe('who reads a fiche', () => {
  it('not shared: the cycle’s learners and trainers; 404 for another COSIM', async () => {
    const id = await write(author, experienceForm({ title: 'Fiche du cycle' }));
    for (const who of [classmate, absent, trainer]) {
      const page = await who.client.get(`/experiences/${id}`);
      expect(page.statusCode).toBe(200);
      expect(text(page.body)).toContain('Fiche du cycle');
      expect(text(page.body)).not.toContain('Modifier ma fiche');
    }
    expect(text((await classmate.client.get(`/cycles/${cycle.id}`)).body)).toContain('Fiche du cycle');
    expect((await outsider.client.get(`/experiences/${id}`)).statusCode).toBe(404);
    expect((await neighbour.client.get(`/experiences/${id}`)).statusCode).toBe(404);
    expect(text((await outsider.client.get('/experiences')).body)).not.toContain('Fiche du cycle');
    expect(text((await classmate.client.get('/experiences')).body)).not.toContain('Fiche du cycle');
    // The author finds their own in the list.
    expect(text((await author.client.get('/experiences')).body)).toContain('Fiche du cycle');
  });

  it('shared with the network: anyone signed in, and listed in /experiences', async () => {
    const id = await write(
      author,
      experienceForm({ title: 'Fiche pour tout le réseau', sharedWithNetwork: 'on' }),
    );
    const page = await outsider.client.get(`/experiences/${id}`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('partagée avec le réseau');
    const list = text((await outsider.client.get('/experiences')).body);
    expect(list).toContain('Fiche pour tout le réseau');
    expect(list).toContain(
      `${author.displayName} (Horizons Solidaires) · Rennes · en quartier prioritaire (QPV)`,
    );
  });
});

describe('editing a fiche', () => {
  it('is for its author only', async () => {
    const id = await write(author, experienceForm({ title: 'Fiche à corriger', sharedWithNetwork: 'on' }));
    for (const who of [classmate, trainer, outsider]) {
      const edit = await who.client.get(`/experiences/${id}/edit`);
      expect(edit.statusCode).toBe(403);
      expect(text(edit.body)).toContain('Seule la personne qui a écrit la fiche peut la modifier.');
      expect(
        (await who.client.post(`/experiences/${id}`, experienceForm({ title: 'Détournée' }))).statusCode,
      ).toBe(403);
    }

    const form = await author.client.get(`/experiences/${id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Fiche à corriger"');
    expect(form.body).toMatch(/<input[^>]*name="sharedWithNetwork"[^>]*checked/);

    const bad = await author.client.post(`/experiences/${id}`, experienceForm({ title: '' }));
    expect(bad.statusCode).toBe(422);
    expect(fieldError(bad.body, 'title')).toBe('Donnez un titre à votre fiche.');

    const res = await author.client.post(`/experiences/${id}`, experienceForm({ title: 'Fiche corrigée' }));
    expect(res.statusCode).toBe(303);
    const row = world.ctx.db.select().from(experiences).where(eq(experiences.id, id)).get()!;
    expect(row.title).toBe('Fiche corrigée');
    // The box was not ticked this time: no longer shared.
    expect(row.sharedWithNetwork).toBe(false);
    expect(text((await author.client.get(`/experiences/${id}`)).body)).toContain('Votre fiche est modifiée.');
    expect((await outsider.client.get(`/experiences/${id}`)).statusCode).toBe(404);
  });
});

describe('the facts of the note’s annex (issue 19)', () => {
  it('are written with the fiche and shown in words', async () => {
    const id = await write(
      author,
      experienceForm({
        title: 'Alphabétisation au Blosne',
        objectives: 'Favoriser l’autonomie des personnes.',
        domain: 'education',
        publics: ['women', 'newcomers'] as unknown as string,
        region: 'BRE',
        periodStart: '2025-10',
        periodEnd: '2026-06',
        cofunders: ['state', 'town'] as unknown as string,
        volunteers: '3',
        participants: '12',
      }),
    );
    const page = text((await author.client.get(`/experiences/${id}`)).body);
    expect(page).toContain('Domaine Éducation');
    expect(page).toContain('Qui en a bénéficié Femmes, Personnes nouvellement arrivées');
    expect(page).toContain('Région Bretagne');
    expect(page).toContain('Période octobre 2025 – juin 2026');
    expect(page).toContain('Nombre de participant·es 12');
    expect(page).toContain('Qui a cofinancé État (dont crédits politique de la ville), Commune');
    expect(page).toContain('Favoriser l’autonomie des personnes.');
    const edit = await author.client.get(`/experiences/${id}/edit`);
    expect(edit.body).toMatch(/id="f-publics-women" name="publics" value="women" checked/);
    expect(edit.body).toMatch(/<option value="BRE" selected>/);
  });

  it('answers a bad month, count or choice next to its field, keeping every word typed', async () => {
    const long = 'Une action longue à raconter. '.repeat(120); // 3 600 characters
    const res = await author.client.post(
      `/cycles/${cycle.id}/experiences`,
      experienceForm({ what: long, periodStart: '10/2025', participants: 'une douzaine', domain: 'magie' }),
    );
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'periodStart')).toBe(
      'Écrivez le mois au format année-mois, par exemple 2025-10.',
    );
    expect(fieldError(res.body, 'participants')).toBe('Écrivez un nombre entier, par exemple 25.');
    expect(fieldError(res.body, 'domain')).toBe('Ce choix n’existe pas dans la liste.');
    expect(res.body).toContain(long.trim());
    expect(res.body).toContain('value="une douzaine"');
  });

  it('leave a fiche written before them as it was', async () => {
    const { db } = world.ctx;
    const id = db
      .insert(experiences)
      .values({
        cycleId: cycle.id,
        authorId: author.id,
        title: 'Ancienne fiche',
        what: 'Écrite avant.',
        updatedAt: new Date(),
      })
      .returning({ id: experiences.id })
      .get().id;
    const page = await author.client.get(`/experiences/${id}`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Écrite avant.');
    expect(text(page.body)).not.toContain('Domaine');
    expect((await author.client.get(`/experiences/${id}/edit`)).statusCode).toBe(200);
  });
});

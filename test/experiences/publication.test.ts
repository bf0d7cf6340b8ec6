// Publishing a fiche on the public showcase, with its author's consent: the author asks, the
// collective's coordinator (or the national team) reviews — corrects, removes a name — and
// publishes or sends it back; the author withdraws it whenever they like; every step is kept.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cycle, experiencePublications, experiences } from '../../src/db/schema.ts';
import { eraseAccount } from '../../src/privacy/erase.ts';
import { createWorld, type Person, type World } from '../gatherings/world.ts';
import { TestClient, text } from '../helpers.ts';

let world: World;
let author: Person;
let classmate: Person;
let trainer: Person;
let coordinator: Person;
let otherCoordinator: Person;
let admin: Person;
let cycle: Cycle;
let ficheId: number;

const fiche = () => world.ctx.db.select().from(experiences).where(eq(experiences.id, ficheId)).get()!;
const steps = () =>
  world.ctx.db
    .select({ action: experiencePublications.action, actorId: experiencePublications.actorId })
    .from(experiencePublications)
    .where(eq(experiencePublications.experienceId, ficheId))
    .all();

beforeAll(async () => {
  world = await createWorld();
  author = await world.person('member', world.osim.id);
  classmate = await world.person('member', world.osim.id);
  trainer = await world.person('trainer', world.bretagne.id);
  coordinator = await world.person('coordinator', world.bretagne.id);
  otherCoordinator = await world.person('coordinator', world.occitanie.id);
  admin = await world.person('admin', world.occitanie.id);
  cycle = world.openCycle(trainer);
  world.enrol(cycle, author, classmate);
  ficheId = world.ctx.db
    .insert(experiences)
    .values({
      cycleId: cycle.id,
      authorId: author.id,
      title: 'Alphabétisation au Blosne',
      what: 'Deux ateliers par semaine avec Mme Fatimata Diallo, bénévole.',
      domain: 'education',
      region: 'BRE',
      updatedAt: new Date(),
    })
    .returning({ id: experiences.id })
    .get().id;
});
afterAll(() => world.close());

describe('asking for a fiche to be public', () => {
  it('is its author’s choice only, explained on the fiche', async () => {
    const page = text((await author.client.get(`/experiences/${ficheId}`)).body);
    expect(page).toContain('Cette fiche n’est pas publique');
    expect(page).toContain('jamais le vôtre');
    for (const who of [classmate, trainer]) {
      const res = await who.client.post(`/experiences/${ficheId}/publication/request`);
      expect(res.statusCode, who.email).toBe(403);
    }
    expect(fiche().publication).toBe('private');
    const res = await author.client.post(`/experiences/${ficheId}/publication/request`);
    expect(res.statusCode).toBe(303);
    expect(fiche().publication).toBe('requested');
    expect(steps()).toEqual([{ action: 'requested', actorId: author.id }]);
    // Asked twice: said, nothing changes.
    const again = await author.client.post(`/experiences/${ficheId}/publication/request`);
    expect(again.statusCode).toBe(303);
    expect(text((await author.client.get(`/experiences/${ficheId}`)).body)).toContain(
      'La publication de cette fiche est déjà demandée ou faite.',
    );
    expect(steps()).toHaveLength(1);
  });
});

describe('reviewing and publishing', () => {
  it('the collective’s coordinator and the national team find the request; another collective does not', async () => {
    expect(text((await coordinator.client.get('/experiences/to-publish')).body)).toContain(
      'Alphabétisation au Blosne',
    );
    expect(text((await admin.client.get('/experiences/to-publish')).body)).toContain(
      'Alphabétisation au Blosne',
    );
    expect(text((await otherCoordinator.client.get('/experiences/to-publish')).body)).not.toContain(
      'Alphabétisation au Blosne',
    );
    expect((await otherCoordinator.client.get(`/experiences/${ficheId}/publication`)).statusCode).toBe(404);
    for (const who of [author, trainer]) {
      expect((await who.client.get(`/experiences/${ficheId}/publication`)).statusCode).toBe(403);
      expect((await who.client.get('/experiences/to-publish')).statusCode).toBe(403);
    }
  });

  it('the reviewer corrects the text and publishes it; an empty title is answered next to the field', async () => {
    const form = {
      title: 'Alphabétisation au Blosne',
      what: 'Deux ateliers par semaine avec une bénévole.',
      objectives: '',
      town: 'Rennes',
      qpvName: 'Le Blosne',
      audience: '',
      partners: '',
      cofunding: '',
      results: '',
      difficulties: '',
      advice: '',
    };
    const seen = /name="seen" value="(\d+)"/.exec(
      (await coordinator.client.get(`/experiences/${ficheId}/publication`)).body,
    )![1]!;
    const bad = await coordinator.client.post(`/experiences/${ficheId}/publication`, {
      ...form,
      seen,
      title: ' ',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Deux ateliers par semaine avec une bénévole.');
    expect(fiche().publication).toBe('requested');
    const res = await coordinator.client.post(`/experiences/${ficheId}/publication`, { ...form, seen });
    expect(res.statusCode).toBe(303);
    const published = fiche();
    expect(published.publication).toBe('published');
    expect(published.publishedAt).not.toBeNull();
    expect(published.what).not.toContain('Diallo');
    expect(steps().map((s) => s.action)).toEqual(['requested', 'published']);
    expect(text((await author.client.get(`/experiences/${ficheId}`)).body)).toContain(
      'Cette fiche est publiée sur la vitrine',
    );
  });

  it('keeps who asked and who published, and when', async () => {
    const page = text((await admin.client.get(`/experiences/${ficheId}/publication`)).body);
    expect(page).toContain(`${author.displayName} a demandé la publication le`);
    expect(page).toContain(`${coordinator.displayName} a publié la fiche le`);
  });
});

describe('a fiche changed during its review', () => {
  it('is not published as the reviewer read it: the review starts again from the new version', async () => {
    const { db } = world.ctx;
    const other = db
      .insert(experiences)
      .values({
        cycleId: cycle.id,
        authorId: classmate.id,
        title: 'Fête',
        what: 'Version 1',
        updatedAt: new Date(1000),
      })
      .returning({ id: experiences.id })
      .get().id;
    await classmate.client.post(`/experiences/${other}/publication/request`);
    const seen = /name="seen" value="(\d+)"/.exec(
      (await coordinator.client.get(`/experiences/${other}/publication`)).body,
    )![1]!;
    // The author changes it meanwhile.
    db.update(experiences)
      .set({ what: 'Version 2, 1 000 000 participants', participants: 1_000_000, updatedAt: new Date(2000) })
      .where(eq(experiences.id, other))
      .run();
    const res = await coordinator.client.post(`/experiences/${other}/publication`, {
      title: 'Fête',
      what: 'Version 1',
      seen,
    });
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('L’auteur·rice a modifié la fiche pendant votre relecture');
    expect(res.body).toContain('Version 2, 1 000 000 participants</textarea>');
    expect(text(res.body)).toContain('Nombre de participant·es 1000000');
    expect(db.select().from(experiences).where(eq(experiences.id, other)).get()!.publication).toBe(
      'requested',
    );
  });

  it('is never published by its own author, even one who may publish', async () => {
    const { db } = world.ctx;
    const own = db
      .insert(experiences)
      .values({
        cycleId: cycle.id,
        authorId: coordinator.id,
        title: 'Ma fiche',
        what: 'Texte',
        publication: 'requested',
        updatedAt: new Date(5000),
      })
      .returning({ id: experiences.id })
      .get().id;
    expect(text((await coordinator.client.get('/experiences/to-publish')).body)).not.toContain('Ma fiche');
    const res = await coordinator.client.post(`/experiences/${own}/publication`, {
      title: 'Ma fiche',
      what: 'Texte',
      seen: '5000',
    });
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Votre propre fiche est relue et publiée par une autre personne.');
    expect(text((await admin.client.get('/experiences/to-publish')).body)).toContain('Ma fiche');
  });
});

describe('withdrawing', () => {
  it('the author takes it off at once; only they (or a publisher) may', async () => {
    expect((await classmate.client.post(`/experiences/${ficheId}/publication/withdraw`)).statusCode).toBe(
      403,
    );
    expect(fiche().publication).toBe('published');
    const res = await author.client.post(`/experiences/${ficheId}/publication/withdraw`);
    expect(res.statusCode).toBe(303);
    expect(fiche().publication).toBe('private');
    expect(fiche().publishedAt).toBeNull();
    expect(steps().at(-1)).toEqual({ action: 'withdrawn', actorId: author.id });
  });

  it('a publisher sends a request back without publishing; the author may ask again', async () => {
    await author.client.post(`/experiences/${ficheId}/publication/request`);
    const res = await admin.client.post(`/experiences/${ficheId}/publication/decline`);
    expect(res.statusCode).toBe(303);
    expect(fiche().publication).toBe('private');
    expect(steps().at(-1)).toEqual({ action: 'declined', actorId: admin.id });
    // Publishing what is no longer asked for is refused.
    const late = await coordinator.client.post(`/experiences/${ficheId}/publication`, {
      title: 'X',
      what: 'Y',
      seen: String(fiche().updatedAt.getTime()),
    });
    expect(late.statusCode).toBe(422);
    expect(text(late.body)).toContain('Son auteur·rice ne demande plus la publication de cette fiche.');
    expect(fiche().publication).toBe('private');
  });

  it('an author’s change to a published fiche sends it back to review', async () => {
    const { db } = world.ctx;
    db.update(experiences)
      .set({ publication: 'published', publishedAt: new Date() })
      .where(eq(experiences.id, ficheId))
      .run();
    const edit = await author.client.get(`/experiences/${ficheId}/edit`);
    const values = Object.fromEntries(
      [...edit.body.matchAll(/name="(\w+)"[^>]*value="([^"]*)"/g)]
        .filter((m) => m[1] !== '_csrf')
        .map((m) => [m[1]!, m[2]!]),
    );
    const res = await author.client.post(`/experiences/${ficheId}`, {
      ...values,
      what: 'Deux ateliers par semaine, avec Awa.',
    });
    expect(res.statusCode).toBe(303);
    expect(fiche().publication).toBe('requested');
    expect(steps().at(-1)!.action).toBe('edited');
  });
});

describe('erasing an author', () => {
  it('takes their public fiche off the showcase, its page and its feed', async () => {
    const { db } = world.ctx;
    const gone = await world.person('member', world.osim.id);
    world.enrol(cycle, gone);
    const id = db
      .insert(experiences)
      .values({
        cycleId: cycle.id,
        authorId: gone.id,
        title: 'Jardin partagé de Maurepas',
        what: 'Un jardin.',
        publication: 'published',
        publishedAt: new Date(),
        updatedAt: new Date(),
      })
      .returning({ id: experiences.id })
      .get().id;
    const anonymous = new TestClient(world.ctx.app);
    expect(text((await anonymous.get('/vitrine')).body)).toContain('Jardin partagé de Maurepas');
    eraseAccount(db, gone.id, {
      mailer: world.ctx.mailer,
      baseUrl: world.ctx.config.baseUrl,
      actorId: gone.id,
    });
    expect(text((await anonymous.get('/vitrine')).body)).not.toContain('Jardin partagé de Maurepas');
    expect((await anonymous.get(`/vitrine/actions/${id}`)).statusCode).toBe(404);
    expect((await anonymous.get('/vitrine/feed.xml')).body).not.toContain('Jardin partagé de Maurepas');
  });
});

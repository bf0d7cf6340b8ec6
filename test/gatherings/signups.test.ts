// Signing up for a séance through HTTP: one tap with htmx (the whole #seance block comes back:
// seats, video link, sign-up block) or a plain form (redirect and a message), the waiting list and its email when a seat frees up, and
// the refusals: séance started, not enrolled in the cycle, séance cancelled.
import { and, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cycle, gatheringSignups, gatherings } from '../../src/db/schema.ts';
import { text } from '../helpers.ts';
import { createWorld, DAY, htmx, type Person, type World } from './world.ts';

let world: World;
let trainer: Person;
let cycle: Cycle;

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  cycle = world.openCycle(trainer);
});
afterAll(() => world.close());

async function learner() {
  const p = await world.person('member', world.osim.id);
  world.enrol(cycle, p);
  return p;
}

function signupOf(gatheringId: number, userId: number) {
  return world.ctx.db
    .select()
    .from(gatheringSignups)
    .where(
      and(
        eq(gatheringSignups.gatheringId, gatheringId),
        eq(gatheringSignups.userId, userId),
        ne(gatheringSignups.status, 'cancelled'),
      ),
    )
    .all();
}

describe('signing up', () => {
  it('once the séance is over, says « Vous étiez inscrit·e », not « Vous avez une place »', async () => {
    const seance = world.schedule(trainer, cycle, { title: 'Séance passée' });
    const me = await learner();
    world.signUp(seance, me);
    world.start(seance, 24 * 60);
    const page = text((await me.client.get(`/gatherings/${seance.id}`)).body);
    expect(page).toContain('Vous étiez inscrit·e');
    expect(page).not.toContain('Vous avez une place');
    const cyclePage = text((await me.client.get(`/cycles/${cycle.id}`)).body);
    expect(cyclePage).toContain('Vous étiez inscrit·e');
  });

  it('with a plain form: a redirect to the sign-up block and a message', async () => {
    const seance = world.schedule(trainer, cycle, { title: 'Séance formulaire' });
    const me = await learner();
    const before = text((await me.client.get(`/gatherings/${seance.id}`)).body);
    expect(before).toContain('20 places libres sur 20.');
    expect(before).toContain('Je m’inscris');

    const res = await me.client.post(`/gatherings/${seance.id}/signup`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/gatherings/${seance.id}#inscription`);
    expect(signupOf(seance.id, me.id)).toMatchObject([{ status: 'confirmed' }]);
    const page = text((await me.client.get(`/gatherings/${seance.id}`)).body);
    expect(page).toContain('C’est noté : vous avez une place.');
    expect(page).toContain('Vous avez une place');
    expect(page).toContain('19 places libres sur 20.');
    expect(page).toContain('Annuler mon inscription');
  });

  it('with htmx: the #seance block comes back, the video link shown on sign-up and hidden on cancel', async () => {
    const seance = world.schedule(trainer, cycle, {
      title: 'Séance htmx en visio',
      mode: 'online',
      placeName: '',
      videoUrl: 'https://visio.example/htmx',
    });
    const me = await learner();
    const before = await me.client.get(`/gatherings/${seance.id}`);
    expect(before.body).not.toContain('https://visio.example/htmx');
    expect(before.body).toContain('hx-target="#seance"');

    const res = await me.client.post(`/gatherings/${seance.id}/signup`, {}, { headers: htmx('#seance') });
    expect(res.statusCode).toBe(200);
    expect(res.headers.vary).toContain('HX-Request');
    expect(res.body.trimStart()).toMatch(/^<div id="seance"/);
    expect(res.body).not.toContain('<html');
    expect(res.body).not.toContain('<h1');
    const seated = text(res.body);
    expect(seated).toContain('C’est noté : vous avez une place.');
    expect(seated).toContain('Vous avez une place');
    expect(seated).toContain('19 places libres sur 20.');
    // What the sign-up changes elsewhere on the page is in the same answer.
    expect(res.body).toContain('<a href="https://visio.example/htmx" rel="noopener">Rejoindre la visio</a>');
    expect(seated).not.toContain('Le lien de la visio est donné aux personnes inscrites.');
    // The form in the fragment carries a CSRF token: the next tap works too.
    expect(res.body).toMatch(/name="_csrf" value="[^"]+"/);

    const cancel = await me.client.post(
      `/gatherings/${seance.id}/signup/cancel`,
      {},
      { headers: htmx('#seance') },
    );
    expect(cancel.statusCode).toBe(200);
    expect(cancel.body.trimStart()).toMatch(/^<div id="seance"/);
    const left = text(cancel.body);
    expect(left).toContain('Votre inscription est annulée.');
    expect(left).toContain('Je m’inscris');
    expect(left).toContain('20 places libres sur 20.');
    expect(cancel.body).not.toContain('https://visio.example/htmx');
    expect(left).toContain('Le lien de la visio est donné aux personnes inscrites.');
    expect(signupOf(seance.id, me.id)).toHaveLength(0);
  });

  it('is idempotent: signing up twice keeps one seat', async () => {
    const seance = world.schedule(trainer, cycle, { title: 'Séance en double' });
    const me = await learner();
    expect((await me.client.post(`/gatherings/${seance.id}/signup`)).statusCode).toBe(303);
    expect((await me.client.post(`/gatherings/${seance.id}/signup`)).statusCode).toBe(303);
    expect(signupOf(seance.id, me.id)).toHaveLength(1);
    expect(text((await me.client.get(`/gatherings/${seance.id}`)).body)).toContain(
      '19 places libres sur 20.',
    );
  });
});

describe('the waiting list', () => {
  it('puts the third person of two seats on the list, and gives them the first freed seat', async () => {
    const seance = world.schedule(trainer, cycle, { title: 'Séance à deux places', capacity: 2 });
    const [first, second, third] = [await learner(), await learner(), await learner()];
    expect((await first.client.post(`/gatherings/${seance.id}/signup`)).statusCode).toBe(303);
    expect((await second.client.post(`/gatherings/${seance.id}/signup`)).statusCode).toBe(303);

    const full = text((await third.client.get(`/gatherings/${seance.id}`)).body);
    expect(full).toContain('Complet : les 2 places sont prises.');
    expect(full).toContain('Complet : me mettre en liste d’attente');

    const waiting = await third.client.post(
      `/gatherings/${seance.id}/signup`,
      {},
      { headers: htmx('#inscription') },
    );
    expect(text(waiting.body)).toContain('Vous êtes en liste d’attente, en position 1.');
    expect(text(waiting.body)).toContain('Quitter la liste d’attente');
    expect(signupOf(seance.id, first.id)).toMatchObject([{ status: 'confirmed' }]);
    expect(signupOf(seance.id, second.id)).toMatchObject([{ status: 'confirmed' }]);
    expect(signupOf(seance.id, third.id)).toMatchObject([{ status: 'waiting' }]);
    const fourth = await learner();
    const next = await fourth.client.post(`/gatherings/${seance.id}/signup`);
    expect(next.statusCode).toBe(303);
    expect(text((await fourth.client.get(`/gatherings/${seance.id}`)).body)).toContain(
      'La séance est complète : vous êtes en liste d’attente.',
    );
    expect(text((await fourth.client.get(`/gatherings/${seance.id}`)).body)).toContain('en position 2');

    const trainerView = text((await trainer.client.get(`/gatherings/${seance.id}`)).body);
    expect(trainerView).toContain('Inscrit·es (4)');
    expect(trainerView).toContain(`${third.displayName} liste d’attente`);

    const cancel = await first.client.post(`/gatherings/${seance.id}/signup/cancel`);
    expect(cancel.statusCode).toBe(303);
    expect(text((await first.client.get(`/gatherings/${seance.id}`)).body)).toContain(
      'Votre inscription est annulée.',
    );
    expect(signupOf(seance.id, first.id)).toHaveLength(0);
    expect(signupOf(seance.id, third.id)).toMatchObject([{ status: 'confirmed' }]);
    expect(signupOf(seance.id, fourth.id)).toMatchObject([{ status: 'waiting' }]);

    const mails = world.mails(third.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Une place s’est libérée\u00a0: Séance à deux places');
    expect(mails[0]!.textBody).toContain('Elle est à vous, vous êtes inscrit·e.');
    expect(world.mails(fourth.email)).toHaveLength(0);
    expect(text((await third.client.get(`/gatherings/${seance.id}`)).body)).toContain('Vous avez une place');
    expect(text((await fourth.client.get(`/gatherings/${seance.id}`)).body)).toContain('en position 1');
  });

  it('gives the seats of someone who leaves the cycle to the waiting list', async () => {
    const seance = world.schedule(trainer, cycle, { title: 'Séance du partant', capacity: 1 });
    const [leaver, waiting] = [await learner(), await learner()];
    await leaver.client.post(`/gatherings/${seance.id}/signup`);
    await waiting.client.post(`/gatherings/${seance.id}/signup`);
    expect(signupOf(seance.id, waiting.id)).toMatchObject([{ status: 'waiting' }]);

    const res = await leaver.client.post(`/cycles/${cycle.id}/withdraw`);
    expect(res.statusCode).toBe(303);
    expect(signupOf(seance.id, leaver.id)).toHaveLength(0);
    expect(signupOf(seance.id, waiting.id)).toMatchObject([{ status: 'confirmed' }]);
    expect(world.mails(waiting.email).map((m) => m.subject)).toEqual([
      'Une place s’est libérée\u00a0: Séance du partant',
    ]);
    expect(text((await leaver.client.get(`/gatherings/${seance.id}`)).body)).toContain(
      'Pour vous inscrire à cette séance, inscrivez-vous d’abord au cycle',
    );
  });

  it('frees no seat when someone leaves the waiting list', async () => {
    const seance = world.schedule(trainer, cycle, { title: 'Séance à une place', capacity: 1 });
    const [seated, waiting, later] = [await learner(), await learner(), await learner()];
    for (const p of [seated, waiting, later]) await p.client.post(`/gatherings/${seance.id}/signup`);
    await waiting.client.post(`/gatherings/${seance.id}/signup/cancel`);
    expect(signupOf(seance.id, seated.id)).toMatchObject([{ status: 'confirmed' }]);
    expect(signupOf(seance.id, later.id)).toMatchObject([{ status: 'waiting' }]);
    expect(world.mails(later.email)).toHaveLength(0);
  });
});

describe('refusals', () => {
  it('closes sign-ups once the séance has started', async () => {
    const started = world.schedule(trainer, cycle, {
      title: 'Séance commencée',
      startsAt: new Date(Date.now() - 3600_000),
      endsAt: new Date(Date.now() + 3600_000),
    });
    const me = await learner();
    const page = text((await me.client.get(`/gatherings/${started.id}`)).body);
    expect(page).toContain('Les inscriptions sont closes : la séance a commencé.');
    expect(page).not.toContain('Je m’inscris');

    const res = await me.client.post(`/gatherings/${started.id}/signup`);
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Les inscriptions sont closes : la séance a commencé.');
    expect(signupOf(started.id, me.id)).toHaveLength(0);
  });

  it('asks a member of the collective to enrol in the cycle first', async () => {
    const seance = world.schedule(trainer, cycle, { title: 'Séance réservée au cycle' });
    const outsider = await world.person('member', world.osim.id);
    const page = text((await outsider.client.get(`/gatherings/${seance.id}`)).body);
    expect(page).toContain('Pour vous inscrire à cette séance, inscrivez-vous d’abord au cycle :');

    const res = await outsider.client.post(`/gatherings/${seance.id}/signup`);
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Inscrivez-vous d’abord au cycle pour vous inscrire à ses séances.');
    // With htmx, the message comes in the sign-up block, the rest of the page stays.
    const tap = await outsider.client.post(
      `/gatherings/${seance.id}/signup`,
      {},
      { headers: htmx('#seance') },
    );
    expect(tap.statusCode).toBe(422);
    expect(tap.headers['hx-retarget']).toBeUndefined();
    expect(tap.body.trimStart()).toMatch(/^<div id="seance"/);
    expect(tap.body).toMatch(/<p class="field__error" role="alert">[\s\S]*Inscrivez-vous d’abord au cycle/);
    expect(signupOf(seance.id, outsider.id)).toHaveLength(0);
  });

  it('refuses a cancelled séance', async () => {
    const seance = world.schedule(trainer, cycle, { title: 'Séance annulée d’avance' });
    world.ctx.db
      .update(gatherings)
      .set({ cancelledAt: new Date(), cancelReason: 'Grève' })
      .where(eq(gatherings.id, seance.id))
      .run();
    const me = await learner();
    const res = await me.client.post(`/gatherings/${seance.id}/signup`);
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Cette séance est annulée.');
  });

  it('shows the video link only to people with a seat', async () => {
    const seance = world.schedule(trainer, cycle, {
      title: 'Séance en visio',
      mode: 'online',
      placeName: '',
      videoUrl: 'https://visio.example/secret',
      startsAt: new Date(Date.now() + 3 * DAY),
    });
    const me = await learner();
    expect((await me.client.get(`/gatherings/${seance.id}`)).body).not.toContain(
      'https://visio.example/secret',
    );
    await me.client.post(`/gatherings/${seance.id}/signup`);
    expect((await me.client.get(`/gatherings/${seance.id}`)).body).toContain('https://visio.example/secret');
  });
});

// Scheduling séances through HTTP: the time typed in the séance's own zone (daylight saving and
// overseas included), what the page shows to a viewer elsewhere, the form's checks, the warning
// when the facilitator already leads a séance then, editing and cancelling (with the emails).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cycle, gatherings, users } from '../../src/db/schema.ts';
import { signUp } from '../../src/gatherings/signups.ts';
import { text } from '../helpers.ts';
import { createWorld, DAY, type Person, type World } from './world.ts';

let world: World;
let trainer: Person;
let member: Person;
let otherMember: Person;
let cycle: Cycle;

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  member = await world.person('member', world.osim.id);
  otherMember = await world.person('member', world.occitanie.id);
  cycle = world.openCycle(trainer);
  world.enrol(cycle, member);
});
afterAll(() => world.close());

const seanceForm = (overrides: Record<string, string> = {}) => ({
  title: 'Atelier budget prévisionnel',
  courseId: '',
  theme: '',
  facilitatorId: String(trainer.id),
  date: '2026-03-26',
  startTime: '18:30',
  endTime: '20:30',
  timeZone: 'Europe/Paris',
  mode: 'in_person',
  placeName: 'Maison de quartier du Blosne',
  address: '7 boulevard de Yougoslavie',
  town: 'Rennes',
  videoUrl: '',
  capacity: '20',
  agenda: '',
  ...overrides,
});

function fieldError(html: string, name: string): string | null {
  const match = new RegExp(`<p class="field__error" id="f-${name}-error">([\\s\\S]*?)</p>`).exec(html);
  return match ? text(match[1]!).replace(/^Erreur : /, '') : null;
}

async function schedule(form: Record<string, string>) {
  const res = await trainer.client.post(`/cycles/${cycle.id}/gatherings`, form);
  expect(res.statusCode, text(res.body).slice(0, 600)).toBe(303);
  const id = Number(/^\/gatherings\/(\d+)$/.exec(res.headers.location as string)![1]);
  return world.gathering(id);
}

describe('scheduling in the séance’s time zone', () => {
  it('stores 18:30 Paris as 17:30Z in winter time and 16:30Z in summer time', async () => {
    const winter = await schedule(seanceForm({ title: 'Séance d’hiver', date: '2026-03-26' }));
    expect(winter.startsAt.toISOString()).toBe('2026-03-26T17:30:00.000Z');
    expect(winter.endsAt.toISOString()).toBe('2026-03-26T19:30:00.000Z');
    expect(winter.timeZone).toBe('Europe/Paris');
    const page = text((await trainer.client.get(`/gatherings/${winter.id}`)).body);
    expect(page).toContain('La séance « Séance d’hiver » est programmée.');
    expect(page).toContain('jeudi 26 mars 2026, de 18 h 30 à 20 h 30 (heure de Paris)');
    expect(page).not.toContain('Chez vous');

    const summer = await schedule(seanceForm({ title: 'Séance d’été', date: '2026-04-02' }));
    expect(summer.startsAt.toISOString()).toBe('2026-04-02T16:30:00.000Z');
    const later = text((await trainer.client.get(`/gatherings/${summer.id}`)).body);
    expect(later).toContain('jeudi 2 avril 2026, de 18 h 30 à 20 h 30 (heure de Paris)');
  });

  it('stores 18:30 in La Réunion as 14:30Z', async () => {
    const reunion = await schedule(
      seanceForm({ title: 'Séance à Saint-Denis', date: '2026-03-26', timeZone: 'Indian/Reunion' }),
    );
    expect(reunion.startsAt.toISOString()).toBe('2026-03-26T14:30:00.000Z');
    const page = text((await trainer.client.get(`/gatherings/${reunion.id}`)).body);
    expect(page).toContain('de 18 h 30 à 20 h 30 (heure de La Réunion)');
    // The trainer reads times in Paris: the page says it.
    expect(page).toContain('Chez vous : jeudi 26 mars 2026, de 15 h 30 à 17 h 30 (heure de Paris)');
  });

  it('shows a viewer in another zone the séance’s time and their own', async () => {
    const seance = world.schedule(trainer, cycle, {
      title: 'Séance vue de loin',
      startsAt: new Date('2026-03-19T17:30:00Z'),
      endsAt: new Date('2026-03-19T19:30:00Z'),
    });
    world.ctx.db.update(users).set({ timeZone: 'Indian/Reunion' }).where(eq(users.id, member.id)).run();
    try {
      const page = text((await member.client.get(`/gatherings/${seance.id}`)).body);
      expect(page).toContain('jeudi 19 mars 2026, de 18 h 30 à 20 h 30 (heure de Paris)');
      expect(page).toContain('Chez vous : jeudi 19 mars 2026, de 21 h 30 à 23 h 30 (heure de La Réunion)');
    } finally {
      world.ctx.db.update(users).set({ timeZone: 'Europe/Paris' }).where(eq(users.id, member.id)).run();
    }
  });
});

describe('the séance form', () => {
  const cases: Array<[string, Record<string, string>, string, string]> = [
    ['an end before the start', { endTime: '17:00' }, 'endTime', 'La fin doit être après le début.'],
    [
      'online without a video link',
      { mode: 'online', placeName: '' },
      'videoUrl',
      'Indiquez le lien de la visio.',
    ],
    [
      'a video link that is not https',
      { mode: 'hybrid', videoUrl: 'http://visio.example/x' },
      'videoUrl',
      'Le lien doit commencer par https:// et ne pas contenir d’espace.',
    ],
    ['in person without a place', { placeName: '' }, 'placeName', 'Indiquez le lieu de la séance.'],
    ['a capacity of 0', { capacity: '0' }, 'capacity', 'Le nombre de places va de 1 à 1 000.'],
    ['a capacity in letters', { capacity: 'abc' }, 'capacity', 'Le nombre de places va de 1 à 1 000.'],
    [
      'a time of 25:00',
      { startTime: '25:00' },
      'startTime',
      'Saisissez une heure au format hh:mm, par exemple 18:30.',
    ],
    ['no date', { date: '' }, 'date', 'Indiquez la date de la séance.'],
    [
      'a date that does not exist',
      { date: '2026-02-30' },
      'date',
      'Saisissez une date au format jj/mm/aaaa.',
    ],
    [
      'a time skipped by the change to summer time',
      { date: '2026-03-29', startTime: '02:30', endTime: '04:00' },
      'startTime',
      'Cette heure n’existe pas ce jour-là (passage à l’heure d’été) : choisissez-en une autre.',
    ],
    [
      'a facilitator from elsewhere',
      { facilitatorId: String(999_999) },
      'facilitatorId',
      'Ce choix n’existe pas dans la liste.',
    ],
    [
      'an unknown time zone',
      { timeZone: 'Mars/Olympus' },
      'timeZone',
      'Ce choix n’existe pas dans la liste.',
    ],
  ];
  for (const [what, overrides, field, message] of cases) {
    it(`refuses ${what} (422, message next to the field, input kept)`, async () => {
      const title = `Séance refusée : ${what}`;
      const res = await trainer.client.post(
        `/cycles/${cycle.id}/gatherings`,
        seanceForm({ title, date: '2026-05-12', ...overrides }),
      );
      expect(res.statusCode).toBe(422);
      expect(fieldError(res.body, field)).toBe(message);
      expect(res.body).toContain(`value="${title.replace(/"/g, '&quot;')}"`);
      expect(world.ctx.db.select().from(gatherings).where(eq(gatherings.title, title)).get()).toBeUndefined();
    });
  }

  it('accepts an online séance with its link, and a hybrid one', async () => {
    const online = await schedule(
      seanceForm({
        title: 'Séance en visio',
        date: '2026-05-20',
        mode: 'online',
        placeName: '',
        videoUrl: 'https://visio.example/forim',
      }),
    );
    expect(online.mode).toBe('online');
    const hybrid = await schedule(
      seanceForm({
        title: 'Séance hybride',
        date: '2026-05-21',
        mode: 'hybrid',
        videoUrl: 'https://visio.example/forim',
      }),
    );
    expect(hybrid.videoUrl).toBe('https://visio.example/forim');
  });

  it('accepts a request without the optional fields, and answers a repeated field in French', async () => {
    const minimal = await schedule({
      title: 'Séance minimale',
      facilitatorId: String(trainer.id),
      date: '2026-07-01',
      startTime: '18:30',
      endTime: '20:30',
      timeZone: 'Europe/Paris',
      mode: 'in_person',
      placeName: 'Salle des fêtes',
      capacity: '10',
    });
    expect(minimal).toMatchObject({ agenda: '', theme: '', courseId: null, videoUrl: '', placeInQpv: false });

    const twice = await trainer.client.post(`/cycles/${cycle.id}/gatherings`, {
      ...seanceForm({ title: 'Séance en double', date: '2026-07-02' }),
      agenda: ['un', 'deux'],
      courseId: ['a', 'b'],
      videoUrl: ['https://a.example', 'https://b.example'],
    });
    expect(twice.statusCode).toBe(422);
    expect(fieldError(twice.body, 'agenda')).toBe('Cette valeur n’est pas valable.');
    expect(fieldError(twice.body, 'courseId')).toBe('Ce choix n’existe pas dans la liste.');
    expect(fieldError(twice.body, 'videoUrl')).toBe(
      'Le lien doit commencer par https:// et ne pas contenir d’espace.',
    );
    expect(text(twice.body)).not.toMatch(/Invalid|expected/);
  });

  it('has no required select whose first option is a real choice (HTML checker)', async () => {
    const form = (await trainer.client.get(`/cycles/${cycle.id}/gatherings/new`)).body;
    const selects = [...form.matchAll(/<select ([^>]*)>\s*<option value="([^"]*)"/g)];
    expect(selects.map((m) => /name="(\w+)"/.exec(m[1]!)![1])).toEqual([
      'courseId',
      'facilitatorId',
      'timeZone',
    ]);
    for (const [, attributes, firstValue] of selects)
      if (/\brequired\b/.test(attributes!)) expect(firstValue, attributes).toBe('');
    // The facilitator and the zone always have a sensible default, chosen for the person.
    expect(form).toMatch(new RegExp(`<option value="${trainer.id}" selected>`));
    expect(form).toMatch(/<option value="Europe\/Paris" selected>/);
  });

  it('calls the free topic « Thème » on the form and on the page', async () => {
    const form = text((await trainer.client.get(`/cycles/${cycle.id}/gatherings/new`)).body);
    expect(form).toContain('Thème (facultatif)');
    const seance = await schedule(
      seanceForm({ title: 'Séance à thème', date: '2026-06-03', theme: 'Trouver une salle municipale' }),
    );
    const page = text((await member.client.get(`/gatherings/${seance.id}`)).body);
    expect(page).toContain('Thème Trouver une salle municipale');
    expect(page).not.toContain('Sujet');
  });

  it('is only for the cycle’s runners', async () => {
    // Members are refused by the route's rule (policy/route-rules.ts: cycle runners) before any id is read.
    expect((await member.client.get(`/cycles/${cycle.id}/gatherings/new`)).statusCode).toBe(403);
    const res = await member.client.post(
      `/cycles/${cycle.id}/gatherings`,
      seanceForm({ title: 'Séance pirate' }),
    );
    expect(res.statusCode).toBe(403);
    expect((await otherMember.client.get(`/cycles/${cycle.id}/gatherings/new`)).statusCode).toBe(403);
    const form = await trainer.client.get(`/cycles/${cycle.id}/gatherings/new`);
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toContain('Programmer une séance');
  });

  it('warns when the facilitator already leads a séance then, and schedules once confirmed', async () => {
    world.schedule(trainer, cycle, {
      title: 'Séance déjà prévue',
      startsAt: new Date('2026-06-10T16:30:00Z'),
      endsAt: new Date('2026-06-10T18:30:00Z'),
    });
    const form = seanceForm({
      title: 'Séance en même temps',
      date: '2026-06-10',
      startTime: '19:00',
      endTime: '21:00',
    });
    const warned = await trainer.client.post(`/cycles/${cycle.id}/gatherings`, form);
    expect(warned.statusCode).toBe(422);
    const page = text(warned.body);
    expect(page).toContain('Attention : la personne qui anime a déjà une séance à ce moment-là.');
    expect(page).toContain(
      'Séance déjà prévue — mercredi 10 juin 2026, de 18 h 30 à 20 h 30 (heure de Paris)',
    );
    expect(fieldError(warned.body, 'confirmOverlap')).toBe(
      'La personne qui anime a déjà une séance à ce moment-là : cochez la case pour confirmer.',
    );
    expect(warned.body).toMatch(/<input[^>]*name="confirmOverlap"/);
    expect(warned.body).toContain('value="Séance en même temps"');
    expect(
      world.ctx.db.select().from(gatherings).where(eq(gatherings.title, 'Séance en même temps')).get(),
    ).toBeUndefined();

    const confirmed = await schedule({ ...form, confirmOverlap: 'on' });
    expect(confirmed.title).toBe('Séance en même temps');
  });
});

describe('editing and cancelling', () => {
  it('bumps the calendar sequence and emails everyone signed up, waiting list included', async () => {
    const seance = world.schedule(trainer, cycle, { title: 'Séance à déplacer', capacity: 1 });
    const waiting = await world.person('member', world.osim.id);
    const gone = await world.person('member', world.osim.id);
    world.enrol(cycle, waiting, gone);
    signUp(world.ctx.db, seance, member.id);
    signUp(world.ctx.db, seance, waiting.id);
    expect(seance.sequence).toBe(0);

    const edit = await trainer.client.get(`/gatherings/${seance.id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="Séance à déplacer"');
    expect((await member.client.get(`/gatherings/${seance.id}/edit`)).statusCode).toBe(404);

    const date = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);
    const res = await trainer.client.post(
      `/gatherings/${seance.id}`,
      seanceForm({ title: 'Séance déplacée', date, startTime: '10:00', endTime: '12:00', capacity: '1' }),
    );
    expect(res.statusCode).toBe(303);
    const after = world.gathering(seance.id);
    expect(after.sequence).toBe(1);
    expect(after.uid).toBe(seance.uid);
    expect(after.title).toBe('Séance déplacée');

    for (const p of [member, waiting]) {
      const mails = world
        .mails(p.email)
        .filter((m) => m.subject === 'Séance modifiée\u00a0: Séance déplacée');
      expect(mails).toHaveLength(1);
      // Times in French typography: a no-break space before and after « h ».
      expect(mails[0]!.textBody).toContain('de 10\u00a0h à 12\u00a0h (heure de Paris)');
      expect(mails[0]!.textBody).toContain(`${world.ctx.config.baseUrl}/gatherings/${seance.id}`);
    }
    expect(world.mails(gone.email)).toHaveLength(0);
    expect(text((await trainer.client.get(`/gatherings/${seance.id}`)).body)).toContain(
      'La séance est modifiée ; les personnes inscrites sont prévenues par e-mail.',
    );
  });

  it('needs a reason to cancel, then marks the séance cancelled and tells everyone', async () => {
    const seance = world.schedule(trainer, cycle, { title: 'Séance à annuler' });
    signUp(world.ctx.db, seance, member.id);

    const form = await trainer.client.get(`/gatherings/${seance.id}/cancel`);
    expect(text(form.body)).toContain(
      'Les personnes inscrites, liste d’attente comprise (1), recevront un e-mail',
    );
    expect(
      (await member.client.post(`/gatherings/${seance.id}/cancel`, { reason: 'Je ne veux pas' })).statusCode,
    ).toBe(404);

    const empty = await trainer.client.post(`/gatherings/${seance.id}/cancel`, { reason: '  ' });
    expect(empty.statusCode).toBe(422);
    expect(fieldError(empty.body, 'reason')).toBe('Indiquez la raison de l’annulation.');
    expect(world.gathering(seance.id).cancelledAt).toBeNull();

    const res = await trainer.client.post(`/gatherings/${seance.id}/cancel`, {
      reason: 'Salle indisponible',
    });
    expect(res.statusCode).toBe(303);
    const after = world.gathering(seance.id);
    expect(after.cancelledAt).not.toBeNull();
    expect(after.cancelReason).toBe('Salle indisponible');
    expect(after.sequence).toBe(1);

    const mails = world
      .mails(member.email)
      .filter((m) => m.subject === 'Séance annulée\u00a0: Séance à annuler');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.textBody).toContain('Raison\u00a0: Salle indisponible');

    const page = text((await member.client.get(`/gatherings/${seance.id}`)).body);
    expect(page).toContain('Séance annulée — Salle indisponible');
    expect(page).not.toContain('Annuler mon inscription');
    // A cancelled séance is not edited any more.
    expect((await trainer.client.get(`/gatherings/${seance.id}/edit`)).statusCode).toBe(422);
    const edit = await trainer.client.post(
      `/gatherings/${seance.id}`,
      seanceForm({ title: 'Revenue', date: '2026-09-09' }),
    );
    expect(edit.statusCode).toBe(422);
    expect(text(edit.body)).toContain('Cette séance est annulée.');
  });

  it('hides the séance from a member of another COSIM', async () => {
    const seance = world.schedule(trainer, cycle, { title: 'Séance de Bretagne' });
    expect((await otherMember.client.get(`/gatherings/${seance.id}`)).statusCode).toBe(404);
    expect((await otherMember.client.post(`/gatherings/${seance.id}/signup`)).statusCode).toBe(404);
  });
});

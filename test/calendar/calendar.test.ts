// Calendars through HTTP, read back as a calendar app does (ical.js): a séance's .ics download,
// and a person's private subscription feed — shown once, public by its secret token, the person's
// séances only, dead once renewed or revoked.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Cycle, users } from '../../src/db/schema.ts';
import { cancelSignup, signUp } from '../../src/gatherings/signups.ts';
import { createWorld, DAY, type Person, type World } from '../gatherings/world.ts';
import { BASE_URL, TestClient, text } from '../helpers.ts';

let world: World;
let trainer: Person;
let cycle: Cycle;

beforeAll(async () => {
  world = await createWorld();
  trainer = await world.person('trainer', world.bretagne.id);
  cycle = world.openCycle(trainer);
});
afterAll(() => world.close());
afterEach(() => ICAL.TimezoneService.reset());

/** Parses like a calendar app: registers the file's VTIMEZONEs, then reads the events. */
function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtimezone);
  return calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
}

/** The secret address shown once on the calendar page. */
function feedUrl(html: string): string {
  const match = /id="feed-url"[^>]*value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no feed URL on the page');
  return match[1]!;
}

/** A calendar app: no cookie, no session. */
const calendarApp = () => new TestClient(world.ctx.app, '203.0.113.9');
const path = (url: string) => url.slice(BASE_URL.length);

describe('one séance’s .ics', () => {
  it('has the séance’s UID, SEQUENCE and start in its own zone, and follows edits', async () => {
    const member = await world.person('member', world.osim.id);
    const seance = world.schedule(trainer, cycle, {
      title: 'Atelier budget',
      startsAt: new Date('2026-03-26T17:30:00Z'),
      endsAt: new Date('2026-03-26T19:30:00Z'),
    });
    const res = await member.client.get(`/gatherings/${seance.id}/calendar.ics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="seance-${seance.id}.ics"`);
    const [event] = parse(res.body);
    expect(event!.uid).toBe(seance.uid);
    expect(event!.sequence).toBe(0);
    expect(event!.summary).toBe('Atelier budget');
    expect(event!.component.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Europe/Paris');
    expect([event!.startDate.hour, event!.startDate.minute]).toEqual([18, 30]);
    expect(event!.startDate.toJSDate().toISOString()).toBe('2026-03-26T17:30:00.000Z');
    expect(event!.location).toBe('Maison de quartier du Blosne, 7 boulevard de Yougoslavie, Rennes');
    expect(String(event!.component.getFirstPropertyValue('url'))).toBe(`${BASE_URL}/gatherings/${seance.id}`);

    const date = new Date(Date.now() + 20 * DAY).toISOString().slice(0, 10);
    const edit = await trainer.client.post(`/gatherings/${seance.id}`, {
      title: 'Atelier budget (déplacé)',
      facilitatorId: String(trainer.id),
      date,
      startTime: '09:15',
      endTime: '11:00',
      timeZone: 'Indian/Reunion',
      mode: 'online',
      videoUrl: 'https://visio.example/budget',
      capacity: '20',
    });
    expect(edit.statusCode, text(edit.body)).toBe(303);
    const [moved] = parse((await member.client.get(`/gatherings/${seance.id}/calendar.ics`)).body);
    expect(moved!.uid).toBe(seance.uid);
    expect(moved!.sequence).toBe(1);
    expect(moved!.component.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Indian/Reunion');
    expect([moved!.startDate.hour, moved!.startDate.minute]).toEqual([9, 15]);
    expect(moved!.location).toBe('En ligne');
  });

  it('is 404 for someone outside the collective', async () => {
    const seance = world.schedule(trainer, cycle, { title: 'Séance privée' });
    const outsider = await world.person('member', world.occitanie.id);
    expect((await outsider.client.get(`/gatherings/${seance.id}/calendar.ics`)).statusCode).toBe(404);
  });
});

describe('the private feed', () => {
  it('shows the address once, and serves the person’s séances without a session', async () => {
    const me = await world.person('member', world.osim.id);
    world.enrol(cycle, me);
    const seated = world.schedule(trainer, cycle, { title: 'Séance où j’ai une place', capacity: 1 });
    const queued = world.schedule(trainer, cycle, { title: 'Séance pleine', capacity: 1 });
    const led = world.schedule(trainer, cycle, { title: 'Séance que j’anime', facilitatorId: me.id });
    const cancelled = world.schedule(trainer, cycle, { title: 'Séance annulée' });
    const left = world.schedule(trainer, cycle, { title: 'Séance quittée' });
    const other = world.schedule(trainer, cycle, { title: 'Séance d’autres' });
    const someone = await world.person('member', world.osim.id);
    world.enrol(cycle, someone);
    signUp(world.ctx.db, seated, me.id);
    signUp(world.ctx.db, queued, someone.id);
    signUp(world.ctx.db, queued, me.id);
    signUp(world.ctx.db, cancelled, me.id);
    signUp(world.ctx.db, left, me.id);
    signUp(world.ctx.db, other, someone.id);
    cancelSignup(world.ctx.db, world.ctx.mailer, BASE_URL, left, me.id);
    const cancel = await trainer.client.post(`/gatherings/${cancelled.id}/cancel`, {
      reason: 'Salle fermée',
    });
    expect(cancel.statusCode).toBe(303);

    const before = await me.client.get('/calendar');
    expect(text(before.body)).toContain('Créer mon lien d’agenda');
    expect(before.body).not.toContain('id="feed-url"');

    const created = await me.client.post('/calendar/feed');
    expect(created.statusCode).toBe(200);
    expect(text(created.body)).toContain('Voici votre lien d’agenda personnel.');
    const url = feedUrl(created.body);
    expect(url).toMatch(new RegExp(`^${BASE_URL}/calendar/[A-Za-z0-9_-]{32}\\.ics$`));
    // Shown once: only a hash is kept.
    const later = await me.client.get('/calendar');
    expect(later.body).not.toContain(url);
    expect(text(later.body)).toContain('Créer un nouveau lien (l’ancien ne marchera plus)');
    expect(text(later.body)).toContain('Supprimer mon lien d’agenda');

    const feed = await calendarApp().get(path(url));
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(feed.headers['x-robots-tag']).toBe('noindex');
    const events = parse(feed.body);
    const byUid = new Map(events.map((e) => [e.uid, e]));
    expect([...byUid.keys()].sort()).toEqual([seated.uid, queued.uid, led.uid, cancelled.uid].sort());
    expect(byUid.get(cancelled.uid)!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(byUid.get(cancelled.uid)!.sequence).toBe(1);
    expect(byUid.get(cancelled.uid)!.description).toContain('Séance annulée : Salle fermée');
    expect(byUid.get(seated.uid)!.component.getFirstPropertyValue('status')).not.toBe('CANCELLED');
    expect(feed.body).not.toContain('Séance d’autres');
  });

  it('stops answering the old address once renewed, and any once revoked', async () => {
    const me = await world.person('member', world.osim.id);
    const first = feedUrl((await me.client.post('/calendar/feed')).body);
    expect((await calendarApp().get(path(first))).statusCode).toBe(200);

    const second = feedUrl((await me.client.post('/calendar/feed')).body);
    expect(second).not.toBe(first);
    const old = await calendarApp().get(path(first));
    expect(old.statusCode).toBe(404);
    expect(old.headers['content-type']).not.toContain('text/calendar');
    expect((await calendarApp().get(path(second))).statusCode).toBe(200);

    const revoke = await me.client.post('/calendar/feed/revoke');
    expect(revoke.statusCode).toBe(303);
    expect(text((await me.client.get('/calendar')).body)).toContain('Votre lien d’agenda est supprimé.');
    expect((await calendarApp().get(path(second))).statusCode).toBe(404);
    expect(text((await me.client.get('/calendar')).body)).toContain('Créer mon lien d’agenda');
  });

  it('is 404 for a random token, and for a disabled account', async () => {
    const random = randomBytes(24).toString('base64url');
    expect((await calendarApp().get(`/calendar/${random}.ics`)).statusCode).toBe(404);
    expect((await calendarApp().get(`/calendar/${random}`)).statusCode).toBe(404);
    expect((await calendarApp().get('/calendar/feed')).statusCode).toBe(404);

    const me = await world.person('member', world.osim.id);
    const url = feedUrl((await me.client.post('/calendar/feed')).body);
    world.ctx.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, me.id)).run();
    expect((await calendarApp().get(path(url))).statusCode).toBe(404);
  });

  it('needs a session to make or revoke an address', async () => {
    const anonymous = calendarApp();
    expect((await anonymous.get('/calendar')).statusCode).toBe(303);
    const post = await anonymous.post('/calendar/feed');
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toMatch(/^\/login\?next=/);
  });
});

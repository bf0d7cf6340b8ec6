// The .ics files as a calendar app reads them: parsed back with ical.js, times resolved through the
// VTIMEZONE blocks found in the file itself. The facilitator is named, never given by e-mail.
import ICAL from 'ical.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { calendarIcs, type IcsEvent, organizerAddress } from '../../src/calendar/ics.ts';
import type { Cycle } from '../../src/db/schema.ts';
import { createWorld, type Person, type World } from '../gatherings/world.ts';

/** The app's sender address (MAIL_FROM's default). */
const SENDER = 'passerelle@forim.test';

const now = new Date('2026-03-02T08:00:00Z');

function seance(overrides: Partial<IcsEvent> = {}): IcsEvent {
  return {
    uid: 'gathering-12-k3x9q@passerelle.forim',
    sequence: 0,
    title: 'Séance 3 : présenter son projet',
    description: 'Préparer 5 minutes de présentation.',
    startsAt: new Date('2026-03-26T17:30:00Z'),
    endsAt: new Date('2026-03-26T19:30:00Z'),
    timeZone: 'Europe/Paris',
    location: 'Maison de quartier, 12 rue X, Rennes',
    url: 'https://passerelle.example/seances/12',
    cancelled: false,
    updatedAt: new Date('2026-03-01T10:00:00Z'),
    ...overrides,
  };
}

/** Parses like a calendar app: registers the file's VTIMEZONEs, then reads the events. */
function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const zones = calendar.getAllSubcomponents('vtimezone').map((vtimezone) => {
    ICAL.TimezoneService.register(vtimezone);
    return String(vtimezone.getFirstPropertyValue('tzid'));
  });
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
  return { calendar, zones, events };
}

function single(event: IcsEvent) {
  const { events, zones } = parse(
    calendarIcs({ name: 'Séance', events: [event], now, organizerEmail: SENDER }),
  );
  expect(events).toHaveLength(1);
  return { event: events[0]!, zones };
}

afterEach(() => {
  ICAL.TimezoneService.reset();
});

describe('calendarIcs', () => {
  it('keeps 18:30 Paris time on both sides of the March 2026 DST change', () => {
    const cases = [
      { startsAt: '2026-03-26T17:30:00Z', endsAt: '2026-03-26T19:30:00Z' },
      { startsAt: '2026-04-02T16:30:00Z', endsAt: '2026-04-02T18:30:00Z' },
    ];
    for (const { startsAt, endsAt } of cases) {
      const { event, zones } = single(seance({ startsAt: new Date(startsAt), endsAt: new Date(endsAt) }));
      expect(zones).toEqual(['Europe/Paris']);
      expect(event.component.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Europe/Paris');
      expect(event.startDate.zone?.tzid).toBe('Europe/Paris');
      expect([event.startDate.hour, event.startDate.minute]).toEqual([18, 30]);
      expect([event.endDate.hour, event.endDate.minute]).toEqual([20, 30]);
      expect(event.startDate.toJSDate().toISOString()).toBe(new Date(startsAt).toISOString());
      expect(event.endDate.toJSDate().toISOString()).toBe(new Date(endsAt).toISOString());
    }
  });

  it('places Réunion and Guadeloupe séances at the right instant, each with its own VTIMEZONE', () => {
    const cases = [
      { timeZone: 'Indian/Reunion', startsAt: '2026-04-02T14:30:00Z', localHour: 18 },
      { timeZone: 'America/Guadeloupe', startsAt: '2026-04-02T22:30:00Z', localHour: 18 },
    ];
    for (const { timeZone, startsAt, localHour } of cases) {
      const start = new Date(startsAt);
      const end = new Date(start.getTime() + 2 * 3600_000);
      const { event, zones } = single(seance({ timeZone, startsAt: start, endsAt: end }));
      // The library maps these links to Asia/Dubai and America/Puerto_Rico; the file must not.
      expect(zones).toEqual([timeZone]);
      expect(event.component.getFirstProperty('dtstart')?.getParameter('tzid')).toBe(timeZone);
      expect(event.startDate.zone?.tzid).toBe(timeZone);
      expect(event.startDate.hour).toBe(localHour);
      expect(event.startDate.toJSDate().toISOString()).toBe(start.toISOString());
      expect(event.endDate.toJSDate().toISOString()).toBe(end.toISOString());
    }
  });

  it('round-trips text exactly and writes CRLF lines of at most 75 octets', () => {
    const title = 'Séance 4 ; « Écrire, relire » — ça avance';
    const description = [
      'Bonjour à toutes et à tous,',
      'Apportez : un stylo; vos notes, et votre bonne humeur.',
      `Très long paragraphe : ${'éàçœ€ '.repeat(30)}fin.`,
      '',
      'Antislash \\ et "guillemets".',
    ].join('\n');
    const location = 'Maison de quartier, 12 rue X; 2e étage, Rennes';
    const organizer = { name: 'Fatou Diallo-Lefèvre' };
    const ics = calendarIcs({
      name: 'Mes séances, FORIM; Passerelle',
      events: [seance({ title, description, location, organizer })],
      now,
      organizerEmail: SENDER,
    });

    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const lines = ics.slice(0, -2).split('\r\n');
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);

    const { calendar, events } = parse(ics);
    const event = events[0]!;
    expect(event.summary).toBe(title);
    expect(event.description).toBe(description);
    expect(event.location).toBe(location);
    expect(event.organizer).toBe(`mailto:${SENDER}`);
    expect(event.component.getFirstProperty('organizer')?.getParameter('cn')).toBe(organizer.name);
    expect(event.component.getFirstPropertyValue('url')).toBe('https://passerelle.example/seances/12');
    // X-WR-CALNAME is an X- property, so ical.js leaves its TEXT escaping in place.
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Mes séances\\, FORIM\\; Passerelle');
  });

  it('writes the calendar header and the event metadata a calendar app relies on', () => {
    const ics = calendarIcs({
      name: 'Séance',
      events: [seance({ sequence: 3 })],
      now,
      organizerEmail: SENDER,
    });
    const { calendar, events } = parse(ics);
    const event = events[0]!;
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//FORIM//Passerelle//FR');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(event.uid).toBe('gathering-12-k3x9q@passerelle.forim');
    expect(event.sequence).toBe(3);
    expect(event.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    const stamp = event.component.getFirstPropertyValue('dtstamp') as ICAL.Time;
    expect(stamp.toJSDate().toISOString()).toBe(now.toISOString());
    const lastModified = event.component.getFirstPropertyValue('last-modified') as ICAL.Time;
    expect(lastModified.toJSDate().toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(event.component.hasProperty('organizer')).toBe(false);
  });

  it('keeps the UID across edits and marks a cancelled séance', () => {
    const before = single(seance({ sequence: 1 })).event;
    const after = single(
      seance({ sequence: 2, cancelled: true, startsAt: new Date('2026-03-27T17:30:00Z') }),
    ).event;
    expect(after.uid).toBe(before.uid);
    expect(after.uid).toBe('gathering-12-k3x9q@passerelle.forim');
    expect(after.sequence).toBe(2);
    expect(after.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(after.summary).toBe('ANNULÉE — Séance 3 : présenter son projet');
  });

  it('builds a feed with one VEVENT per séance and one VTIMEZONE per zone used', () => {
    const ics = calendarIcs({
      name: 'Mes séances',
      now,
      organizerEmail: SENDER,
      events: [
        seance({ uid: 'gathering-1-a@passerelle.forim' }),
        seance({
          uid: 'gathering-2-b@passerelle.forim',
          startsAt: new Date('2026-04-02T16:30:00Z'),
          endsAt: new Date('2026-04-02T18:30:00Z'),
          cancelled: true,
        }),
        seance({
          uid: 'gathering-3-c@passerelle.forim',
          timeZone: 'Indian/Reunion',
          startsAt: new Date('2026-04-09T14:30:00Z'),
          endsAt: new Date('2026-04-09T16:30:00Z'),
        }),
      ],
    });
    const { events, zones } = parse(ics);
    expect(events.map((event) => event.uid)).toEqual([
      'gathering-1-a@passerelle.forim',
      'gathering-2-b@passerelle.forim',
      'gathering-3-c@passerelle.forim',
    ]);
    expect(zones.sort()).toEqual(['Europe/Paris', 'Indian/Reunion']);
    const used = new Set(
      events.map((event) => event.component.getFirstProperty('dtstart')?.getParameter('tzid')),
    );
    expect([...used].sort()).toEqual(zones);
  });

  it('falls back to UTC times for a zone it does not know', () => {
    const startsAt = new Date('2026-03-26T17:30:00Z');
    const build = () =>
      calendarIcs({
        name: 'Séance',
        events: [seance({ timeZone: 'Mars/Olympus_Mons', startsAt })],
        now,
        organizerEmail: SENDER,
      });
    expect(build).not.toThrow();
    const { event, zones } = single(seance({ timeZone: 'Mars/Olympus_Mons', startsAt }));
    expect(zones).toEqual([]);
    expect(event.component.getFirstProperty('dtstart')?.getParameter('tzid')).toBeUndefined();
    expect(event.startDate.zone?.tzid).toBe('UTC');
    expect(event.startDate.toJSDate().toISOString()).toBe(startsAt.toISOString());
  });
});

describe('the facilitator in the .ics files people download', () => {
  let world: World;
  let trainer: Person;
  let peer: Person;
  let classmate: Person;
  let cycle: Cycle;

  beforeAll(async () => {
    world = await createWorld();
    trainer = await world.person('trainer', world.bretagne.id);
    cycle = world.openCycle(trainer);
    // A peer exchange led by a learner of the cycle: their address is their own.
    peer = await world.person('member', world.osim.id);
    classmate = await world.person('member', world.osim.id);
    world.enrol(cycle, peer, classmate);
  });
  afterAll(() => world.close());

  it('names the facilitator and gives the app’s address, never theirs: the séance’s .ics and the feed', async () => {
    const seance = world.schedule(trainer, cycle, {
      title: 'Échange entre pairs : le budget',
      facilitatorId: peer.id,
    });
    world.signUp(seance, classmate);
    const download = await classmate.client.get(`/gatherings/${seance.id}/calendar.ics`);
    expect(download.statusCode).toBe(200);

    // The private feed's address is shown once, in the answer that makes it.
    const feedPage = (await classmate.client.post('/calendar/feed')).body;
    const feedPath = /id="feed-url"[^>]*value="[^"]*?(\/calendar\/[^"]+)"/.exec(feedPage)?.[1];
    const feed = feedPath ? await world.ctx.app.inject({ method: 'GET', url: feedPath }) : undefined;

    for (const ics of [download.body, feed?.body ?? '']) {
      expect(ics).not.toContain(peer.email);
      const event = new ICAL.Component(ICAL.parse(ics))
        .getAllSubcomponents('vevent')
        .map((vevent) => new ICAL.Event(vevent))
        .find((e) => e.summary === 'Échange entre pairs : le budget')!;
      expect(event.organizer).toBe(`mailto:${organizerAddress(world.ctx.config.mailFrom)}`);
      expect(event.component.getFirstProperty('organizer')?.getParameter('cn')).toBe(peer.displayName);
      expect(event.description).toContain(`Animée par ${peer.displayName}`);
    }
    expect(feed?.statusCode).toBe(200);
  });

  it('reads the address out of MAIL_FROM', () => {
    expect(organizerAddress('Passerelle FORIM <passerelle@forim.test>')).toBe('passerelle@forim.test');
    expect(organizerAddress('passerelle@forim.net')).toBe('passerelle@forim.net');
  });
});

// Séance reminders as people receive them: a real SMTP server on loopback collects what Passerelle
// sends. The day-before reminder goes to those with a seat (never to the waiting list), a séance
// close enough gets only the hours-before one, each goes once — also after a restart — a moved
// séance is reminded again, a cancelled one never.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCycle, enrol } from '../../src/cycles/cycles.ts';
import { type Cycle, cycles, type Gathering, gatherings } from '../../src/db/schema.ts';
import {
  cancelGathering,
  createGathering,
  type GatheringInput,
  updateGathering,
} from '../../src/gatherings/gatherings.ts';
import { sendDueReminders } from '../../src/gatherings/reminders.ts';
import { signUp } from '../../src/gatherings/signups.ts';
import { type CurrentUser, loadCurrentUser } from '../../src/people/users.ts';
import { BASE_URL, createOrganization, createTestApp, createUser, type TestContext } from '../helpers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Wednesday 24 March 2027, 15:30 UTC: 16:30 in Paris (winter time), 19:30 in La Réunion. */
const NOW = new Date('2027-03-24T15:30:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);

// ——— The SMTP side ———

interface Mail {
  to: string[];
  subject: string;
  body: string;
}

/** Quoted-printable (RFC 2045) to text: soft line breaks removed, `=XX` bytes read as UTF-8. */
function fromQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const flat = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < flat.length; i += 1) {
    if (flat[i] === '=' && /^[0-9A-F]{2}$/i.test(flat.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(flat.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(flat.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words in a header; the space between two of them is not part of the text. */
function decodeHeader(value: string): string {
  return value.replace(
    /=\?[^?]+\?([QqBb])\?([^?]*)\?=(?:\s+(?==\?))?/g,
    (_, encoding: string, word: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(word, 'base64').toString('utf8')
        : fromQuotedPrintable(word.replace(/_/g, ' ')),
  );
}

/** The subject and the text of a single-part message, as a mail client shows them. */
function readMessage(raw: string, to: string[]): Mail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of raw
    .slice(0, split)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  expect(headers.get('content-type')).toMatch(/^text\/plain/);
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const content = raw.slice(split + 4);
  const body =
    encoding === 'quoted-printable'
      ? fromQuotedPrintable(content)
      : encoding === 'base64'
        ? Buffer.from(content, 'base64').toString('utf8')
        : content;
  return {
    to,
    subject: decodeHeader(headers.get('subject') ?? ''),
    // Times are written with no-break spaces ("18 h 30"); read them as a person does.
    body: body.replace(/\r\n/g, '\n').replaceAll('\u00a0', ' '),
  };
}

let server: SMTPServer;
let smtpUrl: string;
const inbox: Mail[] = [];

/** What the SMTP server received since the last call, once everything queued is delivered. */
async function delivered(): Promise<Mail[]> {
  await ctx.mailer.flush();
  return inbox.splice(0).sort((a, b) => a.to[0]!.localeCompare(b.to[0]!));
}

// ——— The app and its séances ———

let dir: string;
let databasePath: string;
let ctx: TestContext;
let runner: CurrentUser;
let cycle: Cycle;
let people: Record<'anna' | 'bakary' | 'chloe' | 'dina' | 'eric', { id: number; email: string }>;
let tomorrow: Gathering;
let soon: Gathering;
let cancelled: Gathering;

const reminders = (now: Date) =>
  sendDueReminders(ctx.db, ctx.mailer, ctx.config.baseUrl, { hoursBefore: 2, now });
const reload = (g: Gathering) => ctx.db.select().from(gatherings).where(eq(gatherings.id, g.id)).get()!;

function input(overrides: Partial<GatheringInput> & Pick<GatheringInput, 'startsAt'>): GatheringInput {
  return {
    title: 'Atelier budget : le plan de financement',
    courseId: null,
    theme: 'Monter son plan de financement',
    facilitatorId: runner.id,
    endsAt: new Date(overrides.startsAt.getTime() + 2 * HOUR),
    timeZone: 'Europe/Paris',
    mode: 'in_person',
    placeName: 'Maison de quartier',
    address: '12 rue des Lilas',
    town: 'Saint-Denis',
    placeInQpv: false,
    videoUrl: '',
    capacity: 2,
    agenda: '',
    ...overrides,
  };
}

function schedule(overrides: Partial<GatheringInput> & Pick<GatheringInput, 'startsAt'>): Gathering {
  const id = createGathering(ctx.db, runner, cycle, input(overrides), NOW);
  return ctx.db.select().from(gatherings).where(eq(gatherings.id, id)).get()!;
}

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        inbox.push(readMessage(Buffer.concat(chunks).toString('utf8'), to));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;

  dir = mkdtempSync(join(tmpdir(), 'passerelle-reminders-'));
  databasePath = join(dir, 'passerelle.db');
  ctx = await createTestApp({ databasePath, content: true, env: { SMTP_URL: smtpUrl } });
  const { db } = ctx;

  runner = loadCurrentUser(db, (await createUser(db, { role: 'admin' })).id)!;
  const cycleId = createCycle(db, runner, {
    name: 'Cycle national 2027',
    collectiveId: null,
    startsOn: '2027-01-01',
    endsOn: '2027-06-30',
    enrolment: 'invitation',
  });
  cycle = db.select().from(cycles).where(eq(cycles.id, cycleId)).get()!;
  const osim = createOrganization(db, { kind: 'osim' });
  const person = async (email: string, displayName: string) => {
    const user = await createUser(db, { role: 'member', organizationId: osim.id, email, displayName });
    enrol(db, cycle, user.id, runner.id, NOW);
    return { id: user.id, email };
  };
  people = {
    anna: await person('anna@exemple.test', 'Anna Rakoto'),
    bakary: await person('bakary@exemple.test', 'Bakary Diallo'),
    chloe: await person('chloe@exemple.test', 'Chloé Payet'),
    dina: await person('dina@exemple.test', 'Dina Hoarau'),
    eric: await person('eric@exemple.test', 'Éric Nativel'),
  };

  // Tomorrow 18:30 in La Réunion (23 h from now): two seats taken, one person waiting.
  tomorrow = schedule({ startsAt: later(23 * HOUR), timeZone: 'Indian/Reunion' });
  expect(signUp(db, tomorrow, people.anna.id, NOW)).toBe('confirmed');
  expect(signUp(db, tomorrow, people.bakary.id, NOW)).toBe('confirmed');
  expect(signUp(db, tomorrow, people.chloe.id, NOW)).toBe('waiting');
  // Today 18:00 in Paris, online (in 90 minutes): one seat taken.
  soon = schedule({
    title: 'Point d’étape en ligne',
    startsAt: later(90 * MINUTE),
    mode: 'online',
    placeName: '',
    address: '',
    town: '',
    videoUrl: 'https://visio.exemple.org/point-etape',
  });
  expect(signUp(db, soon, people.dina.id, NOW)).toBe('confirmed');
  // Tomorrow 13:30 in Paris (in 21 h), cancelled after Éric signed up.
  cancelled = schedule({ title: 'Visite de projet', startsAt: later(21 * HOUR) });
  expect(signUp(db, cancelled, people.eric.id, NOW)).toBe('confirmed');
  cancelGathering(db, ctx.mailer, ctx.config.baseUrl, runner, cycle, cancelled, 'Salle indisponible', NOW);
  const told = await delivered();
  expect(told.map((m) => [m.to, m.subject])).toEqual([
    [[people.eric.email], 'Séance annulée\u00a0: Visite de projet'],
  ]);
});

afterAll(async () => {
  await ctx?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('séance reminders over SMTP', () => {
  it('sends the day-before reminder to those with a seat, and only the hours-before one to a séance in 90 minutes', async () => {
    expect(reminders(NOW)).toBe(3);
    const mails = await delivered();
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      [[people.anna.email], 'Demain\u00a0: Atelier budget : le plan de financement'],
      [[people.bakary.email], 'Demain\u00a0: Atelier budget : le plan de financement'],
      [[people.dina.email], 'Bientôt\u00a0: Point d’étape en ligne'],
    ]);

    const [anna, , dina] = mails;
    // The séance's own time and zone, in French: 14:30 UTC is 18:30 in La Réunion.
    expect(anna!.body).toContain('Bonjour Anna Rakoto,');
    expect(anna!.body).toContain('« Atelier budget : le plan de financement »');
    expect(anna!.body).toContain('Quand : jeudi 25 mars 2027, de 18 h 30 à 20 h 30 (heure de La Réunion)');
    expect(anna!.body).toContain('Où : Maison de quartier, 12 rue des Lilas, Saint-Denis');
    expect(anna!.body).toContain(`${BASE_URL}/gatherings/${tomorrow.id}`);
    // 17:00 UTC is 18:00 in Paris (winter time, before the change of 28 March 2027).
    expect(dina!.body).toContain('Bonjour Dina Hoarau,');
    expect(dina!.body).toContain('Quand : mercredi 24 mars 2027, de 18 h à 20 h (heure de Paris)');
    expect(dina!.body).toContain('Où : En ligne : https://visio.exemple.org/point-etape');
    expect(dina!.body).toContain(`${BASE_URL}/gatherings/${soon.id}`);
  });

  it('sends each reminder once: on the next runs, and after a restart on the same database', async () => {
    expect(reminders(NOW)).toBe(0);
    expect(reminders(later(MINUTE))).toBe(0);
    expect(reminders(later(30 * MINUTE))).toBe(0);
    expect(await delivered()).toEqual([]);

    await ctx.close();
    ctx = await createTestApp({ databasePath, content: true, env: { SMTP_URL: smtpUrl } });
    expect(reminders(later(31 * MINUTE))).toBe(0);
    // The new process's mailer finds nothing left to deliver either.
    expect(await delivered()).toEqual([]);
  });

  it('reminds people again, once, of a séance moved to another time', async () => {
    const moved = later(22 * HOUR); // 17:30 in La Réunion
    const current = reload(tomorrow);
    updateGathering(
      ctx.db,
      ctx.mailer,
      ctx.config.baseUrl,
      runner,
      cycle,
      current,
      input({
        startsAt: moved,
        timeZone: 'Indian/Reunion',
      }),
      later(40 * MINUTE),
    );
    const changed = await delivered();
    expect(changed.map((m) => m.subject)).toEqual(
      Array(3).fill('Séance modifiée\u00a0: Atelier budget : le plan de financement'),
    );

    expect(reminders(later(41 * MINUTE))).toBe(2);
    const mails = await delivered();
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      [[people.anna.email], 'Demain\u00a0: Atelier budget : le plan de financement'],
      [[people.bakary.email], 'Demain\u00a0: Atelier budget : le plan de financement'],
    ]);
    expect(mails[0]!.body).toContain(
      'Quand : jeudi 25 mars 2027, de 17 h 30 à 19 h 30 (heure de La Réunion)',
    );
    expect(reminders(later(42 * MINUTE))).toBe(0);
    expect(await delivered()).toEqual([]);
  });

  it('adds the hours-before reminder on the day, still to seats only, and never reminds of a cancelled séance', async () => {
    // Two hours before the moved séance; the cancelled one would have started an hour later.
    const dayOf = later(20 * HOUR);
    expect(reminders(dayOf)).toBe(2);
    const mails = await delivered();
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      [[people.anna.email], 'Bientôt\u00a0: Atelier budget : le plan de financement'],
      [[people.bakary.email], 'Bientôt\u00a0: Atelier budget : le plan de financement'],
    ]);
    expect(reminders(later(20 * HOUR + MINUTE))).toBe(0);
    expect(await delivered()).toEqual([]);
  });

  it('never sent a reminder to the waiting list or to people of the cancelled séance', () => {
    const sent = ctx.db.$client
      .prepare('SELECT user_id AS userId, gathering_id AS gatheringId, kind FROM gathering_reminders')
      .all() as Array<{ userId: number; gatheringId: number; kind: string }>;
    expect(sent.filter((r) => r.userId === people.chloe.id || r.userId === people.eric.id)).toEqual([]);
    expect(sent.filter((r) => r.gatheringId === cancelled.id)).toEqual([]);
    expect(sent.filter((r) => r.gatheringId === soon.id).map((r) => r.kind)).toEqual(['hours_before']);
  });

  it('says « Aujourd’hui » for a séance later the same day, not « Demain »', async () => {
    const morning = new Date('2027-03-30T07:00:00Z'); // 9:00 in Paris
    const g = schedule({ title: 'Permanence du soir', startsAt: new Date('2027-03-30T16:30:00Z') });
    expect(signUp(ctx.db, g, people.dina.id, morning)).toBe('confirmed');
    expect(reminders(morning)).toBe(1);
    expect((await delivered()).map((m) => m.subject)).toEqual(['Aujourd’hui\u00a0: Permanence du soir']);
  });
});

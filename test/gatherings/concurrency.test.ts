// Seats under load: 200 enrolled members press "Je m'inscris" at the same moment, through real
// HTTP against the app listening on loopback and a SQLite file. The capacity holds, seats go in
// the order the server handled the sign-ups (the sign-up's id), the rest wait in that order, and
// seats freed at the same moment go to the first people waiting. One process serves requests one
// at a time, so the last test also races several connections to the same file (worker threads),
// which is where the IMMEDIATE transaction of signUp earns its keep.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/auth/session-store.ts';
import { createCycle, enrol } from '../../src/cycles/cycles.ts';
import { cycles, gatheringSignups } from '../../src/db/schema.ts';
import { createGathering } from '../../src/gatherings/gatherings.ts';
import { waitingPosition } from '../../src/gatherings/signups.ts';
import { listOutbox } from '../../src/mail/outbox.ts';
import { loadCurrentUser } from '../../src/people/users.ts';
import { SESSION_COOKIE } from '../../src/plugins/session.ts';
import { createOrganization, createTestApp, createUser, type TestContext } from '../helpers.ts';

const MEMBERS = 200;
const CAPACITY = 20;
const HOUR = 3600_000;

/** One member as a browser: a session cookie, a CSRF cookie and the token of the page's form. */
interface Member {
  id: number;
  email: string;
  cookie: string;
  csrf: string;
}

interface Answer {
  member: Member;
  status: number;
  location: string | null;
  /** The catalogue key of the flash message the answer carries ("signup.flash.confirmed"…). */
  flash: string | null;
}

let dir: string;
let ctx: TestContext;
let base: string;
let gatheringId: number;
let members: Member[];
let scheduleSeance: (capacity: number) => number;

function cookiesOf(response: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
  }
  return jar;
}

/** Posts the séance's form as the member's browser would (same Origin, `_csrf` field, cookies). */
async function post(member: Member, path: string): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: ctx.config.baseUrl,
      cookie: member.cookie,
    },
    body: new URLSearchParams({ _csrf: member.csrf }).toString(),
  });
  await response.arrayBuffer();
  const raw = cookiesOf(response).get('passerelle_flash');
  const flash = raw
    ? (JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { key: string }).key
    : null;
  return { member, status: response.status, location: response.headers.get('location'), flash };
}

function liveSignups(id = gatheringId) {
  return ctx.db
    .select()
    .from(gatheringSignups)
    .where(eq(gatheringSignups.gatheringId, id))
    .orderBy(asc(gatheringSignups.id))
    .all()
    .filter((s) => s.status !== 'cancelled');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'passerelle-concurrency-'));
  ctx = await createTestApp({ databasePath: join(dir, 'passerelle.db'), content: true });
  const { db } = ctx;

  const admin = await createUser(db, { role: 'admin' });
  const runner = loadCurrentUser(db, admin.id)!;
  const cycleId = createCycle(db, runner, {
    name: 'Cycle national 2027',
    collectiveId: null,
    startsOn: '2026-09-01',
    endsOn: '2027-06-30',
    enrolment: 'invitation',
  });
  const cycle = db.select().from(cycles).where(eq(cycles.id, cycleId)).get()!;
  const osim = createOrganization(db, { kind: 'osim', name: 'Solidarité Test' });
  const people = [];
  for (let i = 0; i < MEMBERS; i += 1) {
    const user = await createUser(db, { role: 'member', organizationId: osim.id });
    enrol(db, cycle, user.id, admin.id);
    people.push(user);
  }
  const startsAt = new Date(Date.now() + 24 * HOUR);
  scheduleSeance = (capacity) =>
    createGathering(db, runner, cycle, {
      title: 'Atelier budget',
      courseId: null,
      theme: 'Monter son plan de financement',
      facilitatorId: admin.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * HOUR),
      timeZone: 'Europe/Paris',
      mode: 'in_person',
      placeName: 'Maison de quartier',
      address: '7 boulevard de Yougoslavie',
      town: 'Rennes',
      placeInQpv: true,
      videoUrl: '',
      capacity,
      agenda: '',
    });
  gatheringId = scheduleSeance(CAPACITY);

  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;

  // Each member opens the séance page once, signed in: the page sets their CSRF cookie and its
  // form carries the matching token, as in a browser.
  members = await Promise.all(
    people.map(async (user) => {
      const session = `${SESSION_COOKIE}=${createSession(db, user.id).token}`;
      const page = await fetch(`${base}/gatherings/${gatheringId}`, { headers: { cookie: session } });
      const html = await page.text();
      expect(page.status).toBe(200);
      const csrfCookie = cookiesOf(page).get('passerelle_csrf');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
      expect(csrfCookie).toBeTruthy();
      expect(csrf).toBeTruthy();
      expect(html).toContain(`action="/gatherings/${gatheringId}/signup"`);
      return {
        id: user.id,
        email: user.email,
        cookie: `${session}; passerelle_csrf=${csrfCookie}`,
        csrf: csrf!,
      };
    }),
  );
}, 60_000);

afterAll(async () => {
  await ctx?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('signing up for a séance under load', () => {
  it('never exceeds the seat count, even under concurrent sign-ups', async () => {
    const started = performance.now();
    const answers = await Promise.all(members.map((m) => post(m, `/gatherings/${gatheringId}/signup`)));
    const elapsed = performance.now() - started;

    // Every request was answered as a plain form post is: 303 back to the sign-up block.
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 303));
    for (const a of answers) expect(a.location).toBe(`/gatherings/${gatheringId}#inscription`);

    const rows = liveSignups();
    expect(rows).toHaveLength(MEMBERS);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(MEMBERS);
    expect(new Set(rows.map((r) => r.userId))).toEqual(new Set(members.map((m) => m.id)));

    // The ids are the order in which the server handled the sign-ups: the seats are the first 20.
    const confirmed = rows.filter((r) => r.status === 'confirmed');
    const waiting = rows.filter((r) => r.status === 'waiting');
    expect(confirmed).toHaveLength(CAPACITY);
    expect(waiting).toHaveLength(MEMBERS - CAPACITY);
    expect(confirmed.map((r) => r.id)).toEqual(rows.slice(0, CAPACITY).map((r) => r.id));
    for (const r of confirmed) expect(r.confirmedAt).not.toBeNull();
    for (const r of waiting) expect(r.confirmedAt).toBeNull();
    // Handled one after the other: the sign-up times never go backwards along the ids.
    for (let i = 1; i < rows.length; i += 1)
      expect(rows[i]!.createdAt.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.createdAt.getTime());

    // Each person was told what the database holds for them.
    const statusOf = new Map(rows.map((r) => [r.userId, r.status]));
    for (const a of answers) expect(a.flash).toBe(`signup.flash.${statusOf.get(a.member.id)}`);

    // The waiting list is 1…180 in arrival order.
    expect(waiting.map((r) => waitingPosition(ctx.db, gatheringId, r.id))).toEqual(
      waiting.map((_, i) => i + 1),
    );

    // Pressing again (a double click, at once) changes nothing.
    const again = [...confirmed.slice(0, 10), ...waiting.slice(0, 10)].map(
      (r) => members.find((m) => m.id === r.userId)!,
    );
    const second = await Promise.all(again.map((m) => post(m, `/gatherings/${gatheringId}/signup`)));
    expect(second.map((a) => a.status)).toEqual(second.map(() => 303));
    expect(liveSignups()).toEqual(rows);

    expect(elapsed).toBeLessThan(15_000);
    console.info(`${MEMBERS} concurrent sign-ups answered in ${Math.round(elapsed)} ms`);
  });

  it('gives seats freed at the same moment to the first people waiting, in order', async () => {
    const before = liveSignups();
    const confirmed = before.filter((r) => r.status === 'confirmed');
    const waiting = before.filter((r) => r.status === 'waiting');
    const leaving = [confirmed[0]!, confirmed[4]!, confirmed[9]!, confirmed[13]!, confirmed[19]!];
    const byId = new Map(members.map((m) => [m.id, m]));

    const answers = await Promise.all(
      leaving.map((r) => post(byId.get(r.userId)!, `/gatherings/${gatheringId}/signup/cancel`)),
    );
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303, 303, 303]);
    for (const a of answers) expect(a.flash).toBe('signup.flash.cancelled');

    const after = liveSignups();
    const nowConfirmed = after.filter((r) => r.status === 'confirmed');
    const nowWaiting = after.filter((r) => r.status === 'waiting');
    const promoted = waiting.slice(0, 5).map((r) => r.userId);
    expect(nowConfirmed).toHaveLength(CAPACITY);
    expect(nowConfirmed.map((r) => r.userId).sort((a, b) => a - b)).toEqual(
      [...confirmed.filter((r) => !leaving.includes(r)).map((r) => r.userId), ...promoted].sort(
        (a, b) => a - b,
      ),
    );
    expect(nowWaiting.map((r) => r.userId)).toEqual(waiting.slice(5).map((r) => r.userId));
    expect(nowWaiting.map((r) => waitingPosition(ctx.db, gatheringId, r.id))).toEqual(
      nowWaiting.map((_, i) => i + 1),
    );
    // The cancelled sign-ups keep their row, marked.
    const cancelled = ctx.db
      .select()
      .from(gatheringSignups)
      .where(and(eq(gatheringSignups.gatheringId, gatheringId), eq(gatheringSignups.status, 'cancelled')))
      .all();
    expect(cancelled.map((r) => r.userId).sort((a, b) => a - b)).toEqual(
      leaving.map((r) => r.userId).sort((a, b) => a - b),
    );

    // Each promoted person, and only they, is told by email (no SMTP here: the outbox keeps it).
    const seatMails = listOutbox(ctx.db, 1000).filter((m) => m.subject.startsWith('Une place s’est libérée'));
    const emailOf = new Map(members.map((m) => [m.id, m.email]));
    expect(seatMails.map((m) => m.toAddress).sort()).toEqual(promoted.map((id) => emailOf.get(id)!).sort());
  });

  it('never exceeds the seat count when several connections sign people up at once', async () => {
    // Several processes on one SQLite file: one worker thread per connection, each signing up its
    // share of the members as fast as it can, all released at the same instant.
    const id = scheduleSeance(CAPACITY);
    const workers = 4;
    const shares = Array.from({ length: workers }, (_, w) => members.filter((_, i) => i % workers === w));
    const flags = new SharedArrayBuffer(8);
    const gate = new Int32Array(flags);
    const require = createRequire(import.meta.url);
    const src = join(import.meta.dirname, '..', '..', 'src');
    const spawned: Worker[] = [];
    const started = performance.now();
    const runs = shares.map(
      (share, w) =>
        new Promise<Array<{ userId: number; status?: string; error?: string; worker: number }>>(
          (resolve, reject) => {
            const worker = new Worker(SIGN_UP_WORKER, {
              eval: true,
              workerData: {
                tsxApi: pathToFileURL(
                  join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
                ).href,
                client: join(src, 'db', 'client.ts'),
                signups: join(src, 'gatherings', 'signups.ts'),
                parent: import.meta.url,
                databasePath: ctx.config.databasePath,
                gatheringId: id,
                userIds: share.map((m) => m.id),
                flags,
              },
            });
            spawned.push(worker);
            worker.on('message', (m: { results?: Array<{ userId: number }>; fatal?: string }) => {
              if (m.fatal) reject(new Error(m.fatal));
              if (m.results) resolve(m.results.map((r) => ({ ...r, worker: w })));
            });
            worker.on('error', reject);
          },
        ),
    );
    let failed = false;
    Promise.all(runs).catch(() => {
      failed = true;
    });
    while (Atomics.load(gate, 0) < workers && !failed) await new Promise((r) => setTimeout(r, 10));
    Atomics.store(gate, 1, 1);
    Atomics.notify(gate, 1);
    const released = performance.now();
    const results = await Promise.all(runs)
      .then((all) => all.flat())
      .finally(() => Promise.all(spawned.map((w) => w.terminate())));
    const elapsed = performance.now() - released;
    const loading = released - started;

    expect(results.filter((r) => r.error)).toEqual([]);
    const rows = liveSignups(id);
    expect(rows).toHaveLength(MEMBERS);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(MEMBERS);
    const confirmed = rows.filter((r) => r.status === 'confirmed');
    expect(confirmed).toHaveLength(CAPACITY);
    expect(confirmed.map((r) => r.id)).toEqual(rows.slice(0, CAPACITY).map((r) => r.id));
    const statusOf = new Map(rows.map((r) => [r.userId, r.status]));
    for (const r of results) expect(r.status).toBe(statusOf.get(r.userId));
    const waiting = rows.filter((r) => r.status === 'waiting');
    expect(waiting.map((r) => waitingPosition(ctx.db, id, r.id))).toEqual(waiting.map((_, i) => i + 1));

    const workerOf = new Map(results.map((r) => [r.userId, r.worker]));
    let switches = 0;
    for (let i = 1; i < rows.length; i += 1)
      if (workerOf.get(rows[i]!.userId) !== workerOf.get(rows[i - 1]!.userId)) switches += 1;
    console.info(
      `${MEMBERS} sign-ups from ${workers} connections in ${Math.round(elapsed)} ms ` +
        `(workers loaded in ${Math.round(loading)} ms); ` +
        `the writer changed ${switches} times along the ids`,
    );
    // The connections did take turns: the test raced them rather than running them one by one.
    expect(switches).toBeGreaterThan(10);
  }, 30_000);
});

/** Runs in a worker thread: opens its own connection, waits at the gate, signs its share up. */
const SIGN_UP_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { tsImport } = await import(workerData.tsxApi);
  const { openDatabase } = await tsImport(workerData.client, workerData.parent);
  const { signUp } = await tsImport(workerData.signups, workerData.parent);
  const db = openDatabase(workerData.databasePath);
  const gate = new Int32Array(workerData.flags);
  Atomics.add(gate, 0, 1);
  Atomics.wait(gate, 1, 0);
  // A random pause of up to 2 ms between sign-ups, so the connections take turns as the writer.
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const results = [];
  for (const userId of workerData.userIds) {
    Atomics.wait(pause, 0, 0, Math.random() * 2);
    try {
      results.push({ userId, status: signUp(db, { id: workerData.gatheringId }, userId) });
    } catch (error) {
      results.push({ userId, error: String(error) });
    }
  }
  db.$client.close();
  parentPort.postMessage({ results });
})().catch((error) => parentPort.postMessage({ fatal: String((error && error.stack) || error) }));
`;

// Bad input everywhere: fast-check generates hostile values — long strings, control characters,
// wrong types, huge and negative numbers, HTML and SQL fragments, repeated fields, broken UTF-8 —
// for every parameter, query and form field of every route, sent as each role. No answer is a
// 500; nothing stored is ever served as live HTML; a visitor, a member or a trainer changes nothing
// they may not touch; every route refuses a body over the limit.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/db/schema.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { reachOf } from '../../src/policy/route-rules.ts';
import { createTestApp, TestClient, type TestContext } from '../helpers.ts';

let ctx: TestContext;
const clients: Array<[string, TestClient]> = [];
let tried = 0;

beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
  clients.push(['anonymous', new TestClient(ctx.app)]);
  for (const [who, email] of [
    ['member', 'membre@cosim-bretagne.test'],
    ['trainer', 'formation@cosim-bretagne.test'],
    ['coordinator', 'coordination@cosim-bretagne.test'],
    ['admin', 'admin@forim.test'],
  ] as const) {
    const client = new TestClient(ctx.app, `198.51.100.${clients.length + 10}`);
    await client.login(email, DEMO_PASSWORD);
    clients.push([who, client]);
  }
});
afterAll(() => ctx.close());

/** Every form field name the app's schemas use (gathered from the routes' zod schemas). */
const FIELDS = [
  'name',
  'email',
  'displayName',
  'locale',
  'password',
  'current',
  'confirm',
  'role',
  'organizationId',
  'userId',
  'status',
  'reason',
  'report',
  'title',
  'theme',
  'courseId',
  'cycleId',
  'collectiveId',
  'parentId',
  'federationId',
  'kind',
  'region',
  'town',
  'actsInQpv',
  'qpvNote',
  'startsOn',
  'endsOn',
  'enrolment',
  'date',
  'startTime',
  'endTime',
  'timeZone',
  'mode',
  'placeName',
  'address',
  'placeInQpv',
  'videoUrl',
  'capacity',
  'agenda',
  'facilitatorId',
  'confirmOverlap',
  'guestName',
  'guestOrganization',
  'what',
  'audience',
  'partners',
  'cofunding',
  'results',
  'difficulties',
  'advice',
  'inQpv',
  'qpvName',
  'sharedWithNetwork',
  'minGatherings',
  'courseIds',
  'gatheringIds',
  'understood',
  'q',
  'page',
  'osim',
  'cycle',
  'from',
  'to',
  'qpv',
  'table',
  'collective',
  'format',
  'key',
];
const MARK = 'PWN7';

const hostile = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1.5',
    '1e308',
    '99999999999999999999999',
    'NaN',
    'null',
    'true',
    '[]',
    '{}',
    `<script>${MARK}()</script>`,
    `"><img src=x onerror=${MARK}()>`,
    `javascript:${MARK}()`,
    "' OR 1=1 --",
    "'; DROP TABLE users; --",
    '../../../../etc/passwd',
    '%00',
    '\u0000\u0001\u0007\u001b[31m',
    '\uFEFF\u202E\u200B',
    '=cmd|" /C calc"!A0',
    '2026-02-30',
    '25:61',
    'Europe/Nowhere',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer().map(String),
  fc.constant('é'.repeat(5000)),
  fc.constant('x'.repeat(20_000)),
);

/** A form: some of the known fields, each once or repeated, with hostile values. */
const form = fc.dictionary(
  fc.constantFrom(...FIELDS),
  fc.oneof(hostile, fc.array(hostile, { minLength: 2, maxLength: 3 })),
  {
    maxKeys: 8,
  },
);

function concrete(url: string, value: string): string {
  return url.replace(/:(\w+)/g, () => encodeURIComponent(value).slice(0, 300)).replace('*', 'x.css');
}

/** What a visitor or a member may never change; a trainer, only the network and who belongs to it. */
const NOT_FOR_MEMBERS = [
  'organizations',
  'memberships',
  'cycles',
  'gatherings',
  'certificates',
  'invitations',
];
// (signing_keys is not among them: the Open Badges key is made on the first public request for it.)
const NOT_FOR_TRAINERS = ['organizations', 'memberships', 'invitations'];

/** A fingerprint of these tables. */
function protectedState(tables: string[]): string {
  return tables
    .map(
      (table) =>
        `${table}:${createHash('sha256')
          .update(JSON.stringify(ctx.db.$client.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()))
          .digest('hex')
          .slice(0, 12)}`,
    )
    .join(' ');
}

describe('bad input', () => {
  it('never gets a 500, and visitors, members and trainers change nothing protected', async () => {
    const routes = ctx.app.routeAccess.filter((r) => r.method !== 'HEAD' && r.url !== '/logout');
    const failures: string[] = [];
    const before = { members: protectedState(NOT_FOR_MEMBERS), trainers: protectedState(NOT_FOR_TRAINERS) };
    // Sign-out and account deletion are left to their own tests; the others take every route.
    const safe = (url: string) => url !== '/me/delete' && !url.endsWith('/erase');
    for (const [who, client] of clients) {
      // What came before was sent by people who may change none of these tables.
      if (who === 'trainer')
        expect(protectedState(NOT_FOR_MEMBERS), 'a visitor or member changed protected data').toBe(
          before.members,
        );
      if (who === 'coordinator')
        expect(protectedState(NOT_FOR_TRAINERS), 'a trainer changed the network').toBe(before.trainers);
      for (const route of routes.filter((r) => safe(r.url) || who === 'anonymous')) {
        await fc.assert(
          fc.asyncProperty(hostile, form, form, async (param, query, body) => {
            tried += 1;
            const url = `${concrete(route.url, param)}?${new URLSearchParams(
              Object.entries(query).flatMap(([k, v]) =>
                [v].flat().map((one): [string, string] => [k, one.slice(0, 500)]),
              ),
            ).toString()}`;
            const res =
              route.method === 'GET'
                ? await client.get(url.slice(0, 4000))
                : await client.post(concrete(route.url, param), body);
            if (res.statusCode >= 500)
              failures.push(`${who} ${route.method} ${url.slice(0, 200)}: ${res.statusCode}`);
            return res.statusCode < 500;
          }),
          { numRuns: 8, seed: 2026, endOnFailure: true },
        );
      }
    }
    expect(failures).toEqual([]);
    console.log(
      `bad input: ${tried} generated requests over ${routes.length} routes × ${clients.length} roles`,
    );
  }, 600_000);

  it('never serves what was stored as live HTML', async () => {
    const admin = clients.find(([who]) => who === 'admin')![1];
    // What a person may type, stored as typed, in every kind of text the pages show.
    const member = clients.find(([who]) => who === 'member')![1];
    expect(
      (await member.post('/profile', { displayName: `<script>${MARK}()</script>`, locale: 'fr' })).statusCode,
    ).toBe(303);
    const x = `"><img src=x onerror=${MARK}()>`;
    ctx.db.$client.prepare("UPDATE organizations SET name = name || ? WHERE kind = 'osim'").run(x);
    ctx.db.$client.prepare('UPDATE cycles SET name = name || ?').run(x);
    ctx.db.$client
      .prepare('UPDATE gatherings SET title = title || ?, agenda = ?, place_name = ?, summary = ?')
      .run(x, x, x, x);
    ctx.db.$client
      .prepare('UPDATE experiences SET title = title || ?, what = ?, advice = ?')
      .run(x, x, `<a href="javascript:${MARK}()">x</a>`);
    ctx.db.$client.prepare('UPDATE attendance SET guest_name = ? WHERE user_id IS NULL').run(x);
    const pages = ctx.app.routeAccess
      .filter(
        (r) => r.method === 'GET' && !r.url.includes(':') && !r.url.includes('*') && !r.url.endsWith('.csv'),
      )
      .map((r) => r.url);
    // Plus every page of a person, an organization, a cycle, a séance and a fiche that exists.
    for (const [table, prefix] of [
      ['users', '/people/'],
      ['organizations', '/organizations/'],
      ['cycles', '/cycles/'],
      ['gatherings', '/gatherings/'],
      ['experiences', '/experiences/'],
    ] as const)
      for (const { id } of ctx.db.$client
        .prepare(`SELECT id FROM ${table} ORDER BY id DESC LIMIT 20`)
        .all() as {
        id: number;
      }[])
        pages.push(`${prefix}${id}`);
    // Live markup only: the same text escaped (&lt;img …) is what should be there.
    const live = new RegExp(`<script>${MARK}|<img src=x onerror=${MARK}|href="javascript:${MARK}`);
    const found: string[] = [];
    for (const page of pages) {
      const res = await admin.get(page);
      if (live.test(res.body)) {
        const at = res.body.search(live);
        found.push(`${page}: …${res.body.slice(Math.max(0, at - 120), at + 60)}…`);
      }
    }
    expect(found).toEqual([]);
  });

  it('answers broken encodings and wrong content types without a 500', async () => {
    const admin = clients.find(([who]) => who === 'admin')![1];
    const token = await admin.csrfToken();
    const bodies: Array<[string, string | Buffer]> = [
      [
        'application/x-www-form-urlencoded; charset=utf-8',
        Buffer.from([0x5f, 0x63, 0x73, 0x72, 0x66, 0x3d, 0xff, 0xfe, 0x26, 0x6e, 0x3d, 0xc3, 0x28]),
      ],
      ['application/x-www-form-urlencoded', `_csrf=${token}&name=%E0%A4%A&email=%FF%FE`],
      ['application/json', `{"_csrf": "${token}", "name": `],
      ['text/plain', `_csrf=${token}&name=x`],
      [
        'multipart/form-data; boundary=zzz',
        '--zzz\r\nContent-Disposition: form-data; name="name"\r\n\r\n\u0000\r\n--zz',
      ],
      [
        'application/x-www-form-urlencoded; charset=iso-8859-1',
        Buffer.from(`_csrf=${token}&name=Fran\xe7ois`, 'latin1'),
      ],
    ];
    const failures: string[] = [];
    for (const route of ctx.app.routeAccess.filter((r) => r.method === 'POST' && r.url !== '/logout')) {
      for (const [type, payload] of bodies) {
        const res = await admin.request({
          method: 'POST',
          url: concrete(route.url, '1'),
          payload,
          headers: { 'content-type': type, origin: 'http://passerelle.test' },
        });
        tried += 1;
        if (res.statusCode >= 500) failures.push(`${route.url} (${type}): ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a body over 64 KB on every route that takes one', async () => {
    const big = 'x'.repeat(70 * 1024);
    const wrong: string[] = [];
    for (const route of ctx.app.routeAccess.filter((r) => r.method === 'POST')) {
      // Sent by someone the route's rule lets in (a refused person is turned away before the body).
      const [, client] =
        clients.find(
          ([who]) => who !== 'anonymous' && route.access && reachOf(route.access, who as Role) !== null,
        ) ?? clients.find(([who]) => who === 'admin')!;
      const res = await client.post(concrete(route.url, '1'), { name: big });
      if (res.statusCode !== 413) wrong.push(`${route.url}: ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});

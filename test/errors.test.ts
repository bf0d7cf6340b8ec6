// Every error a visitor can cause is the French error page with the right status — including the
// ones Fastify and Node answer before any route (a parameter too long, a broken %-escape, a request
// Node cannot parse) — never JSON, never English, never the URL asked for; and a sign-in redirect
// never throws, whatever `next` holds.

import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeNext } from '../src/auth/routes.ts';
import { BASE_URL, createTestApp, createUser, TestClient, type TestContext, text } from './helpers.ts';

let ctx: TestContext;
let anonymous: TestClient;
let member: TestClient;
let memberName: string;
let port: number;

beforeAll(async () => {
  ctx = await createTestApp();
  // Hooks and routes that fail the ways a route or a plugin can, registered before the app is ready.
  ctx.app.addHook('onRequest', async (request) => {
    if (request.url === '/hook-crash') throw new Error('hook failed at /srv/secret.ts:1');
    if (request.url === '/hook-refuses') throw Object.assign(new Error('Bad thing'), { statusCode: 400 });
  });
  ctx.app.get('/redirect-anywhere', { config: { access: 'public' } }, async (request, reply) =>
    reply.redirect((request.query as { to: string }).to, 303),
  );
  const user = await createUser(ctx.db, { role: 'member', displayName: 'Awa Diallo' });
  memberName = user.displayName;
  anonymous = new TestClient(ctx.app);
  member = new TestClient(ctx.app);
  await member.login(user.email);
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  port = (ctx.app.server.address() as AddressInfo).port;
});
afterAll(() => ctx.close());

/** The French error page, in the layout, with this status and none of `echo` in it. */
function expectFrenchErrorPage(
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  heading: string,
  echo?: string,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toBe('text/html; charset=utf-8');
  expect(res.body).toContain('<html lang="fr">');
  expect(text(res.body)).toContain(heading);
  expect(res.body).not.toMatch(/"(statusCode|code|error)":/);
  expect(res.body).not.toMatch(/FST_|ERR_|Bad Request|Not Found|Internal Server Error|Client Error/);
  if (echo) expect(res.body).not.toContain(echo);
}

describe('errors Fastify raises before routing', () => {
  it('a parameter of 5,000 characters: 414 in French, the URL not echoed, through every hook', async () => {
    const code = 'A'.repeat(5000);
    const res = await anonymous.get(`/verify/${code}`);
    expectFrenchErrorPage(res, 414, 'Adresse trop longue', 'AAAAAAAAAA');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    // Signed in, the page is the person's own: their name and menu in the header.
    const signedIn = await member.get(`/verify/${code}`);
    expectFrenchErrorPage(signedIn, 414, 'Adresse trop longue', 'AAAAAAAAAA');
    expect(signedIn.body).toContain(memberName);
  });

  it('a broken %-escape in the path: 400 « Lien abîmé », not echoed', async () => {
    const res = await anonymous.get('/verify/%E0%A4%Azzyzx');
    expectFrenchErrorPage(res, 400, 'Lien abîmé', 'zzyzx');
  });

  it('the same errors swapped into #main for an htmx request', async () => {
    const res = await member.get(`/verify/${'B'.repeat(3000)}`, {
      'hx-request': 'true',
      'hx-request-type': 'partial',
    });
    expect(res.statusCode).toBe(414);
    expect(res.headers['hx-retarget']).toBe('#main');
    expect(text(res.body)).toContain('Adresse trop longue');
    expect(res.body).not.toContain('BBBBBBBBBB');
  });

  it('a POST to such a URL keeps the framework’s answer, whatever its body', async () => {
    const res = await member.request({
      method: 'POST',
      url: `/gatherings/${'9'.repeat(400)}/signup`,
      payload: '<xml/>',
      headers: { 'content-type': 'application/xml', origin: BASE_URL },
    });
    expectFrenchErrorPage(res, 414, 'Adresse trop longue', '9999999999');
  });
});

describe('errors in hooks, the 404 handler and bodies', () => {
  it('an onRequest hook that crashes: French 500, nothing leaked', async () => {
    const res = await anonymous.get('/hook-crash');
    expectFrenchErrorPage(res, 500, 'Une erreur est survenue', 'secret');
  });

  it('an onRequest hook that refuses: its status, in French', async () => {
    expectFrenchErrorPage(await anonymous.get('/hook-refuses'), 400, 'Demande incorrecte', 'Bad thing');
  });

  it('an unknown page: plain French, the status only as a reference for support', async () => {
    const res = await member.get('/nulle-part/zzyzx');
    expectFrenchErrorPage(res, 404, 'Cette page n’existe pas', 'zzyzx');
    expect(text(res.body)).not.toContain('Code 404');
    expect(text(res.body)).toContain('Pour l’assistance : erreur 404');
  });

  it('broken cookies on an unknown page: still the French page', async () => {
    const res = await anonymous.get('/nulle-part', {
      cookie: 'passerelle_session=%E0%A4%A; passerelle_csrf=; passerelle_flash=%%%',
    });
    expectFrenchErrorPage(res, 404, 'Cette page n’existe pas');
  });

  const post = (payload: string, headers: Record<string, string>) =>
    anonymous.request({ method: 'POST', url: '/login', payload, headers: { origin: BASE_URL, ...headers } });

  it.each([
    ['broken JSON', '{"email":', { 'content-type': 'application/json' }, 400, 'Demande incorrecte'],
    ['empty JSON', '', { 'content-type': 'application/json' }, 400, 'Demande incorrecte'],
    [
      'an unknown content type',
      'x',
      { 'content-type': 'application/x-nope' },
      415,
      'Format non pris en charge',
    ],
    [
      'a body over the limit',
      `email=${'a'.repeat(100_000)}`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      413,
      'Envoi trop volumineux',
    ],
    [
      'a form in an unknown charset',
      'email=a',
      { 'content-type': 'application/x-www-form-urlencoded; charset=klingon' },
      415,
      'Format non pris en charge',
    ],
  ] as const)('%s: French page with its status', async (_label, payload, headers, status, heading) => {
    const res = await post(payload, headers);
    // CSRF comes after the body is read: a refused body never reaches it.
    expect([status, 403]).toContain(res.statusCode);
    expectFrenchErrorPage(res, res.statusCode, res.statusCode === 403 ? 'Formulaire expiré' : heading);
  });
});

describe('redirects after sign-in', () => {
  it.each([
    ['/cycles?tab=2', '/cycles?tab=2'],
    ['/', '/'],
    ['/。evil', null],
    ['/%E3%80%82evil', '/%E3%80%82evil'],
    ['//evil.example', null],
    ['/\\evil.example', null],
    ['/ok\\..\\evil', null],
    ['https://evil.example', null],
    ['/a b', null],
    ['/\t/evil.example', null],
    ['/é', null],
    ['/\u0000', null],
    ['', null],
    [`/${'x'.repeat(600)}`, null],
  ])('safeNext(%j) is %j', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it('signed in, /login?next=/。evil goes home instead of answering 500', async () => {
    for (const next of ['/。evil', '/%E3%80%82evil', '/\u00e9', '//evil.example']) {
      const res = await member.get(`/login?next=${next}`);
      expect(res.statusCode).toBe(303);
      expect(['/', next]).toContain(res.headers.location);
      expect(String(res.headers.location)).toMatch(/^\/(?!\/)[\x21-\x7e]*$/);
    }
  });

  it('a redirect to a target a header cannot carry is a French 400 without a Location', async () => {
    const res = await anonymous.get(`/redirect-anywhere?to=${encodeURIComponent('/。evil')}`);
    expectFrenchErrorPage(res, 400, 'Demande incorrecte', 'evil');
    expect(res.headers.location).toBeUndefined();
  });
});

/** Sends raw bytes to the listening app and reads the whole answer. */
function rawRequest(
  request: Buffer | string,
): Promise<{ statusCode: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const answer = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = answer.split('\r\n\r\n');
      resolve({ statusCode: Number(head.split(' ')[1]), headers: head, body: rest.join('\r\n\r\n') });
    });
    socket.end(request);
  });
}

describe('requests Node cannot parse (clientErrorHandler)', () => {
  it('a broken request line: 400 in French HTML, not JSON', async () => {
    const res = await rawRequest('GET /zzyzx\u0001 HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(res.statusCode).toBe(400);
    expect(res.headers).toContain('Content-Type: text/html; charset=utf-8');
    expect(res.body).toContain('<html lang="fr">');
    expect(text(res.body)).toContain('Demande incorrecte');
    expect(res.body).not.toContain('zzyzx');
    expect(res.body).not.toContain('Client Error');
  });

  it('headers over 16 KB: 431 in French', async () => {
    const res = await rawRequest(`GET / HTTP/1.1\r\nHost: x\r\nCookie: a=${'c'.repeat(20_000)}\r\n\r\n`);
    expect(res.statusCode).toBe(431);
    expect(text(res.body)).toContain('Demande trop volumineuse');
    expect(text(res.body)).toContain('Effacez les cookies de ce site');
  });

  it('raw UTF-8 bytes in the URL (/login?next=/。evil sent unencoded): Node refuses it, in French', async () => {
    const res = await rawRequest(
      Buffer.concat([
        Buffer.from('GET /login?next=/'),
        Buffer.from('。evil', 'utf8'),
        Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      ]),
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers).toContain('Content-Type: text/html; charset=utf-8');
    expect(text(res.body)).toContain('Demande incorrecte');
    expect(res.body).not.toContain('evil');
  });
});

describe('odd URLs (property)', () => {
  const marker = fc.stringMatching(/^[a-z]{6}$/).map((s) => `zq${s}`);
  const oddPart = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.constantFrom(
      '%',
      '%E0%A4%A',
      '%ZZ',
      '%C3',
      '%FF%FE',
      '%00',
      '%0D%0A',
      '%2F%2F',
      '..',
      '%2e%2e',
      '\\',
      '//',
    ),
    fc.integer({ min: 150, max: 6000 }).map((n) => 'A'.repeat(n)),
  );
  const prefix = fc.constantFrom(
    '/',
    '/verify/',
    '/cycles/',
    '/gatherings/',
    '/learn/lessons/',
    '/learn/media/',
    '/invitation/',
    '/password/reset/',
    '/calendar/',
    '/people/',
    '/nulle-part/',
  );

  it('never answer 500, always the French page in HTML, never echo the URL', async () => {
    await fc.assert(
      fc.asyncProperty(
        prefix,
        oddPart,
        marker,
        oddPart,
        fc.boolean(),
        async (start, odd, mark, tail, signedIn) => {
          // The marker sits in a segment no route knows, or in a parameter too long to be one.
          const url = `${start}${odd}${mark}${tail}`;
          const client = signedIn ? member : anonymous;
          const res = await client.request({ method: 'GET', url });
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode >= 300 && res.statusCode < 400) {
            expect(String(res.headers.location)).toMatch(/^\/(?!\/)[\x21-\x7e]*$/);
            return;
          }
          if (res.statusCode < 400) return;
          // A calendar feed is read by calendar apps: its 404 is one line of French text.
          if (start === '/calendar/' && String(res.headers['content-type']).startsWith('text/plain')) {
            expect(res.body).toBe('Calendrier introuvable ou révoqué.');
            return;
          }
          expect(String(res.headers['content-type'])).toBe('text/html; charset=utf-8');
          expect(res.body).toContain('<html lang="fr">');
          expect(res.body).not.toMatch(/FST_|ERR_|"statusCode"/);
          // /verify/<code> says which code it did not find (escaped): the certificates' own choice.
          if (!(start === '/verify/' && res.statusCode === 404)) expect(res.body).not.toContain(mark);
        },
      ),
      { numRuns: 300, seed: 13 },
    );
  });

  it('/login?next=… signed in: a redirect to a safe path, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          oddPart,
          oddPart.map((s) => `/${s}`),
        ),
        async (next) => {
          const res = await member.request({ method: 'GET', url: `/login?next=${next}` });
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode === 303) {
            expect(String(res.headers.location)).toMatch(/^\/(?!\/)[\x21-\x7e]*$/);
          }
        },
      ),
      { numRuns: 300, seed: 13 },
    );
  });
});

// A member's most visited pages and the sign-in page are kept as rendered while nothing they show
// can have changed (plugins/kept-pages.ts, issue 17): what the person does shows at once, nobody
// ever gets another person's page, each browser its own CSRF token, and a kept page is compressed
// once (gzip first, lib/compression.ts).
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressOptions, rememberCompressed } from '../src/lib/compression.ts';
import { deflateParts, spliceGzip } from '../src/lib/gzip-splice.ts';
import { createPageStore, PAGE_KEPT_MS, TOKEN_PLACEHOLDER } from '../src/plugins/kept-pages.ts';
import { createTestApp, loginAs, TestClient, type TestContext, text } from './helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
});
afterAll(() => ctx.close());

const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

describe('kept pages', () => {
  it('show what the member just did at once: a lesson finished moves the path, the course and the home', async () => {
    const { client } = await loginAs(ctx, 'member');
    const before = text((await client.get('/learn')).body);
    expect(before).toContain('Commencer le parcours');
    expect(text((await client.get('/')).body)).toContain('Votre parcours vous attend');
    expect(text((await client.get('/learn/lessons/pdv-politique-de-la-ville')).body)).toContain(
      'J’ai terminé cette leçon',
    );
    // With htmx: no message carried to the next page, so the next pages are the kept ones if anything.
    const done = await client.post(
      '/learn/lessons/pdv-politique-de-la-ville/complete',
      {},
      { headers: { 'hx-request': 'true', 'hx-request-type': 'partial', 'hx-target': '#progression' } },
    );
    expect(done.statusCode).toBe(200);
    expect(text((await client.get('/learn')).body)).not.toContain('Commencer le parcours');
    expect(text((await client.get('/learn/courses/politique-de-la-ville')).body)).toMatch(/1 leçon terminée/);
    expect(text((await client.get('/')).body)).toMatch(/Votre parcours est réalisé à \d+ %/);
    expect(text((await client.get('/learn/lessons/pdv-politique-de-la-ville')).body)).toContain(
      'Leçon terminée',
    );
  });

  it('never give one person the page kept for another', async () => {
    const first = await loginAs(ctx, 'member');
    const second = await loginAs(ctx, 'member');
    const a = text((await first.client.get('/')).body);
    const b = text((await second.client.get('/')).body);
    expect(a).toContain(first.user.displayName);
    expect(b).toContain(second.user.displayName);
    expect(b).not.toContain(first.user.displayName);
    expect(text((await first.client.get('/')).body)).not.toContain(second.user.displayName);
  });

  it('give each browser its own CSRF token, the same on every page, which the forms accept', async () => {
    const one = new TestClient(ctx.app, '198.51.100.21');
    const two = new TestClient(ctx.app, '198.51.100.22');
    const first = await one.get('/login');
    const again = await one.get('/login');
    const third = await one.get('/login');
    const other = await two.get('/login');
    expect(first.headers['set-cookie']).toMatch(/passerelle_csrf=/);
    expect(again.headers['set-cookie']).toBeUndefined();
    // The browser that comes back keeps one token (the first visit's is not kept: most have no second).
    expect(tokenOf(third.body)).toBe(tokenOf(again.body));
    expect(third.body).toBe(again.body);
    expect(tokenOf(other.body)).not.toBe(tokenOf(first.body));
    expect(first.body).not.toContain(TOKEN_PLACEHOLDER);
    // Each browser's token is good for its own cookie (a wrong password, not a refused form).
    for (const client of [one, two]) {
      const res = await client.post('/login', { email: 'personne@exemple.fr', password: 'pas le bon' });
      expect(res.statusCode).not.toBe(403);
      expect(text(res.body)).toContain('Adresse e-mail ou mot de passe incorrect');
    }
    // An empty cookie is a first visit; a made-up one gets a token each time and nothing is kept.
    const empty = await ctx.app.inject({ url: '/login', headers: { cookie: 'passerelle_csrf=' } });
    expect(empty.headers['set-cookie']).toMatch(/passerelle_csrf=[A-Za-z0-9_-]{24};/);
    const otherEmpty = await ctx.app.inject({ url: '/login', headers: { cookie: 'passerelle_csrf=' } });
    expect(tokenOf(otherEmpty.body)).not.toBe(tokenOf(empty.body));
    const madeUp = { cookie: `passerelle_csrf=${'x'.repeat(3000)}` };
    const m1 = await ctx.app.inject({ url: '/login', headers: madeUp });
    const m2 = await ctx.app.inject({ url: '/login', headers: madeUp });
    expect(tokenOf(m1.body)).not.toBe(tokenOf(m2.body));
    // And another browser's token is refused.
    const res = await one.request({
      method: 'POST',
      url: '/login',
      payload: new URLSearchParams({
        _csrf: tokenOf(other.body)!,
        email: 'a@b.fr',
        password: 'x',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://passerelle.test' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('show a one-time message, then the page without it', async () => {
    const { client } = await loginAs(ctx, 'member');
    await client.get('/learn/lessons/pdv-qpv-definition');
    await client.post('/learn/lessons/pdv-qpv-definition/complete');
    expect(text((await client.get('/learn/lessons/pdv-qpv-definition')).body)).toContain(
      'Leçon terminée : bravo !',
    );
    expect(text((await client.get('/learn/lessons/pdv-qpv-definition')).body)).not.toContain('bravo');
  });

  it('are sent gzip first, compressed once for the same browser', async () => {
    const { client } = await loginAs(ctx, 'member');
    const gz = { 'accept-encoding': 'br, gzip' };
    const a = await client.request({ method: 'GET', url: '/learn', headers: gz });
    const b = await client.request({ method: 'GET', url: '/learn', headers: gz });
    expect(a.headers['content-encoding']).toBe('gzip');
    expect(a.rawPayload.equals(b.rawPayload)).toBe(true);
    const page = gunzipSync(a.rawPayload).toString();
    expect(page).toContain('Mon parcours');
    // The token is in the gzip as it is, never compressed with the page's text (BREACH).
    expect(a.rawPayload.includes(Buffer.from(tokenOf(page)!))).toBe(true);
    const brOnly = await client.request({
      method: 'GET',
      url: '/learn',
      headers: { 'accept-encoding': 'br' },
    });
    expect(brOnly.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brOnly.rawPayload).toString()).toBe(gunzipSync(a.rawPayload).toString());
  });
});

describe('the page store', () => {
  it('gives a page back only at the same database version, within its time, with the token asked for', () => {
    const store = createPageStore();
    const html = `<p>Bonjour</p><input value="${TOKEN_PLACEHOLDER}"><i>${TOKEN_PLACEHOLDER}</i>`;
    const kept = store.keep('1 fr home /', '5:1', html, 'jeton-a', 1_000);
    expect(kept.toString()).toBe('<p>Bonjour</p><input value="jeton-a"><i>jeton-a</i>');
    expect(store.find('1 fr home /', '5:1', 'jeton-a', 2_000)).toBe(kept);
    expect(store.find('1 fr home /', '5:1', 'jeton-b', 2_000)?.toString()).toContain('value="jeton-b"');
    expect(store.find('2 fr home /', '5:1', 'jeton-a', 2_000)).toBeNull();
    expect(store.find('1 fr home /', '6:1', 'jeton-a', 2_000)).toBeNull();
    store.keep('1 fr home /', '6:1', html, 'jeton-a', 3_000);
    expect(store.find('1 fr home /', '6:1', 'jeton-a', 3_000 + PAGE_KEPT_MS - 1)).not.toBeNull();
    expect(store.find('1 fr home /', '6:1', 'jeton-a', 3_000 + PAGE_KEPT_MS)).toBeNull();
  });

  it('compresses a kept body once, and any other bytes each time (nothing looked up by content)', () => {
    const gzip = compressOptions.zlib.gzipSync;
    const page = Buffer.from('<p>Une page de Passerelle</p>'.repeat(100));
    rememberCompressed(page);
    const once = gzip(page);
    expect(gzip(page)).toBe(once);
    const copy = Buffer.from(page);
    expect(gzip(copy)).not.toBe(gzip(copy));
    expect(gunzipSync(gzip(copy)).equals(page)).toBe(true);
  });
});

describe('the sign-in page for visitors, compressed from its parts', () => {
  it('reads back as the page itself, token included, for each new visitor', async () => {
    for (const ip of ['198.51.100.31', '198.51.100.32', '198.51.100.33']) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/login',
        remoteAddress: ip,
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(res.headers['content-encoding']).toBe('gzip');
      const page = gunzipSync(res.rawPayload).toString();
      const cookie = `passerelle_csrf=${/passerelle_csrf=([^;]+)/.exec(String(res.headers['set-cookie']))![1]}`;
      const plain = await ctx.app.inject({ method: 'GET', url: '/login', headers: { cookie } });
      const token = tokenOf(page)!;
      expect(token).toBeTruthy();
      expect(page.replaceAll(token, 'JETON')).toBe(plain.body.replaceAll(tokenOf(plain.body)!, 'JETON'));
      expect(page).not.toContain(TOKEN_PLACEHOLDER);
      // The token read from the compressed page is good for the visitor's cookie.
      const sent = await ctx.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: ip,
        payload: new URLSearchParams({
          _csrf: token,
          email: 'personne@exemple.fr',
          password: 'x',
        }).toString(),
        headers: {
          cookie,
          origin: 'http://passerelle.test',
          'content-type': 'application/x-www-form-urlencoded',
        },
      });
      expect(sent.statusCode).not.toBe(403);
      // About a tenth over the page compressed whole (a Huffman table per part), no more.
      expect(res.rawPayload.length).toBeLessThan(gzipSync(Buffer.from(page)).length * 1.15);
    }
  });

  it('puts any token between any parts, also at the very start or end', () => {
    const parts = [Buffer.from(''), Buffer.from('<p>milieu é ’ «</p>'.repeat(50)), Buffer.from('')];
    const token = Buffer.from('jeton-0123456789_abcdefghijklmnopqrstuvwxyz');
    const whole = Buffer.concat([parts[0]!, token, parts[1]!, token, parts[2]!]);
    expect(gunzipSync(spliceGzip(deflateParts(parts, token.length), token, whole)).equals(whole)).toBe(true);
    // A page holding zero bytes (never HTML, but a page is only bytes here) reads back right too.
    const zeros = [Buffer.from('a\u0000\u0000b'.repeat(20)), Buffer.from(`${'\u0000'.repeat(60)}fin`)];
    const withZeros = Buffer.concat([zeros[0]!, token, zeros[1]!]);
    expect(
      gunzipSync(spliceGzip(deflateParts(zeros, token.length), token, withZeros)).equals(withZeros),
    ).toBe(true);
    const one = [Buffer.from('sans jeton')];
    expect(gunzipSync(spliceGzip(deflateParts(one, token.length), token, one[0]!)).toString()).toBe(
      'sans jeton',
    );
  });
});

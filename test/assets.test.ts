// Static assets: fingerprinted, cached for a year, served precompressed; pages compressed too.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TestClient, type TestContext } from './helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
  await ctx.app.ready();
});
afterAll(() => ctx.close());

describe('assets', () => {
  it('links fingerprinted CSS, htmx and the app script from the layout', async () => {
    const page = await new TestClient(ctx.app).get('/login');
    expect(page.body).toMatch(/href="\/assets\/css\/app\.[0-9a-f]{10}\.css"/);
    expect(page.body).toMatch(/src="\/assets\/js\/htmx\.min\.[0-9a-f]{10}\.js"/);
    expect(page.body).toMatch(/src="\/assets\/js\/app\.[0-9a-f]{10}\.js"/);
  });

  it('serves htmx 4 from the app, brotli-compressed, immutable for a year', async () => {
    const url = ctx.app.assetUrl('js/htmx.min.js');
    const res = await ctx.app.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toContain('text/javascript');
    expect(res.rawPayload.length).toBeLessThan(20_000);
    const plain = await ctx.app.inject({ method: 'GET', url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('htmx');
    // A script keeps the headers a resource uses, not those of a page.
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(res.headers['x-frame-options']).toBeUndefined();
    // An SVG may be opened as a page: it keeps them.
    const svg = await ctx.app.inject({ method: 'GET', url: ctx.app.assetUrl('img/favicon.svg') });
    expect(svg.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('sends the stylesheet without its comments and indentation, every rule kept', async () => {
    const source = readFileSync(new URL('../static/css/app.css', import.meta.url), 'utf8');
    const sent = (await ctx.app.inject({ method: 'GET', url: ctx.app.assetUrl('css/app.css') })).body;
    expect(source).toContain('/*');
    expect(sent).not.toContain('/*');
    expect(sent.length).toBeLessThan(source.length * 0.97);
    // As many rules and declarations as written.
    for (const mark of ['{', '}', ';']) expect(sent.split(mark).length).toBe(source.split(mark).length);
    expect(sent).toContain('.comment-list { list-style: none; padding: 0; margin: 0 0 1rem; }');
    expect(sent).toContain('.menu__icon::before { content: "";');
  });

  it('answers 304 to a revalidation and 404 to an unknown asset', async () => {
    const url = ctx.app.assetUrl('css/app.css');
    const first = await ctx.app.inject({ method: 'GET', url });
    const again = await ctx.app.inject({
      method: 'GET',
      url,
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const missing = await ctx.app.inject({ method: 'GET', url: '/assets/css/app.0000000000.css' });
    expect(missing.statusCode).toBe(404);
  });

  it('compresses HTML pages larger than 1 KB', async () => {
    const res = await new TestClient(ctx.app).get('/login', { 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(String(res.headers.vary)).toMatch(/HX-Request/i);
    expect(String(res.headers.vary)).toMatch(/Accept-Encoding/i);
  });
});

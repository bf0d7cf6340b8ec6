// Headers, error pages and bad input: never a stack trace, always a French page with the right status.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_URL, createTestApp, loginAs, TestClient, type TestContext, text } from './helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp();
});
afterEach(() => ctx.close());

describe('security headers', () => {
  it('sends a CSP without inline script, nosniff, a referrer policy and no framing', async () => {
    const res = await new TestClient(ctx.app).get('/login');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('marks cookies Secure when BASE_URL is https', async () => {
    const https = await createTestApp({ env: { BASE_URL: 'https://passerelle.forim.net' } });
    const res = await https.app.inject({ method: 'GET', url: '/login' });
    const csrf = res.cookies.find((c) => c.name === 'passerelle_csrf');
    expect(csrf?.secure).toBe(true);
    expect(csrf?.httpOnly).toBe(true);
    expect(csrf?.sameSite).toBe('Lax');
    expect(csrf?.path).toBe('/');
    // A page that is not kept makes the same cookie.
    const forgot = await https.app.inject({ method: 'GET', url: '/password/forgot' });
    const other = forgot.cookies.find((c) => c.name === 'passerelle_csrf');
    expect([other?.secure, other?.httpOnly, other?.sameSite, other?.path]).toEqual([true, true, 'Lax', '/']);
    expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
    await https.close();
  });
});

describe('error pages', () => {
  it('answers an unknown page with a French 404 in the layout', async () => {
    const res = await new TestClient(ctx.app).get('/nulle-part');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<html lang="fr">');
    expect(text(res.body)).toContain('Page introuvable');
    expect(res.body).toContain('href="/"');
  });

  it('answers a crash with a French 500 that leaks nothing', async () => {
    ctx.app.get('/boom', { config: { access: 'public' } }, async () => {
      throw new Error('SQLITE_CORRUPT at /srv/secret/path.ts:42');
    });
    const res = await new TestClient(ctx.app).get('/boom');
    expect(res.statusCode).toBe(500);
    expect(text(res.body)).toContain('Une erreur est survenue');
    expect(res.body).not.toContain('SQLITE_CORRUPT');
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers a forbidden page with a French 403', async () => {
    const { client } = await loginAs(ctx, 'member');
    const res = await client.get('/admin/outbox');
    expect(res.statusCode).toBe(403);
    expect(text(res.body)).toContain('Accès refusé');
  });

  it('refuses oversized and unsupported bodies with 413 and 415, in French', async () => {
    const client = new TestClient(ctx.app);
    const token = await client.csrfToken();
    const big = await client.request({
      method: 'POST',
      url: '/login',
      payload: `_csrf=${token}&email=${'a'.repeat(200_000)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE_URL },
    });
    expect(big.statusCode).toBe(413);
    expect(text(big.body)).toContain('Envoi trop volumineux');
    const xml = await client.request({
      method: 'POST',
      url: '/login',
      payload: '<login/>',
      headers: { 'content-type': 'application/xml', origin: BASE_URL },
    });
    expect(xml.statusCode).toBe(415);
    expect(text(xml.body)).toContain('Format non pris en charge');
  });

  it('swaps the error into #main for an htmx request', async () => {
    const { client } = await loginAs(ctx, 'member');
    const res = await client.get('/admin/outbox', { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(res.statusCode).toBe(403);
    expect(res.headers['hx-retarget']).toBe('#main');
    expect(res.body.startsWith('<main id="main"')).toBe(true);
    expect(res.body).not.toContain('<html');
  });
});

describe('htmx plugin', () => {
  it('varies every page on HX-Request', async () => {
    const res = await new TestClient(ctx.app).get('/login');
    expect(String(res.headers.vary)).toContain('HX-Request');
  });
});

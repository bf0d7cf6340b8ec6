// One place decides page or fragment: the htmx plugin and reply.render().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, TestClient, type TestContext } from './helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
  // A page that includes its fragment, as feature pages do.
  ctx.app.get('/essai', { config: { access: 'public' } }, async (_request, reply) =>
    reply.render(
      'errors/error',
      {
        status: 200,
        titleKey: 'home.title',
        headingKey: 'home.title',
        textKey: 'app.tagline',
        textParams: undefined,
      },
      { fragment: 'errors/_error' },
    ),
  );
});
afterAll(() => ctx.close());

describe('page or fragment', () => {
  const client = () => new TestClient(ctx.app);

  it('gives the whole page to a plain request', async () => {
    const res = await client().get('/essai');
    expect(res.body.startsWith('<!doctype html>')).toBe(true);
    expect(res.headers.vary).toContain('HX-Request');
  });

  it('gives only the fragment to a partial htmx request', async () => {
    const res = await client().get('/essai', {
      'hx-request': 'true',
      'hx-request-type': 'partial',
      'hx-target': 'main#main',
    });
    expect(res.body.startsWith('<main id="main"')).toBe(true);
    expect(res.body).not.toContain('<html');
    expect(res.body).toContain('Le cycle de formation et d’échange entre pairs du FORIM');
  });

  it('gives the page to an htmx request that swaps the whole body, and to a history restore', async () => {
    const full = await client().get('/essai', { 'hx-request': 'true', 'hx-request-type': 'full' });
    expect(full.body.startsWith('<!doctype html>')).toBe(true);
    const restore = await client().get('/essai', {
      'hx-request': 'true',
      'hx-request-type': 'partial',
      'hx-history-restore-request': 'true',
    });
    expect(restore.body.startsWith('<!doctype html>')).toBe(true);
  });

  it('sends the CSRF token to htmx requests through hx-headers on body', async () => {
    const res = await client().get('/essai');
    expect(res.body).toMatch(/<body hx-headers:inherited='\{"X-CSRF-Token":"[^"]+"\}'>/);
  });

  it('accepts the CSRF token from the X-CSRF-Token header that htmx sends', async () => {
    const { client: signedIn } = await loginAs(ctx, 'member');
    const page = await signedIn.get('/');
    const token = /"X-CSRF-Token":"([^"]+)"/.exec(page.body)![1]!;
    const res = await signedIn.post(
      '/logout',
      {},
      { csrf: false, headers: { 'x-csrf-token': token, 'hx-request': 'true' } },
    );
    expect(res.statusCode).toBe(303);
    expect((await signedIn.get('/')).statusCode).toBe(303);
  });
});

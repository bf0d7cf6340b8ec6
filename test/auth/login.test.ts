import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessions } from '../../src/db/schema.ts';
import { DEMO_PASSWORD, demoAccounts } from '../../src/demo/seed-demo.ts';
import {
  BASE_URL,
  createTestApp,
  createUser,
  TEST_PASSWORD,
  TestClient,
  type TestContext,
  text,
} from '../helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp({ demo: true });
});
afterEach(() => ctx.close());

describe('sign-in', () => {
  it('shows a labelled login form with a CSRF field', async () => {
    const res = await new TestClient(ctx.app).get('/login');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<label for="f-email">Adresse e-mail</label>');
    expect(res.body).toContain('<label for="f-password">Mot de passe</label>');
    expect(res.body).toMatch(/name="_csrf" value="[^"]+"/);
  });

  it.each(demoAccounts)('signs in $email and lands on their home', async (account) => {
    const client = new TestClient(ctx.app);
    const res = await client.post('/login', { email: account.email, password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = res.cookies.find((c) => c.name === 'passerelle_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(cookie?.path).toBe('/');
    const home = await client.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain(`<a href="/profile" class="account__link">${account.displayName}`);
  });

  it('accepts the email in any case and with spaces around it', async () => {
    const client = new TestClient(ctx.app);
    const res = await client.post('/login', { email: '  Admin@FORIM.test ', password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(303);
  });

  it('answers a wrong password and an unknown email the same way, in French, keeping the email', async () => {
    const client = new TestClient(ctx.app);
    const wrong = await client.post('/login', { email: 'admin@forim.test', password: 'pas-le-bon' });
    const unknown = await client.post('/login', { email: 'personne@inconnu.test', password: 'pas-le-bon' });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(text(res.body)).toContain('Adresse e-mail ou mot de passe incorrect.');
      expect(res.cookies.find((c) => c.name === 'passerelle_session')).toBeUndefined();
    }
    expect(wrong.body).toContain('value="admin@forim.test"');
    expect(unknown.body).toContain('value="personne@inconnu.test"');
    // Same page apart from the email typed and the CSRF token.
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '').replace(/"X-CSRF-Token":"[^"]*"/, '');
    expect(strip(wrong.body)).toBe(strip(unknown.body));
  });

  it('shows each missing or malformed field next to it, with 422 and the input kept', async () => {
    const client = new TestClient(ctx.app);
    const res = await client.post('/login', { email: 'pas-une-adresse', password: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="f-email-error"');
    expect(text(res.body)).toContain('Saisissez une adresse e-mail valide');
    expect(text(res.body)).toContain('Saisissez votre mot de passe.');
    expect(res.body).toContain('value="pas-une-adresse"');
    expect(res.body).toMatch(/id="f-email"[^>]*aria-invalid="true"[^>]*aria-describedby="f-email-error"/);
  });

  it('never answers 500 to odd bodies: repeated fields, missing fields, huge values', async () => {
    const client = new TestClient(ctx.app);
    const repeated = await client.post('/login', { email: ['a@b.fr', 'c@d.fr'], password: 'x' });
    expect(repeated.statusCode).toBe(422);
    const missing = await client.post('/login', {});
    expect(missing.statusCode).toBe(422);
    const huge = await client.post('/login', {
      email: `${'a'.repeat(5000)}@b.fr`,
      password: 'x'.repeat(5000),
    });
    expect(huge.statusCode).toBe(422);
    const json = await client.request({
      method: 'POST',
      url: '/login',
      payload: '{"email": 1',
      headers: { 'content-type': 'application/json', origin: BASE_URL },
    });
    expect(json.statusCode).toBe(400);
    expect(text(json.body)).toContain('Demande incorrecte');
  });

  it('refuses a post without CSRF token, with a French 403', async () => {
    const client = new TestClient(ctx.app);
    await client.get('/login');
    const res = await client.post(
      '/login',
      { email: 'admin@forim.test', password: DEMO_PASSWORD },
      { csrf: false },
    );
    expect(res.statusCode).toBe(403);
    expect(text(res.body)).toContain('Formulaire expiré');
  });

  it('refuses a post with a token of another browser', async () => {
    const other = new TestClient(ctx.app);
    const stolen = await other.csrfToken();
    const client = new TestClient(ctx.app);
    await client.get('/login');
    const res = await client.post(
      '/login',
      { email: 'admin@forim.test', password: DEMO_PASSWORD, _csrf: stolen },
      { csrf: false },
    );
    expect(res.statusCode).toBe(403);
  });

  it('refuses a post from a foreign Origin, even with a valid token', async () => {
    const client = new TestClient(ctx.app);
    const res = await client.post(
      '/login',
      { email: 'admin@forim.test', password: DEMO_PASSWORD },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(res.statusCode).toBe(403);
    expect(text(res.body)).toContain('ne vient pas de Passerelle');
    const crossSite = await client.post(
      '/login',
      { email: 'admin@forim.test', password: DEMO_PASSWORD },
      { headers: { origin: '', 'sec-fetch-site': 'cross-site' } },
    );
    expect(crossSite.statusCode).toBe(403);
  });

  it('slows down a burst of 20 bad logins with a French 429, without locking out the owner elsewhere', async () => {
    const attacker = new TestClient(ctx.app, '203.0.113.66');
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await attacker.post('/login', {
        email: 'membre@cosim-bretagne.test',
        password: `essai-${i}`,
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(text(res.body)).toContain('Trop de tentatives de connexion');
        expect(res.headers['retry-after']).toBeDefined();
      }
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    // Even the right password waits on the attacker's address…
    const blocked = await attacker.post('/login', {
      email: 'membre@cosim-bretagne.test',
      password: DEMO_PASSWORD,
    });
    expect(blocked.statusCode).toBe(429);
    // …but the owner, from their own phone, signs in.
    const owner = new TestClient(ctx.app, '192.0.2.10');
    const res = await owner.post('/login', { email: 'membre@cosim-bretagne.test', password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(303);
  });

  it('tells a disabled account apart only once the password is right', async () => {
    const user = await createUser(ctx.db, { role: 'member', disabledAt: new Date() });
    const client = new TestClient(ctx.app);
    const wrong = await client.post('/login', { email: user.email, password: 'faux-mot-de-passe' });
    expect(wrong.statusCode).toBe(401);
    const right = await client.post('/login', { email: user.email, password: TEST_PASSWORD });
    expect(right.statusCode).toBe(403);
    expect(text(right.body)).toContain('Ce compte est désactivé');
  });

  it('gives a new session token at each sign-in', async () => {
    const client = new TestClient(ctx.app);
    await client.login('admin@forim.test', DEMO_PASSWORD);
    const first = client.cookies.get('passerelle_session');
    await client.login('admin@forim.test', DEMO_PASSWORD);
    const second = client.cookies.get('passerelle_session');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    // The first session was replaced, not kept alongside.
    expect(ctx.db.select().from(sessions).all()).toHaveLength(1);
  });

  it('goes back to the page asked for, but never to another site', async () => {
    const client = new TestClient(ctx.app);
    const res = await client.post('/login?next=%2Fadmin%2Foutbox', {
      email: 'admin@forim.test',
      password: DEMO_PASSWORD,
    });
    expect(res.headers.location).toBe('/admin/outbox');
    const evil = new TestClient(ctx.app);
    const res2 = await evil.post('/login?next=%2F%2Fevil.example', {
      email: 'admin@forim.test',
      password: DEMO_PASSWORD,
    });
    expect(res2.headers.location).toBe('/');
  });

  it('sends a signed-out visitor of a private page to the login page, and back after', async () => {
    const client = new TestClient(ctx.app);
    const res = await client.get('/admin/outbox');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fadmin%2Foutbox');
  });
});

describe('sign-out', () => {
  it('ends the session on the server and says goodbye in French', async () => {
    const client = new TestClient(ctx.app);
    await client.login('admin@forim.test', DEMO_PASSWORD);
    const token = client.cookies.get('passerelle_session')!;
    const res = await client.post('/logout');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login');
    const page = await client.get('/login');
    expect(text(page.body)).toContain('Vous êtes déconnecté·e. À bientôt !');
    // The old cookie is worth nothing now.
    const replay = new TestClient(ctx.app);
    replay.cookies.set('passerelle_session', token);
    expect((await replay.get('/')).statusCode).toBe(303);
  });

  it('cannot be triggered without the CSRF token', async () => {
    const client = new TestClient(ctx.app);
    await client.login('admin@forim.test', DEMO_PASSWORD);
    const res = await client.post('/logout', {}, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect((await client.get('/')).statusCode).toBe(200);
  });
});

import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestPasswordReset } from '../../src/auth/password-reset.ts';
import { passwordResets } from '../../src/db/schema.ts';
import { listOutbox } from '../../src/mail/outbox.ts';
import {
  createTestApp,
  createUser,
  lastLinkTo,
  TEST_PASSWORD,
  TestClient,
  type TestContext,
  text,
} from '../helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp();
});
afterEach(() => ctx.close());

describe('forgotten password', () => {
  it('emails a link to an existing account, and says the same for an unknown email', async () => {
    const user = await createUser(ctx.db, { role: 'member', displayName: 'Awa Diop' });
    const client = new TestClient(ctx.app);
    const known = await client.post('/password/forgot', { email: user.email });
    const unknown = await client.post('/password/forgot', { email: 'inconnu@exemple.test' });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    expect(text(known.body)).toContain(`Si un compte existe pour ${user.email}`);
    expect(text(unknown.body)).toContain('Si un compte existe pour inconnu@exemple.test');
    const mails = listOutbox(ctx.db);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.toAddress).toBe(user.email);
    expect(mails[0]!.subject).toBe('Passerelle\u00a0: choisir un nouveau mot de passe');
    expect(mails[0]!.textBody).toContain('Bonjour Awa Diop');
    // The person receives the link (the stored text never holds it).
    expect(await lastLinkTo(ctx, user.email, 'password-reset')).toMatch(/^\/password\/reset\/[a-z2-7]{32}$/);
  });

  it('validates the email field in French', async () => {
    const res = await new TestClient(ctx.app).post('/password/forgot', { email: 'awa@' });
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Saisissez une adresse e-mail valide');
    expect(res.body).toContain('value="awa@"');
  });

  it('limits repeated requests for the same address', async () => {
    const user = await createUser(ctx.db);
    const client = new TestClient(ctx.app);
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await client.post('/password/forgot', { email: user.email })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(listOutbox(ctx.db)).toHaveLength(3);
  });
});

describe('reset link', () => {
  async function sendLink() {
    const user = await createUser(ctx.db, { role: 'member' });
    const { token } = requestPasswordReset(ctx.db, ctx.mailer, user.email, ctx.config.baseUrl);
    return { user, url: `/password/reset/${token}` };
  }

  it('sets a new password, ends every other session, and signs the person in', async () => {
    const { user, url } = await sendLink();
    const phone = new TestClient(ctx.app);
    await phone.login(user.email);
    const client = new TestClient(ctx.app);
    const form = await client.get(url);
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toContain(`Compte : ${user.email}`);
    const res = await client.post(url, {
      password: 'un nouveau mot de passe',
      confirm: 'un nouveau mot de passe',
    });
    expect(res.statusCode).toBe(303);
    expect(text((await client.get('/')).body)).toContain('Votre mot de passe a été changé');
    // The phone's session is gone.
    expect((await phone.get('/')).statusCode).toBe(303);
    // The old password no longer works; the new one does.
    const fresh = new TestClient(ctx.app);
    expect((await fresh.post('/login', { email: user.email, password: TEST_PASSWORD })).statusCode).toBe(401);
    expect(
      (await fresh.post('/login', { email: user.email, password: 'un nouveau mot de passe' })).statusCode,
    ).toBe(303);
  });

  it('refuses a reused link with 410 and a way to get a new one', async () => {
    const { url } = await sendLink();
    const client = new TestClient(ctx.app);
    await client.get(url);
    await client.post(url, { password: 'premier mot de passe', confirm: 'premier mot de passe' });
    const again = new TestClient(ctx.app);
    const res = await again.get(url);
    expect(res.statusCode).toBe(410);
    expect(text(res.body)).toContain('Ce lien a expiré ou a déjà servi.');
    expect(res.body).toContain('href="/password/forgot"');
    const post = await again.post(url, { password: 'second mot de passe', confirm: 'second mot de passe' });
    expect(post.statusCode).toBe(410);
  });

  it('refuses an expired link with 410', async () => {
    const { user, url } = await sendLink();
    ctx.db
      .update(passwordResets)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResets.userId, user.id))
      .run();
    const res = await new TestClient(ctx.app).get(url);
    expect(res.statusCode).toBe(410);
  });

  it('answers 404 to an unknown or malformed link', async () => {
    const client = new TestClient(ctx.app);
    expect((await client.get('/password/reset/abcdefghijklmnopqrstuvwxyz234567')).statusCode).toBe(404);
    const odd = await client.get('/password/reset/%3Cscript%3E');
    expect(odd.statusCode).toBe(404);
    expect(odd.body).not.toContain('<script>');
    expect(text(odd.body)).toContain('Ce lien est incomplet ou inconnu.');
  });

  it('checks the new password and its confirmation, next to each field', async () => {
    const { url } = await sendLink();
    const client = new TestClient(ctx.app);
    const short = await client.post(url, { password: 'court', confirm: 'court' });
    expect(short.statusCode).toBe(422);
    expect(text(short.body)).toContain('Choisissez un mot de passe d’au moins 8 caractères.');
    const mismatch = await client.post(url, { password: 'assez long mot', confirm: 'un autre mot' });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('id="f-confirm-error"');
    expect(text(mismatch.body)).toContain('Les deux mots de passe ne sont pas identiques.');
    // The link still works after a failed attempt.
    expect(
      (await client.post(url, { password: 'assez long mot', confirm: 'assez long mot' })).statusCode,
    ).toBe(303);
  });
});

describe('the reset form as a browser sends it', () => {
  async function sendLink() {
    const user = await createUser(ctx.db, { role: 'member' });
    const { token } = requestPasswordReset(ctx.db, ctx.mailer, user.email, ctx.config.baseUrl);
    return { user, url: `/password/reset/${token}` };
  }
  const fresh = { password: 'un-nouveau-secret', confirm: 'un-nouveau-secret' };

  it('keeps the token out of other sites’ Referer, but not out of its own Origin', async () => {
    const { url } = await sendLink();
    const page = await new TestClient(ctx.app).get(url);
    expect(page.headers['referrer-policy']).toBe('same-origin');
  });

  it('accepts the post a browser sends with Origin: null from the app’s own page', async () => {
    const { url } = await sendLink();
    const client = new TestClient(ctx.app);
    await client.get(url);
    const res = await client.post(url, fresh, {
      headers: { origin: 'null', 'sec-fetch-site': 'same-origin' },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('refuses Origin: null from another site, or with nothing to say where it comes from', async () => {
    const { url } = await sendLink();
    const client = new TestClient(ctx.app);
    await client.get(url);
    for (const site of ['cross-site', 'same-site', undefined]) {
      const headers: Record<string, string> = { origin: 'null' };
      if (site) headers['sec-fetch-site'] = site;
      const res = await client.post(url, fresh, { headers });
      expect(res.statusCode).toBe(403);
      expect(text(res.body)).toContain('ne vient pas de Passerelle');
    }
    const foreign = await client.post(url, fresh, {
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(foreign.statusCode).toBe(403);
  });
});

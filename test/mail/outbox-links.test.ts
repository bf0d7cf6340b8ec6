// Live links never sit in clear in the outbox (issue 14, finding 5): the text of a mail is stored
// without its link, so neither the database, nor a backup of it, nor the national team's outbox page
// holds a link that opens an account. The person still receives a working link. Without SMTP the
// outbox shows pending invitation links (it is how they reach people) and never a new-password or
// e-mail-change link; with SMTP it shows none. Sent mails go after 30 days.
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { requestPasswordReset } from '../../src/auth/password-reset.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { listOutbox, purgeOutbox } from '../../src/mail/outbox.ts';
import { createTestApp, createUser, lastLinkTo, TestClient, type TestContext, text } from '../helpers.ts';
import { as } from '../invitations/world.ts';

let ctx: TestContext;
afterEach(() => ctx?.close());

const DAY = 86_400_000;
const TOKEN_LINK = /\/(?:password\/reset|invitation|profile\/email(?:\/undo)?)\/[a-z2-7]{32}/;
const organizationId = (name: string) =>
  ctx.db.get<{ id: number }>(sql`SELECT id FROM organizations WHERE name = ${name}`)!.id;

/** A reset asked for Karima, an invitation, and Mamadou's e-mail change confirmed (its undo link sent). */
async function mailWithLinks() {
  const reset = requestPasswordReset(ctx.db, ctx.mailer, 'membre@cosim-om.test', ctx.config.baseUrl);
  const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
  const invited = await coordinator.post('/invitations', {
    displayName: 'Aïssata Ba',
    email: 'aissata.ba@exemple.fr',
    organizationId: String(organizationId('Solidarité Blosne')),
    role: 'member',
  });
  expect(invited.statusCode).toBe(303);
  const mamadou = await as(ctx, 'membre@cosim-bretagne.test');
  expect(
    (await mamadou.post('/profile/email', { email: 'mamadou.sow@exemple.fr', emailPassword: DEMO_PASSWORD }))
      .statusCode,
  ).toBe(303);
  return { resetToken: reset.token!, coordinator, mamadou };
}

describe('what the database keeps of a mail’s link', () => {
  it('holds no link token, in any table or in a backup of the file', async () => {
    ctx = await createTestApp({ demo: true });
    const { resetToken, mamadou } = await mailWithLinks();
    const tokens = [resetToken];
    tokens.push(await lastLinkTo(ctx, 'aissata.ba@exemple.fr', 'invitation'));
    const change = await lastLinkTo(ctx, 'mamadou.sow@exemple.fr', 'email-change');
    tokens.push(change);
    await mamadou.get(change); // confirmed: the old address gets its undo link
    tokens.push(await lastLinkTo(ctx, 'membre@cosim-bretagne.test', 'email-change-undo'));
    const secrets = tokens.map((t) => t.slice(t.lastIndexOf('/') + 1));
    expect(secrets.every((s) => /^[a-z2-7]{32}$/.test(s))).toBe(true);

    // Every text column of every table.
    const tables = ctx.db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table'`);
    for (const { name } of tables) {
      const rows = ctx.db.$client.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[];
      const dump = JSON.stringify(rows);
      expect(dump, name).not.toMatch(TOKEN_LINK);
      for (const secret of secrets) expect(dump, name).not.toContain(secret);
    }
    // The stored text says where the link goes, and the mail itself is still all there.
    const reset = listOutbox(ctx.db).find((m) => m.toAddress === 'membre@cosim-om.test')!;
    expect(reset.textBody).toContain('Pour choisir un nouveau mot de passe, ouvrez ce lien');
    expect(reset.sentAt).not.toBeNull();
    expect(reset.sealedLink).toBeNull();

    // The bytes a backup copies: the whole database image, free pages included (serialize, rather
    // than a Backup object the test would leave to the garbage collector: the Node 24 rule of
    // src/db/client.ts).
    const bytes = ctx.db.$client.serialize().toString('latin1');
    for (const secret of secrets) expect(bytes).not.toContain(secret);
  });

  it('still gives the person a link that works', async () => {
    ctx = await createTestApp({});
    const user = await createUser(ctx.db, { role: 'member', email: 'awa@exemple.test' });
    await new TestClient(ctx.app).post('/password/forgot', { email: user.email });
    const link = await lastLinkTo(ctx, user.email, 'password-reset');
    const page = await new TestClient(ctx.app).get(link);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain(`Compte : ${user.email}`);
  });

  it('refuses a mail whose text carries an app link it was not told about', async () => {
    ctx = await createTestApp({});
    expect(() =>
      ctx.mailer.send({
        to: 'awa@exemple.test',
        subject: 'Oubli',
        text: `Votre lien : ${ctx.config.baseUrl}/password/reset/abcdefghijklmnopqrstuvwxyz234567`,
      }),
    ).toThrow(/link/);
    expect(listOutbox(ctx.db)).toHaveLength(0);
    // An address someone typed (a séance's video link) may end like a token: that mail goes.
    ctx.mailer.send({
      to: 'awa@exemple.test',
      subject: 'Rappel',
      text: 'Lien de la visio : https://meet.jit.si/abcdefghijklmnopqrstuvwxyz234567',
    });
    expect(listOutbox(ctx.db)).toHaveLength(1);
  });
});

describe('the outbox page without SMTP', () => {
  it('shows a pending invitation’s link, never a new-password or e-mail-change link', async () => {
    ctx = await createTestApp({ demo: true, smtp: false });
    await mailWithLinks();
    const admin = await as(ctx, 'admin@forim.test');
    const res = await admin.get('/admin/outbox');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const page = text(res.body);
    expect(page).toContain('Aucun serveur d’envoi (SMTP) n’est configuré');
    expect(page).toContain(
      'Les liens de nouveau mot de passe et de changement d’adresse ne sont montrés à personne',
    );
    expect(page).toContain('Les e-mails sont effacés 30 jours après leur envoi');
    // The reset Karima did not ask for herself and Mamadou's confirmation: masked, and said to wait.
    expect(res.body).not.toMatch(/\/password\/reset\/[a-z2-7]{32}|\/profile\/email\/[a-z2-7]{32}/);
    expect(page).toMatch(/À : membre@cosim-om\.test .* Ne part pas sans serveur d’envoi \(lien personnel\)/);
    expect(page).toContain('ouvrez ce lien (valable 60 minutes, une seule fois) : [lien masqué]');
    // The invitation's link is there, and it is the one on the invitation's own page.
    const link = /http:\/\/passerelle\.test(\/invitation\/[a-z2-7]{32})/.exec(res.body);
    expect(link).not.toBeNull();
    expect((await new TestClient(ctx.app).get(link![1]!)).statusCode).toBe(200);
  });

  it('masks an invitation link that no longer opens anything (sent again)', async () => {
    ctx = await createTestApp({ demo: true, smtp: false });
    const { coordinator } = await mailWithLinks();
    const id = ctx.db.get<{ id: number }>(
      sql`SELECT id FROM invitations WHERE email = 'aissata.ba@exemple.fr'`,
    )!.id;
    expect((await coordinator.post(`/invitations/${id}/resend`)).statusCode).toBe(303);
    const admin = await as(ctx, 'admin@forim.test');
    const body = (await admin.get('/admin/outbox')).body;
    // Aïssata's two mails, newest first: the new link on the newest, the old one masked.
    const [newest, older] = body
      .split('<li class="mail">')
      .filter((m) => m.includes('aissata.ba@exemple.fr'));
    const link = /http:\/\/passerelle\.test(\/invitation\/[a-z2-7]{32})/.exec(newest!)![1]!;
    expect((await new TestClient(ctx.app).get(link)).statusCode).toBe(200);
    expect(older).not.toMatch(TOKEN_LINK);
    expect(text(older!)).toContain('[lien masqué]');
  });
});

describe('the outbox page with SMTP', () => {
  it('never shows a link, even one waiting to leave', async () => {
    // A server that refuses connections: every mail stays pending, with its error.
    ctx = await createTestApp({ demo: true, env: { SMTP_URL: 'smtp://127.0.0.1:1' } });
    const refused: unknown[] = [];
    ctx.mailer.onError = (error) => refused.push(error);
    await mailWithLinks();
    await ctx.mailer.flush();
    expect(refused.length).toBeGreaterThan(0);
    const admin = await as(ctx, 'admin@forim.test');
    const res = await admin.get('/admin/outbox');
    expect(res.body).not.toMatch(TOKEN_LINK);
    const page = text(res.body);
    expect(page).toContain('ne sont jamais affichés ici');
    expect(page).toMatch(/À : aissata\.ba@exemple\.fr .* Échec/);
    expect(page).toContain('ouvrez ce lien (valable jusqu’au');
    expect(page).toContain('[lien masqué]');
  });
});

describe('the outbox purge', () => {
  it('deletes mails 30 days after sending, and forgets expired links, which then never leave', async () => {
    ctx = await createTestApp({ smtp: false });
    const now = Date.now();
    const old = ctx.mailer.send({ to: 'a@exemple.test', subject: 'Ancien', text: 'Bonjour' });
    const recent = ctx.mailer.send({ to: 'b@exemple.test', subject: 'Récent', text: 'Bonjour' });
    const unsent = ctx.mailer.send({ to: 'c@exemple.test', subject: 'Jamais parti', text: 'Bonjour' });
    ctx.db.run(sql`UPDATE outbox SET sent_at = ${now - 31 * DAY} WHERE id = ${old}`);
    ctx.db.run(sql`UPDATE outbox SET sent_at = ${now - 29 * DAY} WHERE id = ${recent}`);
    ctx.db.run(sql`UPDATE outbox SET created_at = ${now - 31 * DAY} WHERE id = ${unsent}`);
    const user = await createUser(ctx.db, { role: 'member', email: 'awa@exemple.test' });
    requestPasswordReset(ctx.db, ctx.mailer, user.email, ctx.config.baseUrl, new Date(now - 2 * 3600_000));

    expect(purgeOutbox(ctx.db, new Date(now))).toEqual({ linksForgotten: 1, mailsDeleted: 2 });
    expect(listOutbox(ctx.db).map((m) => m.subject)).toEqual([
      'Passerelle\u00a0: choisir un nouveau mot de passe',
      'Récent',
    ]);
    expect(listOutbox(ctx.db)[0]!.sealedLink).toBeNull();
    expect(purgeOutbox(ctx.db, new Date(now))).toEqual({ linksForgotten: 0, mailsDeleted: 0 });
  });

  it('does not send a mail whose link expired while SMTP was down', async () => {
    ctx = await createTestApp({ demo: true });
    const user = await createUser(ctx.db, { role: 'member', email: 'awa@exemple.test' });
    // Asked two hours ago; the server is back only now.
    const errors: unknown[] = [];
    ctx.mailer.onError = (error) => errors.push(error);
    requestPasswordReset(
      ctx.db,
      ctx.mailer,
      user.email,
      ctx.config.baseUrl,
      new Date(Date.now() - 2 * 3600_000),
    );
    await ctx.mailer.flush();
    // Said in the log, as any mail that does not leave.
    expect(String(errors[0])).toContain('its link expired');
    expect(ctx.mailbox.filter((m) => m.to === user.email)).toHaveLength(0);
    const admin = new TestClient(ctx.app);
    await admin.login('admin@forim.test', DEMO_PASSWORD);
    expect(text((await admin.get('/admin/outbox')).body)).toContain(
      'Pas envoyé : son lien a expiré avant l’envoi',
    );
  });
});

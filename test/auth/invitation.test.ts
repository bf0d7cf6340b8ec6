import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInvitation, invitationLinks } from '../../src/auth/invitations.ts';
import { auditLog, invitations, memberships } from '../../src/db/schema.ts';
import { listOutbox } from '../../src/mail/outbox.ts';
import { findUserByEmail } from '../../src/people/users.ts';
import {
  createOrganization,
  createTestApp,
  createUser,
  lastLinkTo,
  TestClient,
  type TestContext,
  text,
} from '../helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp();
});
afterEach(() => ctx.close());

async function invite(email = 'nouvelle@exemple.test') {
  const cosim = createOrganization(ctx.db, { kind: 'cosim', name: 'COSIM Bretagne' });
  const osim = createOrganization(ctx.db, { kind: 'osim', name: 'Solidarité Blosne', parentId: cosim.id });
  const coordinator = await createUser(ctx.db, {
    role: 'coordinator',
    organizationId: cosim.id,
    displayName: 'Yannick Mensah',
  });
  const invitation = createInvitation(ctx.db, ctx.mailer, invitationLinks(ctx.config), {
    email,
    displayName: 'Awa Diop',
    organizationId: osim.id,
    role: 'member',
    invitedBy: coordinator.id,
  });
  return { osim, invitation, url: new URL(invitation.link).pathname };
}

describe('invitation link', () => {
  it('is emailed, lets the person set name and password, and lands them home signed in', async () => {
    const { osim, url } = await invite();
    const mail = listOutbox(ctx.db)[0]!;
    expect(mail.toAddress).toBe('nouvelle@exemple.test');
    expect(mail.subject).toBe('Invitation à rejoindre Passerelle (Solidarité Blosne)');
    expect(mail.textBody).toContain('Yannick Mensah vous invite à rejoindre Solidarité Blosne');
    expect(await lastLinkTo(ctx, 'nouvelle@exemple.test', 'invitation')).toBe(url);

    const client = new TestClient(ctx.app);
    const page = await client.get(url);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Vous êtes invité·e à rejoindre Solidarité Blosne comme membre.');
    expect(page.body).toContain('value="Awa Diop"');

    const res = await client.post(url, {
      displayName: 'Awa Diop-Sarr',
      password: 'ma phrase secrète',
      confirm: 'ma phrase secrète',
    });
    expect(res.statusCode).toBe(303);
    const home = await client.get('/');
    expect(text(home.body)).toContain('Votre compte est créé. Bienvenue, Awa Diop-Sarr !');
    expect(text(home.body)).toContain('Votre association : Solidarité Blosne');

    const user = findUserByEmail(ctx.db, 'nouvelle@exemple.test')!;
    expect(user.displayName).toBe('Awa Diop-Sarr');
    const roles = ctx.db.select().from(memberships).where(eq(memberships.userId, user.id)).all();
    expect(roles.map((m) => [m.organizationId, m.role])).toEqual([[osim.id, 'member']]);
    const actions = ctx.db
      .select()
      .from(auditLog)
      .all()
      .map((a) => a.action);
    expect(actions).toEqual(['invitation.create', 'invitation.accept']);
  });

  it('works only once', async () => {
    const { url } = await invite();
    const client = new TestClient(ctx.app);
    await client.post(url, {
      displayName: 'Awa',
      password: 'ma phrase secrète',
      confirm: 'ma phrase secrète',
    });
    const again = new TestClient(ctx.app);
    const res = await again.get(url);
    expect(res.statusCode).toBe(410);
    expect(text(res.body)).toContain('Demandez une nouvelle invitation');
    const post = await again.post(url, {
      displayName: 'Autre',
      password: 'autre phrase longue',
      confirm: 'autre phrase longue',
    });
    expect(post.statusCode).toBe(410);
  });

  it('expires, and can be revoked', async () => {
    const { invitation, url } = await invite();
    ctx.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(invitations.id, invitation.id))
      .run();
    expect((await new TestClient(ctx.app).get(url)).statusCode).toBe(410);
    const second = await invite('autre@exemple.test');
    ctx.db
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(eq(invitations.id, second.invitation.id))
      .run();
    expect((await new TestClient(ctx.app).get(second.url)).statusCode).toBe(410);
  });

  it('keeps what was typed and explains each error', async () => {
    const { url } = await invite();
    const client = new TestClient(ctx.app);
    const res = await client.post(url, { displayName: '  ', password: 'court', confirm: 'court' });
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Saisissez votre nom.');
    expect(text(res.body)).toContain('Choisissez un mot de passe d’au moins 8 caractères.');
    const tabs = await client.post(url, {
      displayName: 'Awa\u0007Diop',
      password: 'ma phrase secrète',
      confirm: 'ma phrase secrète',
    });
    expect(tabs.statusCode).toBe(422);
    expect(text(tabs.body)).toContain('caractères non autorisés');
    expect(findUserByEmail(ctx.db, 'nouvelle@exemple.test')).toBeUndefined();
  });

  it('asks a person who already has an account to sign in, then adds the role', async () => {
    const existing = await createUser(ctx.db, { role: 'member', email: 'deja@exemple.test' });
    const { osim, url } = await invite('deja@exemple.test');
    const client = new TestClient(ctx.app);
    const page = await client.get(url);
    expect(text(page.body)).toContain('Vous avez déjà un compte avec cette adresse');
    expect((await client.post(url)).headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    await client.login(existing.email);
    const accept = await client.post(url);
    expect(accept.statusCode).toBe(303);
    const roles = ctx.db.select().from(memberships).where(eq(memberships.userId, existing.id)).all();
    expect(roles.some((m) => m.organizationId === osim.id && m.role === 'member')).toBe(true);
  });
});

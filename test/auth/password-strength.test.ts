// New passwords: common, leaked or guessable ones are refused, in French, next to the field, on every
// form that sets one (forgotten password — admin:create's link too —, invitation, profile).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInvitation, invitationLinks } from '../../src/auth/invitations.ts';
import { requestPasswordReset } from '../../src/auth/password-reset.ts';
import { passwordWeakness } from '../../src/auth/password-strength.ts';
import {
  createOrganization,
  createTestApp,
  createUser,
  TEST_PASSWORD,
  TestClient,
  type TestContext,
  text,
} from '../helpers.ts';

describe('password strength (zxcvbn-ts, French and common lists)', () => {
  it.each([
    ['motdepasse', 'password.weak.common'],
    ['azertyuiop', 'password.weak.keyboard'],
    ['iloveyou', 'password.weak.common'],
    ['P@ssw0rd!', 'password.weak.common'],
    ['12345678', 'password.weak.common'],
    ['soleil123', 'password.weak.guessable'],
    ['nicolas1985', 'password.weak.word'],
  ])('refuses « %s »', async (password, reason) => {
    expect(await passwordWeakness(password)).toBe(reason);
  });

  it('refuses the person’s own name or address, and the site’s name', async () => {
    expect(await passwordWeakness('awadiop2026', ['awa.diop@exemple.test', 'Awa Diop'])).toBe(
      'password.weak.personal',
    );
    expect(await passwordWeakness('passerelle-forim')).toBe('password.weak.personal');
  });

  it.each([
    'trois baobabs sous la pluie',
    'ma fille aime le foot',
    'Dakar-Rennes-2026',
    'nouvelle phrase secrète',
  ])('accepts « %s »', async (password) => {
    expect(await passwordWeakness(password)).toBeNull();
  });

  it('judges a very long password quickly (its first 64 characters)', async () => {
    await passwordWeakness('échauffement');
    const started = performance.now();
    expect(await passwordWeakness('p4ssw0rd'.repeat(25))).not.toBeNull();
    expect(await passwordWeakness('aZ9!'.repeat(50))).not.toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('the forms that set a password', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestApp();
  });
  afterEach(() => ctx.close());

  const advice = 'Ajoutez des mots : une phrase de quatre mots';

  it('forgotten password: refuses a common one next to the field, then takes a good one', async () => {
    const user = await createUser(ctx.db);
    const { token } = requestPasswordReset(ctx.db, ctx.mailer, user.email, ctx.config.baseUrl);
    const client = new TestClient(ctx.app);
    const weak = await client.post(`/password/reset/${token}`, {
      password: 'motdepasse1',
      confirm: 'motdepasse1',
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.body).toContain('id="f-password-error"');
    expect(text(weak.body)).toContain('Ce mot de passe fait partie des plus utilisés');
    expect(text(weak.body)).toContain(advice);
    expect(weak.body).not.toContain('motdepasse1');
    const good = await client.post(`/password/reset/${token}`, {
      password: 'trois baobabs sous la pluie',
      confirm: 'trois baobabs sous la pluie',
    });
    expect(good.statusCode).toBe(303);
  });

  it('invitation: refuses a password made of the person’s name', async () => {
    const cosim = createOrganization(ctx.db, { kind: 'cosim' });
    const coordinator = await createUser(ctx.db, { role: 'coordinator', organizationId: cosim.id });
    const invitation = createInvitation(ctx.db, ctx.mailer, invitationLinks(ctx.config), {
      email: 'awa.diop@exemple.test',
      displayName: 'Awa Diop',
      organizationId: cosim.id,
      role: 'member',
      invitedBy: coordinator.id,
    });
    const url = new URL(invitation.link).pathname;
    const client = new TestClient(ctx.app);
    const weak = await client.post(url, {
      displayName: 'Awa Diop',
      password: 'awadiop2026',
      confirm: 'awadiop2026',
    });
    expect(weak.statusCode).toBe(422);
    expect(text(weak.body)).toContain('Ce mot de passe contient votre nom, votre adresse ou le nom du site.');
    expect(weak.body).toContain('value="Awa Diop"');
    const good = await client.post(url, {
      displayName: 'Awa Diop',
      password: 'ma fille aime le foot',
      confirm: 'ma fille aime le foot',
    });
    expect(good.statusCode).toBe(303);
  });

  it('profile: refuses a keyboard row, and says so with the other errors at once', async () => {
    const user = await createUser(ctx.db);
    const client = new TestClient(ctx.app);
    await client.login(user.email);
    const weak = await client.post('/profile/password', {
      current: 'pas le bon',
      password: 'azertyuiop',
      confirm: 'azertyuiop',
    });
    expect(weak.statusCode).toBe(422);
    expect(text(weak.body)).toContain('Une suite de touches du clavier (azerty…) se devine facilement.');
    expect(text(weak.body)).toContain('Le mot de passe actuel n’est pas le bon.');
    const good = await client.post('/profile/password', {
      current: TEST_PASSWORD,
      password: 'Dakar-Rennes-2026',
      confirm: 'Dakar-Rennes-2026',
    });
    expect(good.statusCode).toBe(303);
  });
});

// "Mon profil": name, language, email change by link, password change.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/seed-demo.ts';
import { missingKeys, offeredLocales } from '../src/i18n/index.ts';
import { listOutbox } from '../src/mail/outbox.ts';
import { findUserByEmail } from '../src/people/users.ts';
import { createTestApp, lastLinkTo, TestClient, type TestContext, text } from './helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp({ demo: true });
});
afterEach(() => ctx.close());

async function as(email: string) {
  const client = new TestClient(ctx.app);
  await client.login(email, DEMO_PASSWORD);
  return client;
}

describe('profile', () => {
  it('shows the person’s organizations and roles', async () => {
    const member = await as('membre@cosim-bretagne.test');
    const page = text((await member.get('/profile')).body);
    expect(page).toContain('Mon profil');
    expect(page).toContain('Membre — Solidarité Blosne (COSIM Bretagne)');
  });

  it('changes the name; offers no language whose catalogue is incomplete', async () => {
    const member = await as('membre@cosim-bretagne.test');
    // English lacks most keys today: it is not offered, and cannot be chosen by hand.
    expect(missingKeys('en')).toBeGreaterThan(0);
    expect(offeredLocales).toEqual(['fr']);
    expect((await member.get('/profile')).body).not.toContain('name="locale"');
    const english = await member.post('/profile', { displayName: 'Mamadou Sow', locale: 'en' });
    expect(english.statusCode).toBe(422);
    expect(findUserByEmail(ctx.db, 'membre@cosim-bretagne.test')!.locale).toBe('fr');

    const res = await member.post('/profile', { displayName: 'Mamadou Sow-Diallo' });
    expect(res.statusCode).toBe(303);
    const page = await member.get('/profile');
    expect(page.body).toContain('<html lang="fr">');
    expect(findUserByEmail(ctx.db, 'membre@cosim-bretagne.test')!.displayName).toBe('Mamadou Sow-Diallo');
    const bad = await member.post('/profile', { displayName: '' });
    expect(bad.statusCode).toBe(422);
  });

  it('changes the email only once the link sent to the new address is opened', async () => {
    const member = await as('membre@cosim-bretagne.test');
    const res = await member.post('/profile/email', {
      email: 'mamadou.sow@exemple.fr',
      emailPassword: DEMO_PASSWORD,
    });
    expect(res.statusCode).toBe(303);
    expect(findUserByEmail(ctx.db, 'membre@cosim-bretagne.test')).toBeDefined();
    const mail = listOutbox(ctx.db).find((m) => m.toAddress === 'mamadou.sow@exemple.fr')!;
    expect(mail.subject).toBe('Passerelle\u00a0: confirmez votre nouvelle adresse e-mail');
    const link = await lastLinkTo(ctx, 'mamadou.sow@exemple.fr', 'email-change');
    // Opened on another device, not signed in: it still works.
    const phone = new TestClient(ctx.app);
    const confirmed = await phone.get(link);
    expect(confirmed.statusCode).toBe(303);
    expect(findUserByEmail(ctx.db, 'mamadou.sow@exemple.fr')!.displayName).toBe('Mamadou Sow');
    expect((await phone.get(link)).statusCode).toBe(410);
    const fresh = new TestClient(ctx.app);
    expect(
      (await fresh.post('/login', { email: 'mamadou.sow@exemple.fr', password: DEMO_PASSWORD })).statusCode,
    ).toBe(303);
  });

  it('changes the password with the current one, and ends the other sessions and pending links', async () => {
    const laptop = await as('membre@cosim-bretagne.test');
    const phone = await as('membre@cosim-bretagne.test');
    // Pending: a forgotten-password link and an e-mail change.
    await new TestClient(ctx.app, '192.0.2.20').post('/password/forgot', {
      email: 'membre@cosim-bretagne.test',
    });
    const reset = await lastLinkTo(ctx, 'membre@cosim-bretagne.test', 'password-reset');
    await laptop.post('/profile/email', { email: 'mamadou.sow@exemple.fr', emailPassword: DEMO_PASSWORD });
    const change = await lastLinkTo(ctx, 'mamadou.sow@exemple.fr', 'email-change');
    const wrong = await laptop.post('/profile/password', {
      current: 'pas le bon',
      password: 'nouvelle phrase secrète',
      confirm: 'nouvelle phrase secrète',
    });
    expect(wrong.statusCode).toBe(422);
    expect(text(wrong.body)).toContain('Le mot de passe actuel n’est pas le bon.');
    const ok = await laptop.post('/profile/password', {
      current: DEMO_PASSWORD,
      password: 'nouvelle phrase secrète',
      confirm: 'nouvelle phrase secrète',
    });
    expect(ok.statusCode).toBe(303);
    expect((await laptop.get('/profile')).statusCode).toBe(200);
    expect((await phone.get('/profile')).statusCode).toBe(303);
    // Links asked for before the change no longer work.
    expect((await new TestClient(ctx.app).get(reset)).statusCode).toBe(410);
    expect((await new TestClient(ctx.app).get(change)).statusCode).toBe(410);
    expect(findUserByEmail(ctx.db, 'membre@cosim-bretagne.test')).toBeDefined();
  });

  it('is only ever the signed-in person’s own', async () => {
    expect((await new TestClient(ctx.app).get('/profile')).statusCode).toBe(303);
  });
});

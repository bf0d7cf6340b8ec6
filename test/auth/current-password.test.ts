// The current password, asked before changing the password or the address and before deleting the
// account, cannot be guessed at speed (issue 14, finding 11): ten wrong answers per account in a
// quarter of an hour, across the three forms and every session of the account.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, createUser, TEST_PASSWORD, TestClient, type TestContext, text } from '../helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp();
});
afterEach(() => ctx.close());

describe('current-password checks', () => {
  it('answer 429 after ten wrong answers, across forms and sessions, even to the right password', async () => {
    const user = await createUser(ctx.db, { role: 'member' });
    const laptop = new TestClient(ctx.app);
    await laptop.login(user.email);
    const phone = new TestClient(ctx.app, '192.0.2.44');
    await phone.login(user.email);
    const tries = [
      () =>
        laptop.post('/profile/password', {
          current: 'essai',
          password: 'Dakar-Rennes-2026',
          confirm: 'Dakar-Rennes-2026',
        }),
      () => laptop.post('/profile/email', { email: 'nouvelle@exemple.fr', emailPassword: 'essai' }),
      () => phone.post('/me/delete', { password: 'essai', understood: 'on' }),
    ];
    for (let i = 0; i < 10; i++) expect((await tries[i % 3]!()).statusCode).toBe(422);

    const blocked = await phone.post('/profile/password', {
      current: TEST_PASSWORD,
      password: 'Dakar-Rennes-2026',
      confirm: 'Dakar-Rennes-2026',
    });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body).toContain('id="f-current-error"');
    expect(text(blocked.body)).toContain('Trop d’essais de mot de passe. Réessayez dans 15 minutes.');
    const email = await laptop.post('/profile/email', {
      email: 'nouvelle@exemple.fr',
      emailPassword: TEST_PASSWORD,
    });
    expect(email.statusCode).toBe(429);
    expect(email.body).toContain('id="f-emailPassword-error"');
    expect(email.body).toContain('value="nouvelle@exemple.fr"');
    const erase = await laptop.post('/me/delete', { password: TEST_PASSWORD, understood: 'on' });
    expect(erase.statusCode).toBe(429);
    expect(text(erase.body)).toContain('Trop d’essais de mot de passe');

    // Another account is not concerned.
    const other = await createUser(ctx.db, { role: 'member' });
    const client = new TestClient(ctx.app);
    await client.login(other.email);
    const fine = await client.post('/profile/password', {
      current: TEST_PASSWORD,
      password: 'Dakar-Rennes-2026',
      confirm: 'Dakar-Rennes-2026',
    });
    expect(fine.statusCode).toBe(303);
  });
});

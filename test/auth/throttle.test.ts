// Rate limits that hold behind a proxy (TRUST_PROXY as a hop count or the proxy's addresses: the
// client cannot choose its address by writing X-Forwarded-For), and a limit per account that holds
// whatever the address, without shutting the owner out.
import { afterEach, describe, expect, it } from 'vitest';
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
afterEach(() => ctx.close());

/** A request as a reverse proxy at 127.0.0.1 passes it on: whatever the client wrote, then the client's address. */
function behindProxy(clientWrote: string, realClient: string) {
  return { 'x-forwarded-for': `${clientWrote}, ${realClient}` };
}

describe.each([
  ['a hop count', '1'],
  ['the proxy’s address', '127.0.0.1'],
])('behind a reverse proxy named by %s (TRUST_PROXY=%s)', (_name, setting) => {
  it('meets the 429 even when the client writes a new X-Forwarded-For entry each time', async () => {
    ctx = await createTestApp({ env: { TRUST_PROXY: setting } });
    const user = await createUser(ctx.db);
    const attacker = new TestClient(ctx.app, '127.0.0.1');
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await attacker.post(
        '/login',
        { email: user.email, password: `essai-${i}` },
        { headers: behindProxy(`10.9.${i}.${i}`, '203.0.113.66') },
      );
      statuses.push(res.statusCode);
    }
    // Ten failures a minute from one address and account; then 429, before the account's own budget.
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(15).fill(429));

    // Another person behind the same proxy is another address: not blocked by the attacker.
    const owner = new TestClient(ctx.app, '127.0.0.1');
    const res = await owner.post(
      '/login',
      { email: user.email, password: TEST_PASSWORD },
      { headers: behindProxy('203.0.113.66', '192.0.2.10') },
    );
    expect(res.statusCode).toBe(303);
  });

  it('limits forgotten-password requests by the real address too', async () => {
    ctx = await createTestApp({ env: { TRUST_PROXY: setting } });
    const user = await createUser(ctx.db);
    const client = new TestClient(ctx.app, '127.0.0.1');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await client.post(
        '/password/forgot',
        { email: user.email },
        { headers: behindProxy(`10.8.${i}.1`, '203.0.113.67') },
      );
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    expect(listOutbox(ctx.db)).toHaveLength(3);
  });
});

describe('failed sign-ins per account, from any address', () => {
  it('slow down guesses spread over many addresses; the forgotten-password link still lets the owner in', async () => {
    ctx = await createTestApp();
    const user = await createUser(ctx.db);
    for (let i = 0; i < 20; i++) {
      const res = await new TestClient(ctx.app, `198.18.${i}.1`).post('/login', {
        email: user.email,
        password: `essai-${i}`,
      });
      expect(res.statusCode).toBe(401);
    }
    // The 21st guess, from yet another address, waits — so does the right password, for a quarter hour.
    const owner = new TestClient(ctx.app, '192.0.2.10');
    const blocked = await owner.post('/login', { email: user.email, password: TEST_PASSWORD });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(text(blocked.body)).toContain('Trop de tentatives de connexion sur ce compte. Réessayez dans 15');
    expect(text(blocked.body)).toContain('Mot de passe oublié');

    // Never a lock-out: the owner asks for a link, chooses a new password and is signed in.
    expect((await owner.post('/password/forgot', { email: user.email })).statusCode).toBe(200);
    const link = await lastLinkTo(ctx, user.email, 'password-reset');
    const fresh = 'trois baobabs sous la pluie';
    const reset = await owner.post(link, { password: fresh, confirm: fresh });
    expect(reset.statusCode).toBe(303);
    expect((await owner.get('/')).statusCode).toBe(200);
  });

  it('treats an unknown address the same way (nothing tells whether an account exists)', async () => {
    ctx = await createTestApp();
    const answers: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await new TestClient(ctx.app, `198.19.${i}.1`).post('/login', {
        email: 'personne@inconnu.test',
        password: `essai-${i}`,
      });
      answers.push(res.statusCode);
      if (i === 20) expect(text(res.body)).toContain('Trop de tentatives de connexion sur ce compte');
    }
    expect(answers).toEqual([...Array(20).fill(401), 429]);
  });
});

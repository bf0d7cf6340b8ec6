// Every registered route declares who may use it; the declared rule is what each role gets.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/db/schema.ts';
import { type Access, isValidAccess } from '../src/plugins/access.ts';
import { accessMatrix } from './access-matrix.ts';
import { createTestApp, loginAs, TestClient, type TestContext } from './helpers.ts';

let ctx: TestContext;
const clients = new Map<Role | 'anonymous', TestClient>();

beforeAll(async () => {
  ctx = await createTestApp();
  await ctx.app.ready();
  clients.set('anonymous', new TestClient(ctx.app));
  for (const role of ['member', 'trainer', 'coordinator', 'admin'] as const) {
    clients.set(role, (await loginAs(ctx, role)).client);
  }
});
afterAll(() => ctx.close());

/** A concrete URL for a route pattern (`:token` → a well-formed but unknown value). */
function concrete(url: string): string {
  return url.replace(/:(\w+)/g, 'abcdefghijklmnopqrstuvwxyz234567').replace('*', 'inconnu.css');
}

describe('route access declarations', () => {
  it('every registered route declares a valid access rule', () => {
    expect(ctx.app.routeAccess.length).toBeGreaterThan(10);
    const undeclared = ctx.app.routeAccess.filter((r) => !isValidAccess(r.access));
    expect(undeclared).toEqual([]);
  });

  it('an app with a route that declares nothing refuses to start', async () => {
    const other = await createTestApp();
    expect(() => other.app.get('/oubli', async () => 'rien')).toThrow(/GET \/oubli declares no access rule/);
    await other.close();
  });

  it('is printed in the README as the table of who may do what', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = /<!-- access-matrix:start -->\n([\s\S]*?)\n<!-- access-matrix:end -->/.exec(readme)?.[1];
    // When a route is added or its rule changes, paste the table printed here into the README.
    const want = accessMatrix(ctx.app.routeAccess);
    if (table !== want) console.log(want);
    expect(table).toBe(want);
  });

  it('lists the private routes with the rule they declare', () => {
    const rules = Object.fromEntries(
      ctx.app.routeAccess.filter((r) => r.method === 'GET').map((r) => [r.url, r.access]),
    );
    expect(rules['/']).toBe('signed-in');
    expect(rules['/admin/outbox']).toEqual({ roles: ['admin'] });
    expect(rules['/login']).toBe('public');
    expect(rules['/healthz']).toBe('public');
  });

  const expected = (access: Access, who: Role | 'anonymous'): 'allowed' | 'login' | 'forbidden' => {
    if (access === 'public') return 'allowed';
    if (who === 'anonymous') return 'login';
    if (access === 'signed-in') return 'allowed';
    return access.roles.includes(who) ? 'allowed' : 'forbidden';
  };

  it('answers each role as the declared rule says, on every route', async () => {
    const mismatches: string[] = [];
    for (const route of ctx.app.routeAccess) {
      if (route.method === 'HEAD') continue;
      // Sign-out would end the shared clients' sessions: it is covered in auth/login.test.ts.
      if (route.url === '/logout') continue;
      for (const [who, client] of clients) {
        const url = concrete(route.url);
        const res = route.method === 'GET' ? await client.get(url) : await client.post(url, {});
        const got =
          res.statusCode === 403 && !/Formulaire expiré/.test(res.body)
            ? 'forbidden'
            : (res.statusCode === 303 && String(res.headers.location).startsWith('/login?next=')) ||
                res.statusCode === 401
              ? 'login'
              : 'allowed';
        const want = expected(route.access!, who);
        // A public form answering 401 (wrong password) is "allowed": it reached the handler.
        const same = got === want || (want === 'allowed' && got === 'login' && route.access === 'public');
        if (!same)
          mismatches.push(`${route.method} ${route.url} as ${who}: ${res.statusCode} (${got}, want ${want})`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

// Every registered route declares who may use it (policy/route-rules.ts); the declared rule is what
// each role gets, a refused call changes nothing in the database, and an allowed write of each
// family does what it should.

import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCycle, enrol, getCycleFor } from '../src/cycles/cycles.ts';
import type { Db } from '../src/db/client.ts';
import {
  calendarFeeds,
  cycleMembers,
  cycles,
  gatheringSignups,
  gatherings,
  invitations,
  lessonProgress,
  organizations,
  type Role,
  roles,
  users,
} from '../src/db/schema.ts';
import { createGathering } from '../src/gatherings/gatherings.ts';
import { catalog } from '../src/learning/catalog.ts';
import { loadCurrentUser } from '../src/people/users.ts';
import { isValidAccess } from '../src/plugins/access.ts';
import { type Access, reachOf, rules } from '../src/policy/route-rules.ts';
import { accessMatrix } from './access-matrix.ts';
import {
  createOrganization,
  createTestApp,
  createUser,
  loginAs,
  TestClient,
  type TestContext,
} from './helpers.ts';

let ctx: TestContext;
const clients = new Map<Role | 'anonymous', TestClient>();

beforeAll(async () => {
  ctx = await createTestApp({ content: true });
  await ctx.app.ready();
  clients.set('anonymous', new TestClient(ctx.app));
  for (const role of roles) clients.set(role, (await loginAs(ctx, role)).client);
});
afterAll(() => ctx.close());

/** A concrete URL for a route pattern (`:token` → a well-formed but unknown value). */
function concrete(url: string): string {
  return url.replace(/:(\w+)/g, 'abcdefghijklmnopqrstuvwxyz234567').replace('*', 'inconnu.css');
}

/**
 * Every table's row count and a checksum of its rows: two equal snapshots mean nothing was
 * written. (The full-text index's own tables follow `users` and are left out.)
 */
function snapshot(db: Db): Map<string, string> {
  const tables = db.$client
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string }>;
  const result = new Map<string, string>();
  for (const { name } of tables) {
    if (name.startsWith('users_search')) continue;
    const rows = db.$client.prepare(`SELECT * FROM "${name}"`).raw().all();
    const text = JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    let hash = 0;
    for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
    result.set(name, `${rows.length}:${hash}`);
  }
  return result;
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((t) => before.get(t) !== after.get(t));
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
    // The old shorthand names no scope: refused too.
    expect(() =>
      other.app.get('/vague', { config: { access: 'signed-in' as never } }, async () => ''),
    ).toThrow(/declares no access rule/);
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

  it('names the scope of each route, not only « signed-in »', () => {
    const rule = (method: string, url: string) =>
      ctx.app.routeAccess.find((r) => r.method === method && r.url === url)?.access;
    expect(rule('GET', '/')).toBe(rules.signedIn);
    expect(rule('GET', '/login')).toBe('public');
    expect(rule('GET', '/profile')).toBe(rules.own);
    expect(rule('GET', '/admin/outbox')).toBe(rules.national);
    expect(rule('POST', '/cycles/:id/enrol')).toBe(rules.cycleFollowers);
    expect(rule('POST', '/gatherings/:id/attendance/:key')).toBe(rules.seanceRunners);
    expect(rule('POST', '/invitations/:id/resend')).toBe(rules.managers);
    // Few routes are the same for everyone: the training content, one's home, the lists of cycles
    // and fiches (each computed for its reader).
    const sameForAll = ctx.app.routeAccess.filter((r) => r.access === rules.signedIn && r.method !== 'HEAD');
    expect(
      sameForAll.every((r) => /^\/(learn|cycles$|experiences$|$)/.test(r.url) && r.method === 'GET'),
    ).toBe(true);
  });

  const expected = (access: Access, who: Role | 'anonymous'): 'allowed' | 'login' | 'forbidden' => {
    if (access === 'public') return 'allowed';
    if (who === 'anonymous') return 'login';
    return reachOf(access, who) === null ? 'forbidden' : 'allowed';
  };

  it('answers each role as the declared rule says, on every route, and a refused call changes nothing', async () => {
    const mismatches: string[] = [];
    const writes: string[] = [];
    for (const route of ctx.app.routeAccess) {
      if (route.method === 'HEAD') continue;
      // Sign-out would end the shared clients' sessions: it is covered in auth/login.test.ts.
      if (route.url === '/logout') continue;
      for (const [who, client] of clients) {
        const url = concrete(route.url);
        const before = route.method === 'GET' ? null : snapshot(ctx.db);
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
        if (before && res.statusCode >= 400) {
          const changed = changedTables(before, snapshot(ctx.db));
          if (changed.length > 0)
            writes.push(
              `${route.method} ${route.url} as ${who}: ${res.statusCode} wrote ${changed.join(', ')}`,
            );
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(writes).toEqual([]);
  });
});

/** A COSIM with an OSIM, its coordinator, trainer and member, an open cycle with a séance next week. */
async function collective() {
  const { db } = ctx;
  const cosim = createOrganization(db, { kind: 'cosim', name: `COSIM ${Math.random()}` });
  const osim = createOrganization(db, { kind: 'osim', name: `OSIM ${Math.random()}`, parentId: cosim.id });
  const signedIn = async (role: Role, organizationId: number) => {
    const user = await createUser(db, { role, organizationId });
    const client = new TestClient(ctx.app);
    await client.login(user.email);
    return { user, client };
  };
  const coordinator = await signedIn('coordinator', cosim.id);
  const trainer = await signedIn('trainer', cosim.id);
  const member = await signedIn('member', osim.id);
  const runner = loadCurrentUser(db, trainer.user.id)!;
  const cycleId = createCycle(db, runner, {
    name: 'Cycle ouvert',
    collectiveId: cosim.id,
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    enrolment: 'open',
  });
  const cycle = getCycleFor(db, runner, cycleId);
  const startsAt = new Date(Date.now() + 7 * 86_400_000);
  const gatheringId = createGathering(db, runner, cycle, {
    title: 'Atelier',
    courseId: null,
    theme: '',
    facilitatorId: trainer.user.id,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 7_200_000),
    timeZone: 'Europe/Paris',
    mode: 'online',
    placeName: '',
    address: '',
    town: '',
    placeInQpv: false,
    videoUrl: 'https://visio.example/atelier',
    capacity: 10,
    agenda: '',
  });
  return { cosim, osim, coordinator, trainer, member, cycle, gatheringId };
}

/** The call is refused with `status` and leaves every table as it was. */
async function refusedUnchanged(call: () => Promise<{ statusCode: number }>, status = 403) {
  const before = snapshot(ctx.db);
  const res = await call();
  expect(res.statusCode).toBe(status);
  expect(changedTables(before, snapshot(ctx.db))).toEqual([]);
}

describe('an allowed write does what it should; a refused one changes nothing', () => {
  it('cycles: a trainer opens one; a member may not', async () => {
    const c = await collective();
    const form = {
      name: 'Cycle printemps',
      collectiveId: String(c.cosim.id),
      startsOn: '2026-03-01',
      endsOn: '2026-06-30',
      enrolment: 'open',
    };
    const res = await c.trainer.client.post('/cycles', form);
    expect(res.statusCode).toBe(303);
    const made = ctx.db.select().from(cycles).where(eq(cycles.name, 'Cycle printemps')).get();
    expect(made?.collectiveId).toBe(c.cosim.id);
    await refusedUnchanged(() => c.member.client.post('/cycles', { ...form, name: 'Cycle pirate' }));
  });

  it('enrolment: a member of the collective enrols; its coordinator and trainer may not (finding 13)', async () => {
    const c = await collective();
    const row = (userId: number) =>
      ctx.db
        .select()
        .from(cycleMembers)
        .where(and(eq(cycleMembers.cycleId, c.cycle.id), eq(cycleMembers.userId, userId)))
        .get();
    expect((await c.member.client.post(`/cycles/${c.cycle.id}/enrol`)).statusCode).toBe(303);
    expect(row(c.member.user.id)?.withdrawnAt).toBeNull();
    await refusedUnchanged(() => c.coordinator.client.post(`/cycles/${c.cycle.id}/enrol`));
    await refusedUnchanged(() => c.trainer.client.post(`/cycles/${c.cycle.id}/enrol`));
  });

  it('séances: an enrolled member signs up; a trainer cancels; a member may not cancel', async () => {
    const c = await collective();
    enrol(ctx.db, c.cycle, c.member.user.id, c.trainer.user.id);
    expect((await c.member.client.post(`/gatherings/${c.gatheringId}/signup`)).statusCode).toBe(303);
    const signup = ctx.db
      .select()
      .from(gatheringSignups)
      .where(eq(gatheringSignups.gatheringId, c.gatheringId))
      .get();
    expect(signup).toMatchObject({ userId: c.member.user.id, status: 'confirmed' });
    await refusedUnchanged(
      () => c.member.client.post(`/gatherings/${c.gatheringId}/cancel`, { reason: 'Salle indisponible' }),
      404,
    );
    expect(
      (await c.trainer.client.post(`/gatherings/${c.gatheringId}/cancel`, { reason: 'Salle indisponible' }))
        .statusCode,
    ).toBe(303);
    const g = ctx.db.select().from(gatherings).where(eq(gatherings.id, c.gatheringId)).get()!;
    expect(g.cancelledAt).not.toBeNull();
  });

  it('organizations: a coordinator adds an OSIM to their collective; a trainer may not', async () => {
    const c = await collective();
    const form = { kind: 'osim', name: 'Les Amis du Blosne', parentId: String(c.cosim.id) };
    expect((await c.coordinator.client.post('/organizations', form)).statusCode).toBe(303);
    const made = ctx.db
      .select()
      .from(organizations)
      .where(eq(organizations.name, 'Les Amis du Blosne'))
      .get();
    expect(made?.parentId).toBe(c.cosim.id);
    await refusedUnchanged(() => c.trainer.client.post('/organizations', { ...form, name: 'Pirate' }));
  });

  it('invitations: a coordinator invites a member; a trainer may not', async () => {
    const c = await collective();
    const form = {
      displayName: 'Awa Diop',
      email: 'awa.diop@exemple.test',
      organizationId: String(c.osim.id),
      role: 'member',
    };
    expect((await c.coordinator.client.post('/invitations', form)).statusCode).toBe(303);
    const made = ctx.db
      .select()
      .from(invitations)
      .where(eq(invitations.email, 'awa.diop@exemple.test'))
      .get();
    expect(made).toMatchObject({
      organizationId: c.osim.id,
      role: 'member',
      invitedBy: c.coordinator.user.id,
    });
    await refusedUnchanged(() => c.trainer.client.post('/invitations', { ...form, email: 'x@exemple.test' }));
  });

  it('people: a coordinator disables a member of the collective; a trainer may not', async () => {
    const c = await collective();
    await refusedUnchanged(() => c.trainer.client.post(`/people/${c.member.user.id}/disable`));
    expect((await c.coordinator.client.post(`/people/${c.member.user.id}/disable`)).statusCode).toBe(303);
    const user = ctx.db.select().from(users).where(eq(users.id, c.member.user.id)).get()!;
    expect(user).toMatchObject({ disabledBy: c.coordinator.user.id, disabledAuthority: 'collective' });
    expect(user.disabledAt).not.toBeNull();
  });

  it('one’s own data: a member completes a lesson and makes a calendar feed, for themself', async () => {
    const c = await collective();
    const lesson = catalog(ctx.db).courses[0]!.lessons[0]!;
    expect((await c.member.client.post(`/learn/lessons/${lesson.id}/complete`)).statusCode).toBeLessThan(400);
    const done = ctx.db
      .select()
      .from(lessonProgress)
      .where(eq(lessonProgress.userId, c.member.user.id))
      .get();
    expect(done?.completedAt).not.toBeNull();
    expect((await c.member.client.post('/calendar/feed')).statusCode).toBeLessThan(400);
    expect(
      ctx.db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, c.member.user.id)).get(),
    ).toBeDefined();
  });

  it('national: the journal is the national team’s; a coordinator is refused', async () => {
    const c = await collective();
    expect((await c.coordinator.client.get('/admin/audit')).statusCode).toBe(403);
    expect((await clients.get('admin')!.get('/admin/audit')).statusCode).toBe(200);
  });
});

// The directory, a person's page, roles and account disabling — scoped by collective.
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, memberships, organizations, users } from '../src/db/schema.ts';
import { DEMO_PASSWORD } from '../src/demo/seed-demo.ts';
import { findUserByEmail } from '../src/people/users.ts';
import { createTestApp, createUser, TestClient, type TestContext, text } from './helpers.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp({ demo: true });
});
afterEach(() => ctx.close());

const org = (name: string) => ctx.db.select().from(organizations).where(eq(organizations.name, name)).get()!;
const person = (email: string) => findUserByEmail(ctx.db, email)!;

async function as(email: string) {
  const client = new TestClient(ctx.app);
  await client.login(email, DEMO_PASSWORD);
  return client;
}

describe('directory', () => {
  it('shows everyone to the national team, and only the collective to a coordinator', async () => {
    const admin = text((await (await as('admin@forim.test')).get('/people')).body);
    expect(admin).toContain('Karima Benali');
    expect(admin).toContain('Mamadou Sow');
    const coordinator = text((await (await as('coordination@cosim-bretagne.test')).get('/people')).body);
    expect(coordinator).toContain('Mamadou Sow');
    expect(coordinator).toContain('Awa Diop');
    expect(coordinator).not.toContain('Karima Benali');
    expect(coordinator).not.toContain('Nadia Haddad');
    expect(coordinator).toContain('5 personnes');
  });

  it('finds people by name without accents, by email, and by OSIM', async () => {
    const admin = await as('admin@forim.test');
    expect(text((await admin.get('/people?q=traore')).body)).toContain('Aminata Traoré');
    expect(text((await admin.get('/people?q=KOUAME')).body)).toContain('Jean-Baptiste Kouamé');
    const byEmail = text((await admin.get('/people?q=pafha.test')).body);
    expect(byEmail).toContain('Mariama Bah');
    expect(byEmail).toContain('1 personne');
    const byOsim = text((await admin.get('/people?q=petit%20bard')).body);
    expect(byOsim).toContain('Nadia Haddad');
    expect(byOsim).not.toContain('Mamadou Sow');
    // % and _ are not wildcards: they are dropped from the search.
    expect(text((await admin.get('/people?q=zz%25zz')).body)).toMatch(/(^| )0 personne( |$)/);
  });

  it('answers an htmx search with the results fragment only', async () => {
    const admin = await as('admin@forim.test');
    const res = await admin.get('/people?q=diop', {
      'hx-request': 'true',
      'hx-request-type': 'partial',
      'hx-target': 'div#people-results',
    });
    expect(res.body.startsWith('<div id="people-results"')).toBe(true);
    expect(text(res.body)).toContain('Awa Diop');
  });

  it('pages through the results, 50 at a time', async () => {
    const osim = org('Villejean Ensemble');
    for (let i = 0; i < 60; i++) {
      await createUser(ctx.db, {
        role: 'member',
        organizationId: osim.id,
        displayName: `Bénévole ${String(i).padStart(2, '0')}`,
      });
    }
    const coordinator = await as('coordination@cosim-bretagne.test');
    const first = text((await coordinator.get('/people?q=benevole')).body);
    expect(first).toContain('60 personnes · page 1 sur 2');
    expect(first).toContain('Bénévole 00');
    expect(first).not.toContain('Bénévole 55');
    const second = text((await coordinator.get('/people?q=benevole&page=2')).body);
    expect(second).toContain('Bénévole 55');
    expect((await coordinator.get('/people?page=9999')).statusCode).toBe(200);
    expect((await coordinator.get('/people?page=-3&q=%00')).statusCode).toBe(200);
  });

  it('is refused to members and trainers', async () => {
    expect((await (await as('membre@cosim-bretagne.test')).get('/people')).statusCode).toBe(403);
    expect((await (await as('formation@cosim-bretagne.test')).get('/people')).statusCode).toBe(403);
  });
});

describe('person page and roles', () => {
  it('lets a coordinator see a person of their collective, but not of another one', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const mine = await coordinator.get(`/people/${person('membre@cosim-bretagne.test').id}`);
    expect(mine.statusCode).toBe(200);
    expect(text(mine.body)).toContain('Membre — Solidarité Blosne');
    expect((await coordinator.get(`/people/${person('membre@cosim-om.test').id}`)).statusCode).toBe(404);
    expect((await coordinator.get(`/people/${person('admin@forim.test').id}`)).statusCode).toBe(404);
  });

  it('lets a coordinator make a member trainer in the collective, and take it back', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const mamadou = person('membre@cosim-bretagne.test');
    const bretagne = org('COSIM Bretagne');
    const res = await coordinator.post(`/people/${mamadou.id}/roles`, {
      organizationId: String(bretagne.id),
      role: 'trainer',
    });
    expect(res.statusCode).toBe(303);
    const granted = ctx.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, mamadou.id), eq(memberships.role, 'trainer')))
      .get()!;
    expect(granted.organizationId).toBe(bretagne.id);
    const withdraw = await coordinator.post(`/people/${mamadou.id}/roles/${granted.id}/withdraw`);
    expect(withdraw.statusCode).toBe(303);
    expect(ctx.db.select().from(memberships).where(eq(memberships.id, granted.id)).get()).toBeUndefined();
    const actions = ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectUserId, mamadou.id))
      .all()
      .map((a) => a.action);
    expect(actions).toEqual(['role.grant', 'role.withdraw']);
  });

  it('keeps the coordination and national roles for the national team', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const mamadou = person('membre@cosim-bretagne.test');
    const res = await coordinator.post(`/people/${mamadou.id}/roles`, {
      organizationId: String(org('COSIM Bretagne').id),
      role: 'coordinator',
    });
    expect(res.statusCode).toBe(403);
    const elsewhere = await coordinator.post(`/people/${mamadou.id}/roles`, {
      organizationId: String(org('AMF').id),
      role: 'member',
    });
    expect(elsewhere.statusCode).toBe(404);
    const admin = await as('admin@forim.test');
    const ok = await admin.post(`/people/${mamadou.id}/roles`, {
      organizationId: String(org('COSIM Bretagne').id),
      role: 'coordinator',
    });
    expect(ok.statusCode).toBe(303);
    const wrongKind = await admin.post(`/people/${mamadou.id}/roles`, {
      organizationId: String(org('AMF').id),
      role: 'coordinator',
    });
    expect(wrongKind.statusCode).toBe(422);
    expect(text(wrongKind.body)).toContain('Ce rôle ne se donne pas sur ce type d’organisation');
  });

  it('never removes the last admin', async () => {
    const admin = await as('admin@forim.test');
    const me = person('admin@forim.test');
    const role = ctx.db.select().from(memberships).where(eq(memberships.userId, me.id)).get()!;
    const res = await admin.post(`/people/${me.id}/roles/${role.id}/withdraw`);
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('C’est le dernier compte de l’équipe nationale');
    // With a second admin, the first one can step down.
    const other = await createUser(ctx.db, { role: 'admin', organizationId: org('FORIM').id });
    expect((await admin.post(`/people/${me.id}/roles/${role.id}/withdraw`)).statusCode).toBe(303);
    expect(other.id).toBeGreaterThan(0);
  });
});

describe('disabling an account', () => {
  it('ends the person’s sessions at once, and re-enabling restores access', async () => {
    const member = await as('membre@cosim-bretagne.test');
    expect((await member.get('/')).statusCode).toBe(200);
    const coordinator = await as('coordination@cosim-bretagne.test');
    const id = person('membre@cosim-bretagne.test').id;
    expect((await coordinator.post(`/people/${id}/disable`)).statusCode).toBe(303);
    expect((await member.get('/')).statusCode).toBe(303);
    const again = new TestClient(ctx.app);
    const refused = await again.post('/login', {
      email: 'membre@cosim-bretagne.test',
      password: DEMO_PASSWORD,
    });
    expect(refused.statusCode).toBe(403);
    expect((await coordinator.post(`/people/${id}/enable`)).statusCode).toBe(303);
    await again.login('membre@cosim-bretagne.test', DEMO_PASSWORD);
    expect((await again.get('/')).statusCode).toBe(200);
  });

  it('is not for a coordinator to do to another coordinator, nor to oneself, nor across collectives', async () => {
    const coordinator = await as('coordination@cosim-bretagne.test');
    const bretagne = org('COSIM Bretagne');
    const colleague = await createUser(ctx.db, { role: 'coordinator', organizationId: bretagne.id });
    expect((await coordinator.post(`/people/${colleague.id}/disable`)).statusCode).toBe(403);
    expect(
      (await coordinator.post(`/people/${person('coordination@cosim-bretagne.test').id}/disable`)).statusCode,
    ).toBe(422);
    expect((await coordinator.post(`/people/${person('membre@cosim-om.test').id}/disable`)).statusCode).toBe(
      404,
    );
    expect(ctx.db.select().from(users).where(eq(users.id, colleague.id)).get()!.disabledAt).toBeNull();
  });
});

describe('audit log page', () => {
  it('is readable by the national team only, in French', async () => {
    const admin = await as('admin@forim.test');
    const coordinator = await as('coordination@cosim-bretagne.test');
    await coordinator.post(`/people/${person('membre@cosim-bretagne.test').id}/disable`);
    const page = await admin.get('/admin/audit');
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Yannick Mensah — a désactivé le compte : Mamadou Sow');
    expect(text(page.body)).toContain(
      'Yannick Mensah — a invité : salimata.kone@cosim-bretagne.test (Membre) — Cleunay Passerelles',
    );
    expect((await coordinator.get('/admin/audit')).statusCode).toBe(403);
  });
});

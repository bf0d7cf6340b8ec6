// The role rules of issue 14, through the routes on the demo network: each failed before
// policy/policy.ts. A revoked national-team invitation cannot be revived by a coordinator (2); a
// FOSIM coordinator attaches an OSIM only to a collective they coordinate (7); an account the
// national team disabled is re-enabled by the national team only (12); the enrol button and
// POST /cycles/:id/enrol follow one rule (13).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitation, invitationLinks } from '../src/auth/invitations.ts';
import { cycleMembers, cycles, invitations, memberships, organizations, users } from '../src/db/schema.ts';
import { DEMO_PASSWORD } from '../src/demo/seed-demo.ts';
import { revokeInvitation } from '../src/invitations/manage.ts';
import { findUserByEmail, loadCurrentUser } from '../src/people/users.ts';
import {
  createOrganization,
  createTestApp,
  createUser,
  TestClient,
  type TestContext,
  text,
} from './helpers.ts';

let ctx: TestContext;
let bretagne: TestClient;
let admin: TestClient;

const org = (name: string) => ctx.db.select().from(organizations).where(eq(organizations.name, name)).get()!;
const demo = async (email: string) => {
  const client = new TestClient(ctx.app);
  await client.login(email, DEMO_PASSWORD);
  return client;
};

beforeAll(async () => {
  ctx = await createTestApp({ demo: true });
  bretagne = await demo('coordination@cosim-bretagne.test');
  admin = await demo('admin@forim.test');
});
afterAll(() => ctx.close());

/** A coordinator invitation to COSIM Bretagne, made by the national team. */
function nationalInvitation(email: string) {
  const national = findUserByEmail(ctx.db, 'admin@forim.test')!;
  const made = createInvitation(ctx.db, ctx.mailer, invitationLinks(ctx.config), {
    email,
    displayName: 'Future coordination',
    organizationId: org('COSIM Bretagne').id,
    role: 'coordinator',
    invitedBy: national.id,
  });
  return { national, made };
}

describe('finding 2 — a coordinator cannot revive a national-team invitation', () => {
  it('refuses to resend a revoked coordinator invitation, which stays revoked and cannot be accepted', async () => {
    const { national, made } = nationalInvitation('future.coordination@exemple.test');
    revokeInvitation(ctx.db, loadCurrentUser(ctx.db, national.id)!, made.id);
    const before = ctx.db.select().from(invitations).where(eq(invitations.id, made.id)).get()!;

    const page = await bretagne.get(`/invitations/${made.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(`/invitations/${made.id}/resend`);
    expect(page.body).not.toContain(`/invitations/${made.id}/reinvite`);
    expect(text(page.body)).toContain('Invitation de l’équipe nationale');

    const res = await bretagne.post(`/invitations/${made.id}/resend`);
    expect([403, 422]).toContain(res.statusCode);
    const after = ctx.db.select().from(invitations).where(eq(invitations.id, made.id)).get()!;
    expect(after.revokedAt).not.toBeNull();
    expect(after.tokenHash).toBe(before.tokenHash);
    // The link it had never opens again.
    expect((await new TestClient(ctx.app).get(made.link)).statusCode).not.toBe(200);
  });

  it('refuses to resend (or revoke) a pending coordinator invitation of the national team', async () => {
    const { made } = nationalInvitation('autre.coordination@exemple.test');
    const before = ctx.db.select().from(invitations).where(eq(invitations.id, made.id)).get()!;
    // Its link is a credential: the coordinator is not shown it, on its page or in the CSV.
    const page = await bretagne.get(`/invitations/${made.id}`);
    expect(page.body).not.toContain(made.link);
    expect((await bretagne.get('/invitations/pending.csv')).body).not.toContain(
      'autre.coordination@exemple.test',
    );
    expect((await admin.get(`/invitations/${made.id}`)).body).toContain(made.link);
    expect((await bretagne.post(`/invitations/${made.id}/resend`)).statusCode).toBe(403);
    expect((await bretagne.post(`/invitations/${made.id}/revoke`)).statusCode).toBe(403);
    const after = ctx.db.select().from(invitations).where(eq(invitations.id, made.id)).get()!;
    expect(after).toEqual(before);
  });

  it('the national team cannot revive a revoked invitation either; « Inviter à nouveau » makes a new, audited one', async () => {
    const { national, made } = nationalInvitation('troisieme@exemple.test');
    revokeInvitation(ctx.db, loadCurrentUser(ctx.db, national.id)!, made.id);
    expect((await admin.post(`/invitations/${made.id}/resend`)).statusCode).toBe(422);
    expect(
      ctx.db.select().from(invitations).where(eq(invitations.id, made.id)).get()!.revokedAt,
    ).not.toBeNull();

    const page = await admin.get(`/invitations/${made.id}`);
    expect(page.body).toContain(`/invitations/${made.id}/reinvite`);
    const res = await admin.post(`/invitations/${made.id}/reinvite`);
    expect(res.statusCode).toBe(303);
    const rows = ctx.db
      .select()
      .from(invitations)
      .where(eq(invitations.email, 'troisieme@exemple.test'))
      .all();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.revokedAt).not.toBeNull();
    expect(rows[1]).toMatchObject({ revokedAt: null, role: 'coordinator', invitedBy: national.id });
    expect(res.headers.location).toBe(`/invitations/${rows[1]!.id}`);
  });
});

describe('finding 7 — a FOSIM coordinator attaches OSIMs only to collectives they coordinate', () => {
  let fosim: TestClient;
  beforeAll(async () => {
    const person = await createUser(ctx.db, {
      role: 'coordinator',
      organizationId: org('FOSIM Afrique de l’Ouest').id,
    });
    fosim = new TestClient(ctx.app);
    await fosim.login(person.email);
  });

  it('cannot move Solidarité Blosne from COSIM Bretagne to another COSIM', async () => {
    const blosne = org('Solidarité Blosne');
    const form = {
      name: blosne.name,
      parentId: String(org('COSIM Occitanie Méditerranée').id),
      federationId: String(blosne.federationId),
      town: blosne.town ?? '',
      region: blosne.region ?? '',
      qpvNote: blosne.qpvNote ?? '',
      ...(blosne.actsInQpv ? { actsInQpv: 'on' } : {}),
    };
    const res = await fosim.post(`/organizations/${blosne.id}`, form);
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('qu’à un collectif que vous coordonnez');
    expect(org('Solidarité Blosne').parentId).toBe(org('COSIM Bretagne').id);
    // Editing what is theirs to edit, keeping the ties, still works.
    const kept = await fosim.post(`/organizations/${blosne.id}`, {
      ...form,
      parentId: String(blosne.parentId),
    });
    expect(kept.statusCode).toBe(303);
  });

  it('cannot create an OSIM inside COSIM Île-de-France, and is offered only their collectives', async () => {
    const res = await fosim.post('/organizations', {
      kind: 'osim',
      name: 'Association pirate',
      parentId: String(org('COSIM Île-de-France').id),
      federationId: String(org('FOSIM Afrique de l’Ouest').id),
    });
    expect(res.statusCode).toBe(422);
    expect(
      ctx.db.select().from(organizations).where(eq(organizations.name, 'Association pirate')).get(),
    ).toBeUndefined();
    const form = await fosim.get('/organizations/new');
    expect(form.body).not.toContain('COSIM Île-de-France');
    expect(form.body).toContain('FOSIM Afrique de l’Ouest');
    // Without a COSIM, in their own FOSIM: theirs to create.
    const ok = await fosim.post('/organizations', {
      kind: 'osim',
      name: 'Association de la FOSIM',
      federationId: String(org('FOSIM Afrique de l’Ouest').id),
    });
    expect(ok.statusCode).toBe(303);
  });
});

describe('finding 12 — only as much authority re-enables an account', () => {
  let awa: { id: number };
  beforeAll(async () => {
    awa = await createUser(ctx.db, {
      displayName: 'Awa Ndiaye',
      role: 'member',
      // An OSIM of its own, so that nothing another test moves takes her out of COSIM Bretagne.
      organizationId: createOrganization(ctx.db, {
        kind: 'osim',
        name: 'Horizons Rennes',
        parentId: org('COSIM Bretagne').id,
      }).id,
    });
  });

  it('a coordinator cannot re-enable a member the national team disabled; the national team can', async () => {
    expect((await admin.post(`/people/${awa.id}/disable`)).statusCode).toBe(303);
    const page = await bretagne.get(`/people/${awa.id}`);
    expect(page.body).not.toContain(`/people/${awa.id}/enable`);
    expect(text(page.body)).toContain('Désactivé par l’équipe nationale');

    expect((await bretagne.post(`/people/${awa.id}/enable`)).statusCode).toBe(403);
    expect(ctx.db.select().from(users).where(eq(users.id, awa.id)).get()!.disabledAt).not.toBeNull();

    expect((await admin.post(`/people/${awa.id}/enable`)).statusCode).toBe(303);
    expect(ctx.db.select().from(users).where(eq(users.id, awa.id)).get()!.disabledAt).toBeNull();
  });

  it('what a coordinator disabled, the coordinator (or the national team) re-enables', async () => {
    expect((await bretagne.post(`/people/${awa.id}/disable`)).statusCode).toBe(303);
    expect((await bretagne.get(`/people/${awa.id}`)).body).toContain(`/people/${awa.id}/enable`);
    expect((await bretagne.post(`/people/${awa.id}/enable`)).statusCode).toBe(303);
    expect(ctx.db.select().from(users).where(eq(users.id, awa.id)).get()!.disabledAt).toBeNull();
  });
});

describe('finding 13 — one rule for the enrol button and POST /cycles/:id/enrol', () => {
  it('a coordinator sees no enrol button and is refused; a member of the collective enrols', async () => {
    const cycle = ctx.db
      .select()
      .from(cycles)
      .where(eq(cycles.collectiveId, org('COSIM Bretagne').id))
      .all()
      .find((c) => c.enrolment === 'open' && !c.archivedAt);
    expect(cycle).toBeDefined();
    const coordinator = findUserByEmail(ctx.db, 'coordination@cosim-bretagne.test')!;
    const page = await bretagne.get(`/cycles/${cycle!.id}`);
    expect(page.body).not.toContain(`/cycles/${cycle!.id}/enrol`);
    expect((await bretagne.post(`/cycles/${cycle!.id}/enrol`)).statusCode).toBe(403);
    const enrolled = ctx.db.select().from(cycleMembers).where(eq(cycleMembers.userId, coordinator.id)).all();
    expect(enrolled).toEqual([]);

    // A coordinator who is also a member of an OSIM of another collective passes the route's gate:
    // the domain applies the same rule.
    ctx.db
      .insert(memberships)
      .values({ userId: coordinator.id, organizationId: org('AMF').id, role: 'member' })
      .run();
    const again = await demo('coordination@cosim-bretagne.test');
    expect((await again.get(`/cycles/${cycle!.id}`)).body).not.toContain(`/cycles/${cycle!.id}/enrol`);
    expect((await again.post(`/cycles/${cycle!.id}/enrol`)).statusCode).toBe(403);
    expect(ctx.db.select().from(cycleMembers).where(eq(cycleMembers.userId, coordinator.id)).all()).toEqual(
      [],
    );
  });
});

// Where an invitation link comes from: the app secret in a file outside the database (created at
// the first start, 0600), so the link can be shown again, survives a restart, and a copy of the
// database without the secret shows no link at all — never a dead one. Links made before this
// (only a hash stored) keep working and are marked « à renvoyer ».
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInvitation, invitationLinks } from '../../src/auth/invitations.ts';
import { generateLinkToken, hashLinkToken } from '../../src/auth/tokens.ts';
import { loadConfig } from '../../src/config.ts';
import { invitations } from '../../src/db/schema.ts';
import { KeyFileError } from '../../src/lib/app-secret.ts';
import {
  createOrganization,
  createTestApp,
  createUser,
  TestClient,
  type TestContext,
  text,
} from '../helpers.ts';
import { linkIn, linksIn } from './world.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'passerelle-links-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The app on a database file, with a coordinator of a COSIM and one of its OSIMs. */
async function appOn(databasePath: string, env: Record<string, string> = {}) {
  return createTestApp({ databasePath, env });
}

async function coordinatorOf(ctx: TestContext) {
  const cosim = createOrganization(ctx.db, { kind: 'cosim', name: 'COSIM Bretagne' });
  const osim = createOrganization(ctx.db, { kind: 'osim', name: 'Solidarité Blosne', parentId: cosim.id });
  const user = await createUser(ctx.db, { role: 'coordinator', organizationId: cosim.id });
  const client = new TestClient(ctx.app);
  await client.login(user.email);
  return { client, osim, user };
}

async function signIn(ctx: TestContext, email: string) {
  const client = new TestClient(ctx.app);
  await client.login(email);
  return client;
}

describe('the app secret', () => {
  it('lives next to the database by default, elsewhere with SECRET_PATH, in memory for :memory:', () => {
    expect(loadConfig({}).secretPath).toBe('data/passerelle.secret');
    expect(loadConfig({ DATABASE_PATH: '/srv/passerelle/data/p.db' }).secretPath).toBe(
      '/srv/passerelle/data/passerelle.secret',
    );
    expect(loadConfig({ SECRET_PATH: '/etc/passerelle/secret' }).secretPath).toBe('/etc/passerelle/secret');
    expect(loadConfig({ DATABASE_PATH: ':memory:' }).secretPath).toBeNull();
    expect(() => loadConfig({ SECRET_PATH: '' })).toThrow(/SECRET_PATH/);
  });

  it('is created at the first start, readable by the app’s user only, and kept: links survive a restart', async () => {
    const database = join(dir, 'passerelle.db');
    const first = await appOn(database);
    const secretFile = join(dir, 'passerelle.secret');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(secretFile, 'utf8')).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const { client, osim, user } = await coordinatorOf(first);
    await client.post('/invitations', {
      displayName: 'Awa Diop',
      email: 'awa@exemple.fr',
      organizationId: String(osim.id),
      role: 'member',
    });
    const link = linkIn((await client.get('/invitations')).body);
    await first.close();

    const again = await appOn(database);
    const list = await (await signIn(again, user.email)).get('/invitations');
    expect(linkIn(list.body)).toBe(link);
    expect((await new TestClient(again.app).get(new URL(link).pathname)).statusCode).toBe(200);
    await again.close();
  });

  it('goes where SECRET_PATH says, and nothing is written next to the database', async () => {
    const ctx = await appOn(join(dir, 'base', 'passerelle.db'), { SECRET_PATH: join(dir, 'cles', 'secret') });
    expect(statSync(join(dir, 'cles', 'secret')).mode & 0o777).toBe(0o600);
    expect(() => statSync(join(dir, 'base', 'passerelle.secret'))).toThrow();
    await ctx.close();
  });

  it('without it, a copy of the database shows no link — never a dead one — and « Renvoyer » makes one', async () => {
    const database = join(dir, 'passerelle.db');
    const original = await appOn(database, { SECRET_PATH: join(dir, 'original.secret') });
    const { client, osim, user } = await coordinatorOf(original);
    await client.post('/invitations', {
      displayName: 'Awa Diop',
      email: 'awa@exemple.fr',
      organizationId: String(osim.id),
      role: 'member',
    });
    const link = linkIn((await client.get('/invitations')).body);
    await original.close();

    // The database restored on another machine, whose secret is not the original one.
    const copy = await appOn(database, { SECRET_PATH: join(dir, 'other.secret') });
    const coordinator = await signIn(copy, user.email);
    const list = await coordinator.get('/invitations');
    expect(linksIn(list.body)).toEqual([]);
    expect(text(list.body)).toContain('Lien à renvoyer');
    // The original link still opens the invitation: its hash is what the database looks up.
    expect((await new TestClient(copy.app).get(new URL(link).pathname)).statusCode).toBe(200);
    const id = copy.db.select().from(invitations).get()!.id;
    await coordinator.post(`/invitations/${id}/resend`);
    const fresh = linkIn((await coordinator.get(`/invitations/${id}`)).body);
    expect((await new TestClient(copy.app).get(new URL(fresh).pathname)).statusCode).toBe(200);
    expect((await new TestClient(copy.app).get(new URL(link).pathname)).statusCode).toBe(404);
    await copy.close();
  });

  it('stops the start with a message naming a damaged secret file', async () => {
    const secret = join(dir, 'abime.secret');
    writeFileSync(secret, 'pas un secret\n', { mode: 0o600 });
    const error = await appOn(join(dir, 'passerelle.db'), { SECRET_PATH: secret }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyFileError);
    expect((error as Error).message).toContain(secret);
    expect(readFileSync(secret, 'utf8')).toBe('pas un secret\n');
  });
});

describe('invitations made before links could be shown again', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestApp();
  });
  afterEach(() => ctx.close());

  it('keep working, say « Lien à renvoyer », and « Renvoyer » gives them a link to copy', async () => {
    const { client, osim, user } = await coordinatorOf(ctx);
    // As the migration leaves them: a hash of an emailed token, no nonce.
    const oldToken = generateLinkToken();
    const { id } = createInvitation(ctx.db, ctx.mailer, invitationLinks(ctx.config), {
      email: 'ancienne@exemple.fr',
      displayName: 'Invitée Ancienne',
      organizationId: osim.id,
      role: 'member',
      invitedBy: user.id,
    });
    ctx.db
      .update(invitations)
      .set({ tokenHash: hashLinkToken(oldToken), linkNonce: null })
      .where(eq(invitations.id, id))
      .run();
    expect((await new TestClient(ctx.app).get(`/invitation/${oldToken}`)).statusCode).toBe(200);

    const list = await client.get('/invitations');
    expect(linksIn(list.body)).toEqual([]);
    expect(text(list.body)).toContain('Lien à renvoyer');
    expect(list.body).toContain(`action="/invitations/${id}/resend"`);
    const csv = await client.get('/invitations/pending.csv');
    expect(csv.body).toContain('Invitée Ancienne;ancienne@exemple.fr;lien à renvoyer depuis Passerelle');

    await client.post(`/invitations/${id}/resend`);
    const page = await client.get(`/invitations/${id}`);
    expect(text(page.body)).not.toContain('Lien à renvoyer');
    const link = linkIn(page.body);
    expect((await new TestClient(ctx.app).get(new URL(link).pathname)).statusCode).toBe(200);
    expect((await new TestClient(ctx.app).get(`/invitation/${oldToken}`)).statusCode).toBe(404);
  });
});

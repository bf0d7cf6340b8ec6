// The Open Badges signing key on a real database file: the private key in its own 0600 file and
// nowhere in the database or its backups (a database that held one before migration 0013 included);
// `npm run keys:rotate` as a process while the app runs: badges signed before still verify against
// /ob/jwks.json, new ones carry the new kid, and --withdraw-old stops the old ones verifying.
import { spawnSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeProtectedHeader,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentSigningKey, SigningKeyError } from '../../src/certificates/signing-key.ts';
import { backupDatabase } from '../../src/db/backup.ts';
import { openDatabase } from '../../src/db/client.ts';
import { migrationsFolder } from '../../src/db/migrate.ts';
import { signingKeys } from '../../src/db/schema.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { BASE_URL, createTestApp, TestClient, type TestContext } from '../helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'passerelle-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** What every private JWK holds and no public one does: the private exponent. */
const PRIVATE_JWK_MEMBER = '"d":"';

/** The bytes of a backup of the database at `path`, taken as `npm run backup` does. */
async function backupBytes(path: string, name: string): Promise<Buffer> {
  const target = join(dir, 'sauvegardes', `${name}.db`);
  await backupDatabase(path, target);
  return readFileSync(target);
}

/** `npm run keys:rotate` as a process, on the database at `databasePath`. */
function rotate(databasePath: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/keys-rotate.ts', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: databasePath },
    encoding: 'utf8',
  });
}

describe('on a running app', () => {
  const databasePath = join(dir, 'app', 'passerelle.db');
  const keyPath = join(dir, 'app', 'passerelle-signing-key.pem');
  let ctx: TestContext;
  let admin: TestClient;
  let badgeUrl: string;

  beforeAll(async () => {
    ctx = await createTestApp({ demo: true, databasePath });
    admin = new TestClient(ctx.app);
    await admin.login('admin@forim.test', DEMO_PASSWORD);
    // Awa's certificate, issued by the demo data.
    const { id } = ctx.db.get<{ id: number }>(
      sql`SELECT id FROM certificates WHERE revoked_at IS NULL LIMIT 1`,
    )!;
    badgeUrl = `/certificates/${id}/credential.jwt`;
  }, 60_000);
  afterAll(() => ctx.close());

  async function download(): Promise<{ jwt: string; kid: string }> {
    const response = await admin.get(badgeUrl);
    expect(response.statusCode).toBe(200);
    const jwt = response.body.trim();
    return { jwt, kid: String(decodeProtectedHeader(jwt).kid) };
  }

  /** Verifies with nothing but what the app publishes now. */
  async function verifies(jwt: string): Promise<boolean> {
    const jwks = (await admin.get('/ob/jwks.json')).json() as { keys: JWK[] };
    return jwtVerify(jwt, createLocalJWKSet(jwks), { algorithms: ['RS256'] }).then(
      () => true,
      () => false,
    );
  }

  it('keeps the private key in its own 0600 file: neither the database nor a backup holds it', async () => {
    const { jwt } = await download();
    expect(await verifies(jwt)).toBe(true);

    const backup = await backupBytes(databasePath, 'apres-un-badge');
    expect(backup.includes(PRIVATE_JWK_MEMBER)).toBe(false);

    const pem = readFileSync(keyPath, 'utf8');
    expect(pem.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    expect(mode(keyPath)).toBe('600');
    const { d } = createPrivateKey(pem).export({ format: 'jwk' });
    const body = pem.split('\n')[1]!;
    for (const secret of [d!, body]) {
      expect(backup.includes(secret)).toBe(false);
      expect(readFileSync(databasePath).includes(secret)).toBe(false);
    }
    // The table holds public keys only.
    const columns = ctx.db.all<{ name: string }>(sql`SELECT name FROM pragma_table_info('signing_keys')`);
    expect(columns.map((c) => c.name)).toEqual([
      'kid',
      'algorithm',
      'public_jwk',
      'created_at',
      'retired_at',
      'withdrawn_at',
    ]);
  });

  it('rotates with npm run keys:rotate: earlier badges still verify, new ones carry the new kid', async () => {
    const before = await download();
    const oldPem = readFileSync(keyPath, 'utf8');

    const run = rotate(databasePath);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const oldKid = before.kid.split('/').at(-1)!;
    expect(run.stdout).toContain('Nouvelle clé de signature Open Badges : ');
    expect(run.stdout).toContain(`Clé remplacée : ${oldKid}. Elle ne signe plus`);
    expect(run.stdout).toContain('sans redémarrage');

    // The app still running signs with the new key at once; the file was replaced, still 0600.
    const after = await download();
    expect(after.kid).not.toBe(before.kid);
    expect(run.stdout).toContain(after.kid.split('/').at(-1)!);
    expect(readFileSync(keyPath, 'utf8')).not.toBe(oldPem);
    expect(mode(keyPath)).toBe('600');

    expect(await verifies(before.jwt)).toBe(true);
    expect(await verifies(after.jwt)).toBe(true);
    expect((await admin.get(new URL(before.kid).pathname)).statusCode).toBe(200);
    const old = ctx.db.select().from(signingKeys).where(eq(signingKeys.kid, oldKid)).get()!;
    expect(old.retiredAt).toBeInstanceOf(Date);
    expect(old.withdrawnAt).toBeNull();
    expect((await backupBytes(databasePath, 'apres-rotation')).includes(PRIVATE_JWK_MEMBER)).toBe(false);
  }, 60_000);

  it('withdraws the old keys with --withdraw-old: what they signed no longer verifies', async () => {
    const before = await download();
    const run = rotate(databasePath, '--withdraw-old');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Clés retirées de la publication : ');
    expect(run.stdout).toContain('ne se vérifient plus');

    expect(await verifies(before.jwt)).toBe(false);
    expect((await admin.get(new URL(before.kid).pathname)).statusCode).toBe(404);
    const after = await download();
    expect(await verifies(after.jwt)).toBe(true);
    expect(((await admin.get('/ob/jwks.json')).json() as { keys: JWK[] }).keys).toHaveLength(1);
  }, 60_000);
});

describe('npm run keys:rotate', () => {
  it('refuses a missing database, another SQLite file and bad arguments, in French', () => {
    const missing = rotate(join(dir, 'absente', 'passerelle.db'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Base introuvable : ');
    expect(missing.stderr).toContain('démarrez l’application une première fois');

    const foreign = join(dir, 'autre.db');
    const other = openDatabase(foreign);
    other.$client.exec('CREATE TABLE notes (x)');
    other.$client.close();
    const refused = rotate(foreign);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('n’est pas une base Passerelle');

    const bad = rotate(foreign, '--tout');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Usage : npm run keys:rotate [-- --withdraw-old]');
  }, 60_000);
});

describe('a damaged key file', () => {
  it('stops the signature with a message naming the file, and is not replaced', async () => {
    const path = join(dir, 'abimee', 'passerelle.db');
    const keyPath = join(dir, 'abimee', 'passerelle-signing-key.pem');
    const ctx = await createTestApp({ databasePath: path });
    try {
      writeFileSync(keyPath, 'pas une clé', { mode: 0o600 });
      const failure = currentSigningKey(ctx.db, keyPath);
      await expect(failure).rejects.toBeInstanceOf(SigningKeyError);
      await expect(failure).rejects.toThrow(`Le fichier de clé de signature ${keyPath} est illisible`);
      expect(readFileSync(keyPath, 'utf8')).toBe('pas une clé');
    } finally {
      await ctx.close();
    }
  });
});

describe('a database that held its private key (before migration 0013)', () => {
  it('loses it at the upgrade, file and backups included, and still publishes its public key', async () => {
    const path = join(dir, 'ancienne', 'passerelle.db');
    // The database as the app left it at migration 0012, with the key it made then.
    const old = join(dir, 'migrations-0012');
    cpSync(migrationsFolder, old, { recursive: true });
    const journal = JSON.parse(readFileSync(join(old, 'meta', '_journal.json'), 'utf8'));
    journal.entries = journal.entries.filter((e: { idx: number }) => e.idx <= 12);
    writeFileSync(join(old, 'meta', '_journal.json'), JSON.stringify(journal));
    const legacy = openDatabase(path);
    migrate(legacy, { migrationsFolder: old });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateJwk = privateKey.export({ format: 'jwk' });
    const { kty, n, e } = publicKey.export({ format: 'jwk' });
    const kid = await calculateJwkThumbprint({ kty, n, e } as JWK);
    legacy.$client
      .prepare(
        'INSERT INTO signing_keys (kid, algorithm, public_jwk, private_jwk, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(kid, 'RS256', JSON.stringify({ kty, n, e }), JSON.stringify(privateJwk), Date.now() - 86_400_000);
    // A badge signed then, as the app signed them.
    const earlier = await new SignJWT({ iss: `${BASE_URL}/ob/issuer`, name: 'Badge de 2025' })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: `${BASE_URL}/ob/keys/${kid}` })
      .sign(privateKey);
    legacy.$client.close();
    expect(readFileSync(path).includes(privateJwk.d!)).toBe(true);

    // The upgrade: the app opens and migrates the database, then serves.
    const ctx = await createTestApp({ databasePath: path });
    try {
      const jwks = (await ctx.app.inject({ method: 'GET', url: '/ob/jwks.json' })).json() as { keys: JWK[] };
      expect(jwks.keys.map((k) => k.kid)).toContain(`${BASE_URL}/ob/keys/${kid}`);
      await expect(jwtVerify(earlier, createLocalJWKSet(jwks))).resolves.toBeTruthy();
      // A new key signs from now on; the old one is retired.
      expect(jwks.keys).toHaveLength(2);
      const row = ctx.db.select().from(signingKeys).where(eq(signingKeys.kid, kid)).get()!;
      expect(row.retiredAt).toBeInstanceOf(Date);

      const backup = await backupBytes(path, 'apres-mise-a-jour');
      expect(backup.includes(PRIVATE_JWK_MEMBER)).toBe(false);
      expect(backup.includes(privateJwk.d!)).toBe(false);
    } finally {
      await ctx.close();
    }
    // Nor the database file itself, once the app has closed it (its WAL folded in).
    expect(readFileSync(path).includes(privateJwk.d!)).toBe(false);
  }, 60_000);
});

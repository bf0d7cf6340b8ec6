// Open Badges 3.0 credentials: the signing key made once and kept, a VC-JWT that verifies with only
// the published keys and breaks when one byte changes, the shape the spec asks for, and the public
// documents (issuer, keys, achievement, revocation status) answering JSON, 404 included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { createLocalJWKSet, decodeProtectedHeader, importJWK, type JWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  achievementForCycle,
  buildCredential,
  type OpenBadgeCredential,
  RevokedCertificateError,
  signCredential,
} from '../../src/certificates/openbadges.ts';
import openBadgesRoutes from '../../src/certificates/openbadges-routes.ts';
import { currentSigningKey } from '../../src/certificates/signing-key.ts';
import { loadConfig } from '../../src/config.ts';
import { type Db, openDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import {
  type CertificateRules,
  type CertificateSnapshot,
  certificates,
  courses,
  cycles,
  organizations,
  signingKeys,
  users,
} from '../../src/db/schema.ts';
import { zodValidatorCompiler } from '../../src/lib/forms.ts';
import { isValidAccess } from '../../src/plugins/access.ts';

const BASE_URL = 'http://passerelle.test';
const CODE = 'K7QM-3XPA-9T2D-WE4H';
const ISSUED_AT = new Date('2025-03-14T10:20:30.456Z');

const snapshot: CertificateSnapshot = {
  name: 'Aïcha Diallo',
  cycleName: 'Bretagne 2025',
  collectiveName: 'COSIM Bretagne',
  courses: [{ id: 'cours-pdv', title: 'Politique de la ville' }],
  skills: [{ code: 'C1', title: 'Monter un projet' }],
  hours: 12.5,
  gatherings: [{ title: 'Séance de lancement', date: '2025-02-01' }],
  issuedOn: '2025-03-14',
  issuer: 'FORIM',
  reason: null,
};

/**
 * The plugin on a bare Fastify with the app's dependencies (src/app.ts, edited by others, is not
 * needed), a fresh in-memory database, and the app's rule that every route declares its access.
 */
let app: FastifyInstance;
let db: Db;
let cycleId: number;

beforeAll(async () => {
  db = openDatabase(':memory:');
  migrateDatabase(db);
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_PATH: ':memory:', BASE_URL });
  app = Fastify();
  app.decorate('deps', { config, db, mailer: undefined as never });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.addHook('onRoute', (route) => {
    if (!isValidAccess(route.config?.access)) throw new Error(`${route.url} declares no access rule`);
  });
  await app.register(openBadgesRoutes);
  await app.ready();

  const collective = db
    .insert(organizations)
    .values({ kind: 'cosim', name: 'COSIM Bretagne' })
    .returning()
    .get();
  db.insert(courses)
    .values({
      id: 'cours-pdv',
      title: 'Politique de la ville',
      summary: 'Comprendre la politique de la ville.',
      durationMinutes: 90,
      skills: [],
      resources: [],
      folder: 'cours-pdv',
      updatedAt: new Date(),
    })
    .run();
  const rules: CertificateRules = {
    courseIds: ['cours-pdv'],
    passMark: null,
    minGatherings: 2,
    gatheringIds: [],
  };
  cycleId = db
    .insert(cycles)
    .values({
      name: 'Bretagne 2025',
      collectiveId: collective.id,
      pathId: 'parcours',
      startsOn: '2025-01-15',
      endsOn: '2025-06-30',
      certificateRules: rules,
    })
    .returning()
    .get().id;
  const person = db
    .insert(users)
    .values({ email: 'aicha@exemple.test', displayName: 'Aïcha Diallo' })
    .returning()
    .get();
  db.insert(certificates)
    .values({ code: CODE, cycleId, userId: person.id, snapshot, issuedHow: 'automatic', issuedAt: ISSUED_AT })
    .run();
});

afterAll(async () => {
  await app.close();
  db.$client.close();
});

function credential(): OpenBadgeCredential {
  return buildCredential({
    baseUrl: BASE_URL,
    certificate: { code: CODE, issuedAt: ISSUED_AT, revoked: false },
    snapshot,
    cycleId,
    achievement: achievementForCycle(db, BASE_URL, cycleId)!,
  });
}

async function servedJwks(): Promise<{ keys: JWK[] }> {
  const response = await app.inject({ method: 'GET', url: '/ob/jwks.json' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return response.json();
}

/** Verifies with nothing but the JWK Set the app publishes. */
async function verify(jwt: string) {
  return jwtVerify(jwt, createLocalJWKSet(await servedJwks()), {
    algorithms: ['RS256'],
    typ: 'JWT',
    issuer: `${BASE_URL}/ob/issuer`,
  });
}

/** The JWT with one byte of its payload (or signature) changed. */
function tampered(jwt: string, part: 'payload' | 'signature'): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  if (part === 'payload') {
    const bytes = Buffer.from(payload, 'base64url');
    const at = bytes.indexOf('Aïcha');
    expect(at).toBeGreaterThan(0);
    bytes[at] = 'E'.charCodeAt(0);
    return `${header}.${bytes.toString('base64url')}.${signature}`;
  }
  const bytes = Buffer.from(signature, 'base64url');
  bytes[100] = bytes[100]! ^ 0x01;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

describe('signing key', () => {
  it('is generated once and its public key stored: later calls give the same kid, with one row', async () => {
    const first = await currentSigningKey(db, null);
    const second = await currentSigningKey(db, null);
    expect(second.kid).toBe(first.kid);
    expect(first.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = db.select().from(signingKeys).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kid: first.kid, algorithm: 'RS256' });
    expect(rows[0]!.publicJwk).toMatchObject({ kty: 'RSA', e: 'AQAB' });
    expect(rows[0]!.publicJwk).not.toHaveProperty('d');
    expect(Object.keys(rows[0]!)).not.toContain('privateJwk');
    // RSA 2048: a 256-byte modulus.
    expect(Buffer.from(String(rows[0]!.publicJwk.n), 'base64url')).toHaveLength(256);
  });

  it('is the same for two connections racing on a new database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-ob-'));
    try {
      const path = join(dir, 'race.db');
      const a = openDatabase(path);
      migrateDatabase(a);
      const b = openDatabase(path);
      const keyPath = join(dir, 'passerelle-signing-key.pem');
      const [ka, kb] = await Promise.all([currentSigningKey(a, keyPath), currentSigningKey(b, keyPath)]);
      expect(kb.kid).toBe(ka.kid);
      expect(a.select().from(signingKeys).all()).toHaveLength(1);
      a.$client.close();
      b.$client.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('VC-JWT', () => {
  it('verifies with only the JWK Set served at /ob/jwks.json, and with the key its kid URL serves', async () => {
    const jwt = await signCredential(db, null, credential());
    const { payload, protectedHeader } = await verify(jwt);
    expect(payload.name).toBe("Cycle de formation et d'échange entre pairs — Bretagne 2025");

    // OB 3.0 §8.2: alg RS256, typ JWT, and a kid URL that dereferences to the bare public JWK.
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });
    const kid = String(protectedHeader.kid);
    expect(kid).toMatch(new RegExp(`^${BASE_URL}/ob/keys/[A-Za-z0-9_-]{43}$`));
    const response = await app.inject({ method: 'GET', url: new URL(kid).pathname });
    expect(response.statusCode).toBe(200);
    const jwk = response.json() as JWK;
    expect(jwk).toMatchObject({ kty: 'RSA', kid, use: 'sig', alg: 'RS256' });
    expect(jwk).not.toHaveProperty('d');
    await expect(jwtVerify(jwt, await importJWK(jwk, 'RS256'))).resolves.toBeTruthy();
  });

  it('carries the credential as its claims set, with iss, jti, sub and nbf matching it', async () => {
    const built = credential();
    const jwt = await signCredential(db, null, built);
    const { payload } = await verify(jwt);
    const { iss, jti, sub, nbf, ...rest } = payload;
    expect(rest).toEqual(built);
    expect(payload).not.toHaveProperty('vc');
    expect(payload).not.toHaveProperty('exp');
    expect(iss).toBe(built.issuer.id);
    expect(jti).toBe(built.id);
    expect(sub).toBe(built.credentialSubject.id);
    expect(nbf).toBe(Date.parse(built.validFrom) / 1000);
    expect(new Date(Number(nbf) * 1000).toISOString()).toBe('2025-03-14T10:20:30.000Z');
  });

  it('has the contexts, types and properties of an OpenBadgeCredential', () => {
    const built = credential();
    expect(built['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
    ]);
    expect(built.id).toBe(`${BASE_URL}/verify/${CODE}`);
    expect(built.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(built.validFrom).toBe('2025-03-14T10:20:30Z');
    expect(built.issuer).toMatchObject({
      id: `${BASE_URL}/ob/issuer`,
      type: ['Profile'],
      name: 'FORIM — Forum des Organisations de Solidarité Internationale issues des Migrations',
    });
    const subject = built.credentialSubject;
    expect(subject.type).toEqual(['AchievementSubject']);
    expect(subject.id).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(subject.identifier).toEqual([
      { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Aïcha Diallo' },
    ]);
    // Nothing else personal: no email, no account id.
    expect(JSON.stringify(built)).not.toMatch(/@exemple\.test|userId/);
    expect(subject.achievement).toMatchObject({
      id: `${BASE_URL}/ob/achievements/cycle-${cycleId}`,
      type: ['Achievement'],
      achievementType: 'CertificateOfCompletion',
      name: "Cycle de formation et d'échange entre pairs — Bretagne 2025",
      creator: { id: `${BASE_URL}/ob/issuer`, type: ['Profile'] },
      // OB 3.0 B.1 Image: what wallets show for the badge.
      image: { id: `${BASE_URL}/ob/badge.png`, type: 'Image', caption: expect.any(String) },
    });
    expect(subject.achievement.description).toContain('COSIM Bretagne');
    expect(subject.achievement.criteria.narrative).toContain('- Politique de la ville');
    expect(subject.narrative).toContain('Monter un projet');
    expect(built.evidence).toEqual([
      {
        type: ['Evidence'],
        name: 'Séance de lancement',
        description: expect.stringContaining('du 1er février 2025'),
      },
    ]);
    expect(built.description).toContain('12,5 h');
    expect(built.credentialStatus).toEqual({
      id: `${BASE_URL}/ob/status/${CODE}`,
      type: '1EdTechRevocationList',
    });
    // The same certificate always gives the same credential (and the same subject id).
    expect(credential()).toEqual(built);
  });

  it('fails verification when one byte of the payload or of the signature changes', async () => {
    const jwt = await signCredential(db, null, credential());
    await expect(verify(jwt)).resolves.toBeTruthy();
    await expect(verify(tampered(jwt, 'payload'))).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
    await expect(verify(tampered(jwt, 'signature'))).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('is not made for a revoked certificate', () => {
    expect(() =>
      buildCredential({
        baseUrl: BASE_URL,
        certificate: { code: CODE, issuedAt: ISSUED_AT, revoked: true },
        snapshot,
        cycleId,
        achievement: achievementForCycle(db, BASE_URL, cycleId)!,
      }),
    ).toThrow(RevokedCertificateError);
  });

  it('names a key the JWK Set holds', async () => {
    const jwt = await signCredential(db, null, credential());
    const { kid } = decodeProtectedHeader(jwt);
    expect((await servedJwks()).keys.map((k) => k.kid)).toContain(kid);
  });
});

describe('public documents', () => {
  it('serves the issuer Profile as JSON-LD', async () => {
    const response = await app.inject({ method: 'GET', url: '/ob/issuer' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(response.headers['cache-control']).toBe('public, max-age=3600');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.json()).toMatchObject({
      '@context': ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: `${BASE_URL}/ob/issuer`,
      type: ['Profile'],
      name: 'FORIM — Forum des Organisations de Solidarité Internationale issues des Migrations',
      description: expect.stringContaining('OSIM'),
    });
  });

  it('serves only public key material in the JWK Set', async () => {
    const { keys } = await servedJwks();
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('serves the badge image the achievements name, a PNG anyone may load', async () => {
    const response = await app.inject({ method: 'GET', url: '/ob/badge.png' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.rawPayload.subarray(0, 8)).toEqual(Buffer.from('89504e470d0a1a0a', 'hex'));
    // 512 × 512 (the IHDR chunk): sharp on a phone's high-density screen.
    expect(response.rawPayload.readUInt32BE(16)).toBe(512);
    expect(response.rawPayload.readUInt32BE(20)).toBe(512);
  });

  it('embeds in the credential the very Achievement /ob/achievements serves (one definition)', async () => {
    const served = (await app.inject({ method: 'GET', url: `/ob/achievements/cycle-${cycleId}` })).json();
    const { '@context': context, ...achievement } = served;
    expect(context).toEqual(['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(credential().credentialSubject.achievement).toEqual(achievement);
  });

  it("serves a cycle's Achievement, with its rules in the criteria", async () => {
    const response = await app.inject({ method: 'GET', url: `/ob/achievements/cycle-${cycleId}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/ld\+json/);
    const achievement = response.json();
    expect(achievement).toMatchObject({
      id: `${BASE_URL}/ob/achievements/cycle-${cycleId}`,
      type: ['Achievement'],
      achievementType: 'CertificateOfCompletion',
      name: credential().credentialSubject.achievement.name,
    });
    expect(achievement.criteria.narrative).toContain('- Politique de la ville');
    expect(achievement.criteria.narrative).toContain('au moins 2 séances');
  });

  it('says whether a certificate is revoked, with the date and the reason', async () => {
    const before = await app.inject({ method: 'GET', url: `/ob/status/${CODE}` });
    expect(before.statusCode).toBe(200);
    expect(before.headers['content-type']).toMatch(/^application\/json/);
    expect(before.headers['cache-control']).toBe('no-cache');
    expect(before.json()).toEqual({
      id: `${BASE_URL}/ob/status/${CODE}`,
      issuer: `${BASE_URL}/ob/issuer`,
      credential: `${BASE_URL}/verify/${CODE}`,
      revoked: false,
      revokedCredentials: [],
    });

    const revokedAt = new Date('2025-04-01T08:00:00.000Z');
    db.update(certificates)
      .set({ revokedAt, revokedCause: 'fraud', revokedReason: 'Note interne : signalé par la formatrice' })
      .where(eq(certificates.code, CODE))
      .run();
    try {
      // Typed in lower case, the code is the same.
      const after = await app.inject({ method: 'GET', url: `/ob/status/${CODE.toLowerCase()}` });
      expect(after.statusCode).toBe(200);
      expect(after.json()).toEqual({
        id: `${BASE_URL}/ob/status/${CODE}`,
        issuer: `${BASE_URL}/ob/issuer`,
        credential: `${BASE_URL}/verify/${CODE}`,
        revoked: true,
        revokedAt: '2025-04-01T08:00:00.000Z',
        // What a 1EdTech Revocation List verifier looks for: the credential's id, revoked, and the
        // reason in that entry — from the short list, never the internal note.
        revokedCredentials: [{ id: credential().id, revoked: true, revocationReason: 'Fraude' }],
      });
      expect(after.body).not.toContain('Note interne');
    } finally {
      db.update(certificates)
        .set({ revokedAt: null, revokedCause: null, revokedReason: null })
        .where(eq(certificates.code, CODE))
        .run();
    }
  });

  it.each([
    ['/ob/status/ZZZZ-ZZZZ-ZZZZ-ZZZZ', 'an unknown code'],
    ['/ob/status/K7QM-3XPA-9T2D', 'a code too short'],
    ['/ob/status/K7QM3XPA9T2DWE4H', 'a code without dashes'],
    ['/ob/status/K7QM-3XPA-9T2D-WE4%C3%89', 'a code with an accent'],
    ['/ob/status/%27%20OR%201%3D1--', 'SQL'],
    ['/ob/status/%00', 'a NUL byte'],
    ['/ob/achievements/cycle-999999', 'an unknown cycle'],
    ['/ob/achievements/cycle-abc', 'a cycle id that is not a number'],
    ['/ob/achievements/cycle-1234567890', 'a cycle id too long'],
    ['/ob/keys/unknown', 'a malformed key id'],
    [`/ob/keys/${'A'.repeat(43)}`, 'an unknown key'],
  ])('answers 404 in JSON for %s (%s)', async (url) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ error: 'not_found' });
  });
});

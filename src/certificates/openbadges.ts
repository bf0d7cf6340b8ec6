// Open Badges 3.0 (1EdTech, https://www.imsglobal.org/spec/ob/v3p0/): each certificate can also be
// handed out as an OpenBadgeCredential, a W3C Verifiable Credential (VC Data Model 2.0) signed with
// the JSON Web Token proof format ("VC-JWT", OB 3.0 §8.2). Wallets and verifiers check it with the
// app's public key, published at /ob/keys/<kid> and /ob/jwks.json, and its revocation at
// /ob/status/<code> (src/certificates/openbadges-routes.ts).
//
// Choices, from the spec text (ob_v3p0 "Proofs (Signatures)", "Verification and Validation", data
// models B.1) and from 1EdTech's own validator (digital-credentials-public-validator):
//   - JOSE header: only `alg` (RS256, the spec's required minimum), `typ` ("JWT") and `kid`; the spec
//     allows no other header. `kid` is a URL that returns the bare public JWK: 1EdTech's validator
//     GETs the kid URL and reads `n` and `e` from the answer, so no `…/jwks.json#fragment`.
//   - JWT payload: the credential itself, at the top level (VC DM 2.0; no `vc` wrapper), plus
//     `iss` = issuer.id, `jti` = id, `sub` = credentialSubject.id, `nbf` = validFrom. No `exp` (the
//     credential does not expire) and no `iat` (the spec does not map it).
//   - The person is named by an IdentityObject (identityType "name", not hashed): AchievementSubject
//     has no `name` property. `credentialSubject.id` is an opaque `urn:uuid:` derived from the
//     credential's id, because `sub` is required and must equal it; it says nothing about the person.
//   - The achievement is the cycle's, one definition: the credential embeds what
//     /ob/achievements/cycle-<id> serves, with the badge's image (a PNG at a stable URL) so wallets
//     do not draw a blank badge. What the person did is in the credential (narrative, evidence).
//   - credentialStatus: "1EdTechRevocationList" (1EdTech Revocation List Status Method, VCRL 1.0),
//     whose id is a URL answering `{ id, issuer, revokedCredentials: [{ id, revoked,
//     revocationReason }] }`, the reason one of a short list (the national team's words stay
//     internal) and no name. NOTE:
//     OB 3.0 Final doc. 1.3 (Oct. 2025) deprecates it in favour of W3C Bitstring Status List; it stays
//     valid, and verifiers that only know the new method skip it.
import { createHash } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { type JWK, SignJWT } from 'jose';
import type { Db } from '../db/client.ts';
import {
  type Certificate,
  type CertificateSnapshot,
  certificates,
  courses,
  cycles,
  gatherings,
  organizations,
  type RevocationCause,
  skills,
} from '../db/schema.ts';
import { formatCalendarDate } from '../lib/time.ts';
import { revocationCauseLabel } from './certificates.ts';
import { currentSigningKey, publishedKey, publishedKeys, SIGNING_ALGORITHM } from './signing-key.ts';

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** Defines the 1EdTech extension terms, such as "1EdTechRevocationList" (as in the spec's examples). */
export const OB_EXTENSIONS_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json';
export const CREDENTIAL_CONTEXTS = [VC_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT] as const;

export const ISSUER_NAME =
  'FORIM — Forum des Organisations de Solidarité Internationale issues des Migrations';
export const ISSUER_URL = 'https://www.forim.net';
export const ISSUER_DESCRIPTION =
  'Le FORIM est la plateforme nationale qui réunit les organisations de solidarité internationale ' +
  'issues des migrations (OSIM), leurs fédérations (FOSIM) et leurs collectifs régionaux (COSIM). ' +
  'Il délivre les attestations du cycle de formation et d’échange entre pairs.';

// ——— URLs ———

export const issuerId = (baseUrl: string) => `${baseUrl}/ob/issuer`;
export const credentialId = (baseUrl: string, code: string) => `${baseUrl}/verify/${code}`;
export const achievementId = (baseUrl: string, cycleId: number) =>
  `${baseUrl}/ob/achievements/cycle-${cycleId}`;
export const statusUrl = (baseUrl: string, code: string) => `${baseUrl}/ob/status/${code}`;
/** The JOSE `kid`: a URL that answers the bare public JWK. */
export const keyUrl = (baseUrl: string, kid: string) => `${baseUrl}/ob/keys/${kid}`;
export const jwksUrl = (baseUrl: string) => `${baseUrl}/ob/jwks.json`;
/** The badge's picture (PNG, static/img/badge.png): a stable URL, since signed credentials hold it. */
export const badgeImageUrl = (baseUrl: string) => `${baseUrl}/ob/badge.png`;

// ——— The data model (OB 3.0 appendix B.1), as far as Passerelle uses it ———

export interface Profile {
  id: string;
  type: ['Profile'];
  name: string;
  url?: string;
  email?: string;
  description?: string;
}

/** OB 3.0 B.1 Image: a PNG or SVG, by URL. */
export interface Image {
  id: string;
  type: 'Image';
  caption?: string;
}

export interface Achievement {
  id: string;
  type: ['Achievement'];
  achievementType: 'CertificateOfCompletion';
  name: string;
  description: string;
  criteria: { narrative: string };
  /** What wallets show for the badge (without it they draw a blank one). */
  image: Image;
  creator: Pick<Profile, 'id' | 'type' | 'name'>;
  tag?: string[];
}

export interface IdentityObject {
  type: 'IdentityObject';
  identityType: 'name';
  hashed: false;
  identityHash: string;
}

export interface AchievementSubject {
  id: string;
  type: ['AchievementSubject'];
  identifier: IdentityObject[];
  achievement: Achievement;
  narrative?: string;
}

export interface Evidence {
  type: ['Evidence'];
  name: string;
  description: string;
}

export interface CredentialStatus {
  id: string;
  type: '1EdTechRevocationList';
}

export interface OpenBadgeCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'OpenBadgeCredential'];
  name: string;
  description: string;
  issuer: Profile;
  validFrom: string;
  credentialSubject: AchievementSubject;
  evidence?: Evidence[];
  credentialStatus: CredentialStatus;
}

/** The issuer Profile, served at /ob/issuer and embedded in every credential. */
export function issuerProfile(baseUrl: string, options: { email?: string } = {}): Profile {
  return {
    id: issuerId(baseUrl),
    type: ['Profile'],
    name: ISSUER_NAME,
    url: ISSUER_URL,
    ...(options.email ? { email: options.email } : {}),
    description: ISSUER_DESCRIPTION,
  };
}

export interface AchievementInput {
  baseUrl: string;
  cycleId: number;
  cycleName: string;
  collectiveName: string | null;
  /** The courses the cycle's rules require. */
  courses: Array<{ title: string }>;
  /** The rules' minimum number of séances, when known (not in a certificate's snapshot). */
  minGatherings?: number;
  /** Titles of the séances the rules require, when known. */
  requiredGatherings?: string[];
  /** Skills the cycle works on, as keywords. */
  tags?: string[];
}

export const achievementName = (cycleName: string) =>
  `Cycle de formation et d'échange entre pairs — ${cycleName}`;

/** The Achievement of a cycle: what every certificate of that cycle attests. No personal data. */
export function buildAchievement(input: AchievementInput): Achievement {
  const by = input.collectiveName ? ` (${input.collectiveName})` : '';
  const lines = ['Pour obtenir cette attestation, la personne a :'];
  if (input.courses.length > 0) {
    lines.push('- terminé les modules suivants du parcours en ligne et réussi leur quiz :');
    for (const course of input.courses) lines.push(`  - ${course.title}`);
  }
  const required = input.requiredGatherings ?? [];
  if (input.minGatherings !== undefined && input.minGatherings > 0) {
    const count =
      input.minGatherings === 1 ? 'au moins une séance' : `au moins ${input.minGatherings} séances`;
    lines.push(`- participé à ${count} d'échange entre pairs du cycle${required.length ? ', dont :' : '.'}`);
  } else if (required.length > 0) {
    lines.push("- participé aux séances d'échange entre pairs suivantes :");
  } else if (input.minGatherings === undefined) {
    lines.push("- participé aux séances d'échange entre pairs demandées par les règles du cycle.");
  }
  for (const title of required) lines.push(`  - ${title}`);
  if (lines.length === 1) lines.push('- suivi le cycle selon les règles fixées par le FORIM.');
  lines.push(
    '',
    "L'attestation peut aussi être délivrée, sur décision motivée, par une formatrice ou un formateur " +
      "du cycle, ou par l'équipe nationale du FORIM.",
  );
  return {
    id: achievementId(input.baseUrl, input.cycleId),
    type: ['Achievement'],
    achievementType: 'CertificateOfCompletion',
    name: achievementName(input.cycleName),
    description:
      `Attestation du cycle « ${input.cycleName} »${by} : un parcours de formation en ligne ` +
      'destiné aux membres des organisations de solidarité internationale issues des migrations (OSIM), ' +
      "complété par des séances d'échange entre pairs.",
    criteria: { narrative: lines.join('\n') },
    image: {
      id: badgeImageUrl(input.baseUrl),
      type: 'Image',
      caption: 'Badge du cycle de formation et d’échange entre pairs du FORIM',
    },
    creator: { id: issuerId(input.baseUrl), type: ['Profile'], name: ISSUER_NAME },
    ...(input.tags && input.tags.length > 0 ? { tag: input.tags } : {}),
  };
}

/** The Achievement of a cycle as the cycle's rules say today, or null for an unknown cycle. */
export function achievementForCycle(db: Db, baseUrl: string, cycleId: number): Achievement | null {
  const cycle = db.select().from(cycles).where(eq(cycles.id, cycleId)).get();
  if (!cycle) return null;
  const collective = cycle.collectiveId
    ? db
        .select({ name: organizations.name })
        .from(organizations)
        .where(eq(organizations.id, cycle.collectiveId))
        .get()
    : undefined;
  const rules = cycle.certificateRules;
  const courseRows = rules.courseIds.length
    ? db.select().from(courses).where(inArray(courses.id, rules.courseIds)).all()
    : [];
  const coursesById = new Map(courseRows.map((c) => [c.id, c]));
  const required = rules.courseIds.flatMap((id) => {
    const course = coursesById.get(id);
    return course ? [course] : [];
  });
  const skillCodes = [...new Set(required.flatMap((c) => c.skills))];
  const skillRows = skillCodes.length
    ? db.select().from(skills).where(inArray(skills.code, skillCodes)).orderBy(skills.position).all()
    : [];
  const gatheringRows = rules.gatheringIds.length
    ? db
        .select({ id: gatherings.id, title: gatherings.title, startsAt: gatherings.startsAt })
        .from(gatherings)
        .where(inArray(gatherings.id, rules.gatheringIds))
        .orderBy(gatherings.startsAt)
        .all()
    : [];
  return buildAchievement({
    baseUrl,
    cycleId: cycle.id,
    cycleName: cycle.name,
    collectiveName: collective?.name ?? null,
    courses: required,
    minGatherings: rules.minGatherings,
    requiredGatherings: gatheringRows.map((g) => g.title),
    tags: skillRows.map((s) => s.title),
  });
}

export class RevokedCertificateError extends Error {
  constructor() {
    super('A revoked certificate is not issued as an Open Badges credential');
  }
}

/** An ISO date-time without milliseconds ("2025-03-01T09:30:00Z"): `nbf` has whole seconds only. */
function dateTimeZ(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A name-based UUID (RFC 9562 v5, URL namespace): stable for a given credential, opaque otherwise. */
function uuidV5Url(name: string): string {
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const hoursFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

export interface CredentialInput {
  baseUrl: string;
  certificate: { code: string; issuedAt: Date; revoked: boolean };
  snapshot: CertificateSnapshot;
  cycleId: number;
  /**
   * The cycle's Achievement as /ob/achievements/cycle-<id> serves it (`achievementForCycle`): one
   * definition, so a verifier reading either finds the same criteria.
   */
  achievement: Achievement;
}

/**
 * The OpenBadgeCredential of a certificate (unsigned; see signCredential). What the person did comes
 * from the snapshot frozen at issuance (name, hours, skills, séances as evidence); the achievement is
 * the cycle's, as published. Throws RevokedCertificateError for a revoked certificate: it is not
 * handed out any more.
 */
export function buildCredential(input: CredentialInput): OpenBadgeCredential {
  const { baseUrl, certificate, snapshot, achievement } = input;
  if (certificate.revoked) throw new RevokedCertificateError();
  const id = credentialId(baseUrl, certificate.code);
  const narrative =
    snapshot.skills.length > 0
      ? ['Compétences acquises :', ...snapshot.skills.map((s) => `- ${s.title}`)].join('\n')
      : undefined;
  return {
    '@context': [...CREDENTIAL_CONTEXTS],
    id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: achievement.name,
    description:
      `Attestation délivrée par le FORIM pour le cycle « ${snapshot.cycleName} » : environ ` +
      `${hoursFormat.format(snapshot.hours)} h de formation (parcours en ligne et séances d'échange entre pairs).`,
    issuer: issuerProfile(baseUrl),
    validFrom: dateTimeZ(certificate.issuedAt),
    credentialSubject: {
      id: `urn:uuid:${uuidV5Url(id)}`,
      type: ['AchievementSubject'],
      identifier: [
        { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: snapshot.name },
      ],
      achievement,
      ...(narrative ? { narrative } : {}),
    },
    ...(snapshot.gatherings.length > 0
      ? {
          evidence: snapshot.gatherings.map((g) => ({
            type: ['Evidence'] as ['Evidence'],
            name: g.title,
            description: `Séance d'échange entre pairs du ${formatCalendarDate(g.date)}, suivie par la personne.`,
          })),
        }
      : {}),
    credentialStatus: { id: statusUrl(baseUrl, certificate.code), type: '1EdTechRevocationList' },
  };
}

/** A live certificate's credential, with its cycle's Achievement as /ob/achievements serves it. */
export function certificateCredential(
  db: Db,
  baseUrl: string,
  certificate: Certificate,
): OpenBadgeCredential {
  const achievement = achievementForCycle(db, baseUrl, certificate.cycleId);
  if (!achievement) throw new Error(`certificate ${certificate.code} names no cycle`);
  return buildCredential({
    baseUrl,
    certificate: {
      code: certificate.code,
      issuedAt: certificate.issuedAt,
      revoked: certificate.revokedAt !== null,
    },
    snapshot: certificate.snapshot,
    cycleId: certificate.cycleId,
    achievement,
  });
}

/**
 * The credential as a VC-JWT (OB 3.0 §8.2 "JSON Web Token Proof Format"): a compact JWS, RS256,
 * whose claims are the credential plus `iss`, `jti`, `sub` and `nbf`. The key URL in `kid` is
 * derived from the issuer id (`<baseUrl>/ob/issuer` → `<baseUrl>/ob/keys/<thumbprint>`).
 */
export async function signCredential(
  db: Db,
  signingKeyPath: string | null,
  credential: OpenBadgeCredential,
): Promise<string> {
  const issuer = credential.issuer.id;
  if (!issuer.endsWith('/ob/issuer')) throw new Error(`not a Passerelle issuer id: ${issuer}`);
  const baseUrl = issuer.slice(0, -'/ob/issuer'.length);
  const key = await currentSigningKey(db, signingKeyPath);
  const nbf = Date.parse(credential.validFrom) / 1000;
  if (!Number.isInteger(nbf)) throw new Error(`validFrom must be whole seconds: ${credential.validFrom}`);
  return new SignJWT({
    ...credential,
    iss: issuer,
    jti: credential.id,
    sub: credential.credentialSubject.id,
    nbf,
  })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: 'JWT', kid: keyUrl(baseUrl, key.kid) })
    .sign(key.privateKey);
}

// ——— Published keys ———

function publishedJwk(baseUrl: string, kid: string, publicJwk: Record<string, unknown>): JWK {
  const { kty, n, e } = publicJwk as { kty: string; n: string; e: string };
  return { kty, n, e, kid: keyUrl(baseUrl, kid), use: 'sig', alg: SIGNING_ALGORITHM };
}

/**
 * Every published public key as a JWK Set: the current one and those retired by a rotation, so
 * credentials signed before still verify. Each key's `kid` is its URL, the same string as in the
 * credentials' JOSE header.
 */
export async function publicJwks(
  db: Db,
  signingKeyPath: string | null,
  baseUrl: string,
): Promise<{ keys: JWK[] }> {
  const keys = await publishedKeys(db, signingKeyPath);
  return { keys: keys.map((key) => publishedJwk(baseUrl, key.kid, key.publicJwk)) };
}

/** The public JWK of one published key, by thumbprint (what a credential's `kid` URL answers), or null. */
export function publicJwk(db: Db, baseUrl: string, kid: string): JWK | null {
  const key = publishedKey(db, kid);
  return key ? publishedJwk(baseUrl, key.kid, key.publicJwk) : null;
}

// ——— Revocation status ———

/** One entry of the 1EdTech Revocation List (VCRL 1.0 RevokedCredential). */
export interface RevokedCredential {
  id: string;
  revoked: true;
  /** The published reason, from the short list: the free text the national team may add stays internal. */
  revocationReason: string;
}

export interface RevocationStatus {
  /** This document's URL: the credential's `credentialStatus.id`. */
  id: string;
  issuer: string;
  /** The credential this status is about. */
  credential: string;
  revoked: boolean;
  revokedAt?: string;
  /**
   * The 1EdTech Revocation List: verifiers look for the credential's id with `revoked` true (or
   * absent), and read its `revocationReason` there. Empty while the certificate is valid.
   */
  revokedCredentials: RevokedCredential[];
}

/** What /ob/status/<code> answers for a certificate. */
export function revocationStatus(
  baseUrl: string,
  certificate: { code: string; revokedAt: Date | null; revokedCause: RevocationCause | null },
): RevocationStatus {
  const credential = credentialId(baseUrl, certificate.code);
  const revoked = certificate.revokedAt !== null;
  return {
    id: statusUrl(baseUrl, certificate.code),
    issuer: issuerId(baseUrl),
    credential,
    revoked,
    ...(certificate.revokedAt ? { revokedAt: certificate.revokedAt.toISOString() } : {}),
    revokedCredentials: revoked
      ? [{ id: credential, revoked: true, revocationReason: revocationCauseLabel(certificate.revokedCause) }]
      : [],
  };
}

/** What /ob/status/<code> answers for the certificate with this code, or null when there is none. */
export function certificateStatus(db: Db, baseUrl: string, code: string): RevocationStatus | null {
  const certificate = db
    .select({
      code: certificates.code,
      revokedAt: certificates.revokedAt,
      revokedCause: certificates.revokedCause,
    })
    .from(certificates)
    .where(eq(certificates.code, code))
    .get();
  return certificate ? revocationStatus(baseUrl, certificate) : null;
}

// Certificates (attestations): issued automatically as soon as a member meets their cycle's rules
// (checked after each lesson finished, quiz passed or roll call), or by hand by the cycle's
// trainer or the national team with a reason. Each records a snapshot of what it attests, so a
// later change to the content or the cycle never changes a certificate already given. Revoked,
// never deleted. The code is 16 characters of Crockford base32 (80 random bits): guessing one is
// hopeless, and typing it is easy (no I, L, O, U; case and dashes ignored).
import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { collectiveNameOf } from '../cycles/cycles.ts';
import { type Db, sqliteOf, withTransaction } from '../db/client.ts';
import {
  type Certificate,
  type CertificateSnapshot,
  type Cycle,
  certificates,
  cycleMembers,
  cycles,
  type RevocationCause,
  users,
} from '../db/schema.ts';
import { translator } from '../i18n/index.ts';
import { catalog } from '../learning/catalog.ts';
import { NotFoundError, RuleError } from '../lib/errors.ts';
import { formatCalendarDate, today } from '../lib/time.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { CurrentUser } from '../people/users.ts';
import { maySeeCertificate } from '../policy/policy.ts';
import { evaluateRules, skillsProgress, trainingHours } from './progress.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newCode(): string {
  const bytes = randomBytes(16);
  let code = '';
  for (let i = 0; i < 16; i++) code += ALPHABET[bytes[i]! & 31];
  return code.match(/.{4}/g)!.join('-');
}

/** A code as typed (any case, spaces or dashes, O for 0, I/L for 1) → its canonical form, or null. */
export function normalizeCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{16}$/.test(raw)) return null;
  return raw.match(/.{4}/g)!.join('-');
}

export function findByCode(db: Db, code: string): Certificate | null {
  const canonical = normalizeCode(code);
  if (!canonical) return null;
  return db.select().from(certificates).where(eq(certificates.code, canonical)).get() ?? null;
}

export function liveCertificate(db: Db, cycleId: number, userId: number): Certificate | null {
  return (
    db
      .select()
      .from(certificates)
      .where(
        and(
          eq(certificates.cycleId, cycleId),
          eq(certificates.userId, userId),
          isNull(certificates.revokedAt),
        ),
      )
      .get() ?? null
  );
}

function buildSnapshot(
  db: Db,
  cycle: Cycle,
  userId: number,
  issuer: string,
  reason: string | null,
  now: Date,
): CertificateSnapshot {
  const person = db.select({ name: users.displayName }).from(users).where(eq(users.id, userId)).get();
  if (!person) throw new NotFoundError();
  const content = catalog(db);
  const rules = evaluateRules(db, cycle, userId, now);
  return {
    name: person.name,
    cycleName: cycle.name,
    collectiveName: collectiveNameOf(db, cycle),
    courses: cycle.certificateRules.courseIds.flatMap((id) => {
      const course = content.coursesById.get(id);
      return course ? [{ id, title: course.title }] : [];
    }),
    skills: skillsProgress(db, userId, now)
      .filter((s) => s.state === 'acquired')
      .map((s) => ({ code: s.code, title: s.title })),
    hours: trainingHours(db, cycle, rules.attended),
    gatherings: rules.attended.map((g) => ({
      title: g.title,
      date: new Date(g.startsAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' }),
    })),
    issuedOn: today('Europe/Paris', now),
    issuer,
    reason,
  };
}

export interface IssueOptions {
  cycle: Cycle;
  userId: number;
  how: 'automatic' | 'manual';
  by: CurrentUser | null;
  reason: string | null;
  mailer: Mailer;
  baseUrl: string;
  now?: Date;
}

/** Issues the certificate (or returns the live one the person already has). */
export function issueCertificate(
  db: Db,
  options: IssueOptions,
): { certificate: Certificate; created: boolean } {
  const { cycle, userId, how, by, reason, mailer, baseUrl } = options;
  const now = options.now ?? new Date();
  return withTransaction(
    db,
    (tx) => {
      const existing = liveCertificate(tx, cycle.id, userId);
      if (existing) return { certificate: existing, created: false };
      const enrolled = tx
        .select({ userId: cycleMembers.userId })
        .from(cycleMembers)
        .where(
          and(
            eq(cycleMembers.cycleId, cycle.id),
            eq(cycleMembers.userId, userId),
            isNull(cycleMembers.withdrawnAt),
          ),
        )
        .get();
      if (!enrolled) throw new RuleError('certificate.error.notEnrolled');
      const issuer = by ? `${by.displayName}` : 'Passerelle (attribution automatique)';
      const snapshot = buildSnapshot(tx, cycle, userId, issuer, reason, now);
      const certificate = tx
        .insert(certificates)
        .values({
          code: newCode(),
          cycleId: cycle.id,
          userId,
          snapshot,
          issuedHow: how,
          issuedBy: by?.id ?? null,
          issuedAt: now,
        })
        .returning()
        .get();
      recordAudit(tx, {
        actorUserId: by?.id ?? null,
        action: 'certificate.issue',
        subjectUserId: userId,
        organizationId: cycle.collectiveId,
        details: { code: certificate.code, cycle: cycle.name, how, reason },
      });
      const email = tx.select({ email: users.email }).from(users).where(eq(users.id, userId)).get()!.email;
      const t = translator('fr');
      mailer.send({
        to: email,
        subject: t('mail.certificate.subject'),
        text: t('mail.certificate.body', {
          name: snapshot.name,
          cycle: cycle.name,
          url: `${baseUrl}/certificates/${certificate.id}`,
          verify: `${baseUrl}/verify/${certificate.code}`,
        }),
      });
      return { certificate, created: true };
    },
    'immediate',
  );
}

/**
 * Issues, for each cycle the person is enrolled in, the certificate whose rules they now meet.
 * Called by recordProgress (src/progress/) after whatever may complete them. Returns the new ones.
 * A cycle where the person already has one, even revoked, is skipped: a revoked certificate must
 * not come back by itself at the next step (only the cycle's trainer may issue a new one, by hand).
 */
export function issueEarned(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  userId: number,
  now = new Date(),
): Certificate[] {
  const candidates = db
    .select({ cycle: cycles })
    .from(cycleMembers)
    .innerJoin(cycles, eq(cycles.id, cycleMembers.cycleId))
    .where(
      and(
        eq(cycleMembers.userId, userId),
        isNull(cycleMembers.withdrawnAt),
        isNull(cycles.archivedAt),
        sql`NOT EXISTS (SELECT 1 FROM certificates c WHERE c.cycle_id = ${cycles.id} AND c.user_id = ${userId})`,
      ),
    )
    .all()
    .map((r) => r.cycle);
  const issued: Certificate[] = [];
  for (const cycle of candidates) {
    if (!evaluateRules(db, cycle, userId, now).met) continue;
    const { certificate, created } = issueCertificate(db, {
      cycle,
      userId,
      how: 'automatic',
      by: null,
      reason: null,
      mailer,
      baseUrl,
      now,
    });
    if (created) issued.push(certificate);
  }
  return issued;
}

/**
 * Revokes the certificate: `cause` (the short list) is what the verification page and the status
 * document say; `note`, the national team's own words, stays internal (the certificate's page for
 * the national team, the register, the audit log).
 */
export function revokeCertificate(
  db: Db,
  user: CurrentUser,
  certificate: Certificate,
  revocation: { cause: RevocationCause; note: string | null },
  now = new Date(),
): void {
  if (certificate.revokedAt) return;
  const { cause, note } = revocation;
  withTransaction(db, (tx) => {
    tx.update(certificates)
      .set({ revokedAt: now, revokedBy: user.id, revokedCause: cause, revokedReason: note })
      .where(and(eq(certificates.id, certificate.id), isNull(certificates.revokedAt)))
      .run();
    recordAudit(tx, {
      actorUserId: user.id,
      action: 'certificate.revoke',
      subjectUserId: certificate.userId,
      details: { code: certificate.code, cause, note },
    });
  });
}

/**
 * The published words of a revocation's cause (verification page, status document, register); a
 * revocation from before the short list has none: « Autre motif ».
 */
export function revocationCauseLabel(cause: RevocationCause | null): string {
  return translator('fr')(`certificate.cause.${cause ?? 'other'}`);
}

/** A certificate its owner, the cycle's managers or the national team may open; 404 otherwise. */
export function getCertificateFor(
  db: Db,
  user: CurrentUser,
  id: number,
): { certificate: Certificate; cycle: Cycle } {
  const certificate = db.select().from(certificates).where(eq(certificates.id, id)).get();
  if (!certificate) throw new NotFoundError();
  const cycle = db.select().from(cycles).where(eq(cycles.id, certificate.cycleId)).get()!;
  if (maySeeCertificate(user, certificate, cycle)) return { certificate, cycle };
  throw new NotFoundError();
}

export function listCertificatesOf(db: Db, userId: number): Certificate[] {
  return db
    .select()
    .from(certificates)
    .where(eq(certificates.userId, userId))
    .orderBy(desc(certificates.issuedAt))
    .all();
}

export function listCycleCertificates(db: Db, cycleId: number): Certificate[] {
  return db
    .select()
    .from(certificates)
    .where(eq(certificates.cycleId, cycleId))
    .orderBy(certificates.id)
    .all();
}

export function describeIssue(certificate: Certificate): string {
  return formatCalendarDate(certificate.snapshot.issuedOn);
}

/** Whether the person ever had a certificate for the cycle (a revoked one included). */
export function hasCertificate(db: Db, cycleId: number, userId: number): boolean {
  return (
    db
      .select({ id: certificates.id })
      .from(certificates)
      .where(and(eq(certificates.cycleId, cycleId), eq(certificates.userId, userId)))
      .get() !== undefined
  );
}

/** The person's valid certificates, as the home page lists them (id and cycle): one prepared statement. */
export function liveCertificatesBrief(db: Db, userId: number): Array<{ id: number; cycleName: string }> {
  return sqliteOf(db)
    .prepare(
      `SELECT id, json_extract(snapshot, '$.cycleName') AS cycleName FROM certificates
      WHERE user_id = ? AND revoked_at IS NULL ORDER BY issued_at DESC`,
    )
    .all(userId) as Array<{ id: number; cycleName: string }>;
}

// The right to erasure: a person's account is anonymised and their personal data erased, table by
// table as the register says (registry.ts), in one transaction; their sessions end at once. The
// national team may do the same on someone's request. Counts stay right: past séances keep their
// sheets (pointing at the anonymised account), seats to come are given back to the waiting list,
// certificates are revoked with the reason and no name, the dashboards recompute the collectives.
//
// NOTE: an erased account is marked by `users.erased_at`, never recognised by its address: the
// address it gets (compte-supprime-<id>@passerelle.invalid) is refused in every e-mail field
// (src/lib/forms.ts), and if an older account already holds it, erasure takes another one rather
// than fail on the unique index.
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { type Db, sqliteOf, withTransaction } from '../db/client.ts';
import { certificates } from '../db/schema.ts';
import { cancelUpcomingSignups } from '../gatherings/signups.ts';
import { RuleError } from '../lib/errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import { isLastActiveAdmin } from '../people/roles.ts';
import { personalTables } from './registry.ts';

export const ERASED_REASON = 'supprimée à la demande de la personne';

export interface ErasureContext {
  mailer: Mailer;
  baseUrl: string;
  /** Who asked: the person themselves, someone of the national team, or null (the retention job). */
  actorId: number | null;
}

/** Erased accounts keep an address in this domain (reserved: never deliverable). */
export const ERASED_DOMAIN = '@passerelle.invalid';

/** The address an erased account keeps (unique, never deliverable). */
export function erasedEmail(userId: number, attempt = 0): string {
  return `compte-supprime-${userId}${attempt > 0 ? `-${attempt + 1}` : ''}${ERASED_DOMAIN}`;
}

/** Whether the account has been erased (unknown accounts are not). */
export function isErased(db: Db, userId: number): boolean {
  const row = sqliteOf(db).prepare('SELECT erased_at AS erasedAt FROM users WHERE id = ?').get(userId) as
    | { erasedAt: number | null }
    | undefined;
  return row?.erasedAt != null;
}

/** The account the national team may erase on a person's request: one that exists and is not erased yet. */
export function erasableAccount(
  db: Db,
  userId: number,
): { id: number; email: string; displayName: string } | null {
  const row = sqliteOf(db)
    .prepare('SELECT id, email, display_name AS displayName FROM users WHERE id = ?')
    .get(userId) as { id: number; email: string; displayName: string } | undefined;
  if (!row || isErased(db, row.id)) return null;
  return row;
}

/** The erased address for the account: its own, unless an account made before it was refused holds it. */
function freeErasedEmail(db: Db, userId: number): string {
  const taken = sqliteOf(db).prepare('SELECT 1 FROM users WHERE lower(email) = ? AND id <> ?');
  for (let attempt = 0; ; attempt++) {
    const email = erasedEmail(userId, attempt);
    if (!taken.get(email, userId)) return email;
  }
}

/**
 * What identifies the person in the audit log's details: the addresses they have held (their own
 * now, those their invitations were sent to, those their own e-mail changes name) and their names
 * (now, and before a rename) — minus any address another account holds today.
 */
function identifiers(db: Db, userId: number, email: string, name: string) {
  const client = sqliteOf(db);
  const values = (query: string) =>
    (client.prepare(query).all({ id: userId }) as { v: string | null }[]).flatMap((r) => (r.v ? [r.v] : []));
  const fromOwnEntries = (key: string, action: string) =>
    values(`SELECT json_extract(details, '$.${key}') AS v FROM audit_log
      WHERE subject_user_id = @id AND action = '${action}'`);
  const emails = new Set(
    [
      email,
      ...values('SELECT email AS v FROM invitations WHERE accepted_user_id = @id'),
      ...fromOwnEntries('from', 'profile.email'),
      ...fromOwnEntries('to', 'profile.email'),
    ].map((e) => e.toLowerCase()),
  );
  const others = client.prepare('SELECT 1 FROM users WHERE lower(email) = ? AND id <> ?');
  for (const e of emails) if (others.get(e, userId)) emails.delete(e);
  const names = new Set([
    name,
    ...fromOwnEntries('from', 'profile.rename'),
    ...fromOwnEntries('to', 'profile.rename'),
  ]);
  return { emails: JSON.stringify([...emails]), names: JSON.stringify([...names]) };
}

export function eraseAccount(db: Db, userId: number, context: ErasureContext, now = new Date()): void {
  const client = sqliteOf(db);
  const person = client
    .prepare('SELECT email, display_name AS name, erased_at AS erasedAt FROM users WHERE id = ?')
    .get(userId) as { email: string; name: string; erasedAt: number | null } | undefined;
  if (!person || person.erasedAt !== null) return;
  if (isLastActiveAdmin(db, userId)) throw new RuleError('roles.error.lastAdmin');

  // Seats at séances to come go back to the waiting list first (each in its own transaction, as a
  // person cancelling would), then everything else at once.
  cancelUpcomingSignups(db, context.mailer, context.baseUrl, null, userId, now);

  withTransaction(
    db,
    (tx) => {
      const params = {
        id: userId,
        email: person.email.toLowerCase(),
        now: now.getTime(),
        placeholder: freeErasedEmail(tx, userId),
        ...identifiers(tx, userId, person.email, person.name),
      };
      // The account itself last: the other tables find the person's rows by their address. The
      // others in the register's order (a project written alone is found by its authors before
      // project_authors loses the person's rows). (Seats to come were given back above; "keep" keeps.)
      const entries = personalTables().sort(([a], [b]) => Number(a === 'users') - Number(b === 'users'));
      for (const [table, { erase }] of entries) {
        if ('delete' in erase)
          sqliteOf(tx).prepare(`DELETE FROM "${table}" WHERE ${erase.delete}`).run(params);
        else if ('anonymise' in erase)
          sqliteOf(tx).prepare(`UPDATE "${table}" SET ${erase.set} WHERE ${erase.anonymise}`).run(params);
        else if ('step' in erase && erase.step === 'revoke-certificates')
          revokeAll(tx, userId, context.actorId, now);
      }
      recordAudit(tx, {
        actorUserId: context.actorId === userId ? null : context.actorId,
        action: 'account.erase',
        subjectUserId: userId,
        details: {
          at: now.toISOString(),
          why:
            context.actorId === userId ? 'request' : context.actorId === null ? 'retention' : 'national-team',
        },
      });
    },
    'immediate',
  );
}

function revokeAll(tx: Db, userId: number, actorId: number | null, now: Date): void {
  for (const c of tx.select().from(certificates).where(eq(certificates.userId, userId)).all()) {
    tx.update(certificates)
      .set({
        userId: null,
        snapshot: { ...c.snapshot, name: '' },
        ...(c.revokedAt
          ? {}
          : {
              revokedAt: now,
              revokedBy: actorId === userId ? null : actorId,
              // Published cause: the person asked (themselves, or the national team on their request);
              // the retention job (no actor) erases without a request.
              revokedCause: actorId === null ? ('other' as const) : ('holder_request' as const),
              revokedReason: ERASED_REASON,
            }),
      })
      .where(eq(certificates.id, c.id))
      .run();
  }
}

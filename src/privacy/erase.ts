// The right to erasure: a person's account is anonymised and their personal data erased, table by
// table as the register says (registry.ts), in one transaction; their sessions end at once. The
// national team may do the same on someone's request. Counts stay right: past séances keep their
// sheets (pointing at the anonymised account), seats to come are given back to the waiting list,
// certificates are revoked with the reason and no name, the dashboards recompute the collectives.
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
export function erasedEmail(userId: number): string {
  return `compte-supprime-${userId}${ERASED_DOMAIN}`;
}

export function isErased(email: string): boolean {
  return email.endsWith(ERASED_DOMAIN);
}

export function eraseAccount(db: Db, userId: number, context: ErasureContext, now = new Date()): void {
  const client = sqliteOf(db);
  const person = client.prepare('SELECT email FROM users WHERE id = ?').get(userId) as
    | { email: string }
    | undefined;
  if (!person || isErased(person.email)) return;
  if (isLastActiveAdmin(db, userId)) throw new RuleError('roles.error.lastAdmin');

  // Seats at séances to come go back to the waiting list first (each in its own transaction, as a
  // person cancelling would), then everything else at once.
  cancelUpcomingSignups(db, context.mailer, context.baseUrl, null, userId, now);

  const params = {
    id: userId,
    email: person.email.toLowerCase(),
    now: now.getTime(),
    placeholder: erasedEmail(userId),
  };
  withTransaction(
    db,
    (tx) => {
      // The account itself last: the other tables find the person's rows by their address. (Seats
      // to come were given back above; "keep" keeps.)
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

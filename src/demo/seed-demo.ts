// Demo data for a new database (DEMO_DATA on, never in production): the FORIM network named in
// FORIM's note — its COSIMs, the OSIMs of its annex — and one account per role. Every demo
// account's password is DEMO_PASSWORD. Idempotent: does nothing when organizations exist.
// The room's front door: the accounts (demo-accounts.ts), the network (demo-network.ts), the
// learners' progress (demo-progress.ts), the cycles with their séances (demo-cycles.ts) and the
// projects written, shared and reviewed in them (demo-projects.ts); the actions of the note's annex
// as published fiches d'expérience (demo-fiches.ts).
import { count } from 'drizzle-orm';
import type { InvitationLinks } from '../auth/invitations.ts';
import { hashPassword } from '../auth/passwords.ts';
import { issueEarned } from '../certificates/certificates.ts';
import { rebuildLearnerStats } from '../dashboards/learner-stats.ts';
import { type Db, sqliteOf, withTransaction } from '../db/client.ts';
import { memberships, organizations, users } from '../db/schema.ts';
import { confirmImport, parseInvitationCsv, saveImport } from '../invitations/csv-import.ts';
import { appSecret, defaultSecretPath } from '../lib/app-secret.ts';
import { searchable } from '../lib/text.ts';
import type { Mailer } from '../mail/mailer.ts';
import { createUser, findUserByEmail, loadCurrentUser } from '../people/users.ts';
import { DEMO_PASSWORD, demoAccounts, otherMembers } from './demo-accounts.ts';
import { seedCycles } from './demo-cycles.ts';
import { seedFiches } from './demo-fiches.ts';
import { network } from './demo-network.ts';
import { seedProgress } from './demo-progress.ts';
import { seedProjects } from './demo-projects.ts';

export { DEMO_PASSWORD, type DemoAccount, demoAccounts } from './demo-accounts.ts';

export function isDatabaseEmpty(db: Db): boolean {
  return (db.select({ n: count() }).from(organizations).get()?.n ?? 0) === 0;
}

/** A list the Bretagne coordinator has imported: its invitations are still waiting, their links work. */
const invitationList = [
  'nom;email;osim',
  'Salimata Koné;salimata.kone@cosim-bretagne.test;Cleunay Passerelles',
  'Moussa Camara;moussa.camara@cosim-bretagne.test;Cleunay Passerelles',
].join('\r\n');

/**
 * Seeds the demo network and accounts on an empty database; returns false when it did nothing.
 * `secret` is the app secret invitation links are derived from: the app's (server.ts passes it);
 * by default the one next to the database file, or the in-memory one of a database in memory.
 */
export async function seedDemoData(
  db: Db,
  mailer?: Mailer,
  baseUrl = 'http://localhost:3000',
  secret = appSecret(defaultSecretPath(sqliteOf(db).name)),
): Promise<boolean> {
  if (!isDatabaseEmpty(db)) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  withTransaction(db, (tx) => {
    const ids = new Map<string, number>();
    for (const org of network) {
      const row = tx
        .insert(organizations)
        .values({
          kind: org.kind,
          name: org.name,
          searchName: searchable(org.name),
          region: org.region ?? null,
          town: org.town ?? null,
          parentId: org.parent ? ids.get(org.parent)! : null,
          federationId: org.federation ? ids.get(org.federation)! : null,
          actsInQpv: org.actsInQpv ?? false,
          qpvNote: org.qpvNote ?? null,
        })
        .returning({ id: organizations.id })
        .get();
      ids.set(org.name, row.id);
    }
    const people = [...demoAccounts, ...otherMembers.map((m) => ({ ...m, role: 'member' as const }))];
    for (const person of people) {
      const userId = createUser(tx, {
        email: person.email,
        displayName: person.displayName,
        passwordHash,
      });
      tx.insert(memberships)
        .values({ userId, organizationId: ids.get(person.organization)!, role: person.role })
        .run();
    }
    seedProgress(tx);
    seedCycles(tx);
    seedProjects(tx);
    seedFiches(tx);
    // Every demo account has been used: last seen yesterday.
    tx.update(users)
      .set({ lastSeenAt: new Date(Date.now() - 86_400_000) })
      .run();
    rebuildLearnerStats(tx);
    if (mailer) {
      // Whoever already meets their cycle's rules has their certificate (Awa, in Bretagne).
      for (const person of people) {
        const user = findUserByEmail(tx, person.email);
        if (user) issueEarned(tx, mailer, baseUrl, user.id);
      }
    }
    if (mailer) {
      const links: InvitationLinks = { baseUrl, secret };
      const coordinator = loadCurrentUser(tx, findUserByEmail(tx, 'coordination@cosim-bretagne.test')!.id)!;
      const rows = parseInvitationCsv(Buffer.from(invitationList));
      confirmImport(tx, mailer, links, coordinator, saveImport(tx, coordinator, 'membres-cleunay.csv', rows));
    }
  });
  return true;
}

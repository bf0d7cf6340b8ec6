// `npm run data:national`: FORIM's whole network, reproducibly from a seed, for the national
// dashboards — 15 COSIMs by region (overseas ones in their time zone), 30 FOSIMs by country of
// origin, 1,000 OSIMs (each in a COSIM, a quarter also in a FOSIM, about half acting in QPV),
// 30,000 members spread unevenly over them, 200 cycles from 18 months ago to 6 months ahead,
// 3,000 séances with sign-ups (waiting lists included) and roll calls, every member somewhere on
// the path (lessons, quiz attempts), and the certificates of those who meet their cycle's rules.
//
// Everything is decided in memory first (one seeded random stream, so the same seed and `now`
// give the same rows), then written with raw prepared statements in one transaction, with the
// secondary indexes of the big tables dropped before and built once after. The rules are the
// app's: sign-ups in arrival order up to the capacity then a waiting list moved up on each
// cancellation, roll call only for séances held, a certificate as soon as the rules are met
// (src/certificates/progress.ts) with a snapshot of the same shape as issueCertificate's.
//
// The steps below run in the order they draw from the one random stream: moving a step changes
// every network a seed gives. Organizations: national-network.ts; staff, members, their accounts
// and invitations: national-people.ts; cycles and enrolments: national-cycles.ts; progress on the
// path: national-progress.ts; séances, sign-ups and roll calls: national-seances.ts; certificates:
// national-certificates.ts. What they share is in national-run.ts, the words they draw from in
// national-words.ts, the dice in national-dice.ts.
import type { Db } from '../db/client.ts';
import { writeCertificates } from './national-certificates.ts';
import { planCycles, planEnrolments, writeCycles } from './national-cycles.ts';
import { writeOrganizations } from './national-network.ts';
import { planMembers, writeAccounts, writeInvitations, writeStaff } from './national-people.ts';
import { planProgress, writeLessonProgress, writeQuizAttempts } from './national-progress.ts';
import { type NationalCounts, type NationalOptions, startRun } from './national-run.ts';
import { planSeances, writeRollCall, writeSeances, writeSignups } from './national-seances.ts';

export type { NationalCounts, NationalOptions, NationalStep } from './national-run.ts';

/** The secondary (non-unique) indexes of these tables are dropped while writing, built once after. */
const BULK_TABLES = [
  'users',
  'memberships',
  'cycle_members',
  'lesson_progress',
  'quiz_attempts',
  'gathering_signups',
  'attendance',
  'certificates',
];

/**
 * Fills the database (migrated, courses synced; demo data or not) with FORIM's national network.
 * Collectives already there under the same name are reused; everything else is added.
 */
export function generateNational(db: Db, options: NationalOptions): NationalCounts {
  const run = startRun(db, options);
  const { sqlite, counts, step } = run;
  const bulkIndexes = sqlite.prepare(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
     AND tbl_name IN (${BULK_TABLES.map(() => '?').join(', ')}) ORDER BY name`,
  );
  // The directory's full-text index is fed row by row by a trigger; rebuilt once it is 3× faster.
  const searchTrigger = sqlite.prepare(
    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'users_search_insert'",
  );
  const pragma = (name: string) =>
    Object.values(sqlite.prepare(`PRAGMA ${name}`).get() as Record<string, number>)[0];

  const previous = {
    synchronous: pragma('synchronous'),
    cache_size: pragma('cache_size'),
    temp_store: pragma('temp_store'),
  };
  sqlite.exec('PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;');

  try {
    sqlite.transaction(() => {
      const deferred = bulkIndexes.all(...BULK_TABLES) as Array<{ name: string; sql: string }>;
      for (const index of deferred) sqlite.exec(`DROP INDEX "${index.name}"`);
      const trigger = searchTrigger.get() as { sql: string } | undefined;
      if (trigger) sqlite.exec('DROP TRIGGER users_search_insert');

      const network = writeOrganizations(run);
      const nationalTeam = writeStaff(run, network);
      const members = planMembers(run, network);
      const cyclePlans = planCycles(run, network, members);
      planEnrolments(run, network, members, cyclePlans);
      const progress = planProgress(run, members);
      const order = writeAccounts(run, network, members);
      writeInvitations(run, network, members, order);
      if (trigger) {
        sqlite.exec("INSERT INTO users_search (users_search) VALUES ('rebuild')");
        sqlite.exec(trigger.sql);
      }
      step('comptes et adhésions', members.length + counts.staff);

      writeCycles(run, network, members, cyclePlans);
      writeLessonProgress(run, members, order, progress);
      writeQuizAttempts(run, members, progress.attempts);
      const seances = planSeances(run, network, members, cyclePlans);
      writeSeances(run, cyclePlans, seances.gatherings);
      writeSignups(run, members, seances);
      writeRollCall(run, members, seances);
      writeCertificates(run, network, members, cyclePlans, seances.gatherings, progress, nationalTeam);

      for (const index of deferred) sqlite.exec(index.sql);
      step('index', deferred.length);
    })();
  } finally {
    sqlite.exec(
      `PRAGMA synchronous = ${previous.synchronous}; PRAGMA cache_size = ${previous.cache_size}; PRAGMA temp_store = ${previous.temp_store};`,
    );
  }
  return counts;
}

// The sign-in sheet (feuille d'émargement à signer) of a séance, read when it is downloaded: the
// séance's facts and its confirmed sign-ups in name order. Anyone on the waiting list is left out
// (they have no seat; if they come, they sign a blank row). The PDF is drawn by attendance-sheet.ts.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Cycle, Gathering } from '../db/schema.ts';
import { RuleError } from '../lib/errors.ts';
import { attendanceSheetOf } from './attendance.ts';
import type { SignInSheet } from './attendance-sheet.ts';

/** The sheet to print, as of `now`; a cancelled séance has none. */
export function signInSheetOf(db: Db, gathering: Gathering, cycle: Cycle, now = new Date()): SignInSheet {
  if (gathering.cancelledAt) throw new RuleError('attendance.error.cancelled');
  // The séance's facts (cycle, collective, place, facilitator) exactly as the closed sheet has them.
  const { gathering: facts, trainer } = attendanceSheetOf(db, gathering, cycle);
  const people = db.all<{ name: string; organization: string | null }>(sql`
    SELECT u.display_name AS name,
      (SELECT o.name FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.user_id = u.id AND o.kind = 'osim' ORDER BY m.id LIMIT 1) AS organization
    FROM gathering_signups s JOIN users u ON u.id = s.user_id
    WHERE s.gathering_id = ${gathering.id} AND s.status = 'confirmed'
    ORDER BY u.sort_key, u.id`);
  return {
    gathering: facts,
    trainer,
    people: people.map((p) => ({ name: p.name, organization: p.organization ?? '' })),
    printedAt: now,
  };
}

// The « Attestations » page: the person's certificates and, for each cycle they follow without
// one, what its rules ask and where they stand; with no cycle, the cycles of their collective they
// may join (the cycle's page says how: by themselves, or through the coordination).
import { asc, desc, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type Cycle, cycles } from '../db/schema.ts';
import { parisDay } from '../lib/time.ts';
import type { CurrentUser } from '../people/users.ts';
import { followedCollectives, isFollower } from '../policy/policy.ts';
import { listCertificatesOf } from './certificates.ts';
import { evaluateRules } from './progress.ts';

/** The cycles the person follows (enrolled, not withdrawn): enrolment makes them visible to them. */
function followedCycles(db: Db, userId: number): Cycle[] {
  return db
    .select()
    .from(cycles)
    .where(
      sql`${cycles.id} IN (SELECT cycle_id FROM cycle_members WHERE user_id = ${userId} AND withdrawn_at IS NULL)`,
    )
    .orderBy(desc(cycles.startsOn), asc(cycles.id))
    .all();
}

/** Cycles not over and not archived, of the collectives where the person is a member, or national. */
function joinableCycles(db: Db, user: CurrentUser, now: Date) {
  if (!isFollower(user)) return [];
  const mine = followedCollectives(user);
  return db.all<{ id: number; name: string; enrolment: Cycle['enrolment'] }>(sql`
    SELECT id, name, enrolment FROM cycles
    WHERE archived_at IS NULL AND ends_on >= ${parisDay(now.getTime())}
      AND (collective_id IS NULL OR collective_id IN (SELECT value FROM json_each(${JSON.stringify(mine)})))
    ORDER BY starts_on DESC, id LIMIT 10`);
}

export function certificatesOverview(db: Db, user: CurrentUser, now = new Date()) {
  const certificates = listCertificatesOf(db, user.id);
  const followed = followedCycles(db, user.id);
  const pending = followed
    // A revoked certificate is listed with the others and does not come back by itself: nothing pending.
    .filter((cycle) => !certificates.some((x) => x.cycleId === cycle.id))
    .map((cycle) => {
      const rules = evaluateRules(db, cycle, user.id);
      return { cycle, rules, courseTitles: rules.courses.map((c) => `«\u00a0${c.title}\u00a0»`).join(', ') };
    });
  return {
    certificates,
    pending,
    following: followed.length > 0,
    joinable: followed.length === 0 ? joinableCycles(db, user, now) : [],
  };
}

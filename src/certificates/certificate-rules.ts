// A cycle's certificate rules as its trainers (and the national team) set them: the form's choices
// and values, and saving them — checked against the path's courses and the cycle's own séances,
// written with an entry in the audit log, like every other change to a cycle.
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { type Cycle, cycles } from '../db/schema.ts';
import { listGatherings } from '../gatherings/gatherings.ts';
import { catalog } from '../learning/catalog.ts';
import { FieldRuleError, RuleError } from '../lib/errors.ts';
import { formatDay } from '../lib/time.ts';
import type { CurrentUser } from '../people/users.ts';

export interface RulesInput {
  courseIds: string[];
  passMark: number | null;
  minGatherings: number;
  gatheringIds: number[];
  projectReady: boolean;
}

/** The rules as the form shows them. */
export function rulesValues(cycle: Cycle): Record<string, string | string[]> {
  const r = cycle.certificateRules;
  return {
    courseIds: r.courseIds,
    passMark: r.passMark === null ? '' : String(r.passMark),
    minGatherings: String(r.minGatherings),
    gatheringIds: r.gatheringIds.map(String),
    projectReady: r.projectReady ? 'on' : '',
  };
}

/** What the form offers: the path's courses, and the cycle's séances that are not cancelled. */
export function rulesChoices(db: Db, cycle: Cycle, viewerId: number) {
  return {
    courses: catalog(db).courses.map((c) => ({ id: c.id, title: c.title })),
    gatherings: listGatherings(db, cycle.id, viewerId)
      .filter((g) => !g.cancelledAt)
      .map((g) => ({ id: String(g.id), title: g.title, date: formatDay(g.startsAt, g.timeZone) })),
  };
}

/**
 * Saves the cycle's rules. Only courses of the path and séances of the cycle may be named (a
 * RuleError otherwise), and the rules must ask for something (a FieldRuleError on the courses).
 */
export function saveCertificateRules(db: Db, user: CurrentUser, cycle: Cycle, input: RulesInput): void {
  const known = new Set(catalog(db).courses.map((c) => c.id));
  const gatheringIds = new Set(listGatherings(db, cycle.id, user.id).map((g) => g.id));
  if (input.courseIds.some((id) => !known.has(id)) || input.gatheringIds.some((id) => !gatheringIds.has(id)))
    throw new RuleError('form.invalidChoice');
  if (
    input.courseIds.length === 0 &&
    input.minGatherings === 0 &&
    input.gatheringIds.length === 0 &&
    !input.projectReady
  )
    throw new FieldRuleError('courseIds', 'certificate.error.emptyRules');
  withTransaction(db, (tx) => {
    tx.update(cycles)
      .set({
        certificateRules: {
          // In the path's order, whatever the form's.
          courseIds: catalog(db)
            .courses.map((c) => c.id)
            .filter((id) => input.courseIds.includes(id)),
          passMark: input.passMark,
          minGatherings: input.minGatherings,
          gatheringIds: input.gatheringIds,
          projectReady: input.projectReady,
        },
      })
      .where(eq(cycles.id, cycle.id))
      .run();
    recordAudit(tx, {
      actorUserId: user.id,
      action: 'certificate.rules',
      organizationId: cycle.collectiveId,
      details: { cycleId: cycle.id, name: cycle.name },
    });
  });
}

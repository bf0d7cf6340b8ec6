// Fiches d'expérience: a member who attended a séance of the cycle writes a structured account of
// an action they led. Plain text (shown with line breaks, never as HTML), visible to the cycle;
// the author may share it with the whole network.
import { desc, eq, or, sql } from 'drizzle-orm';
import { attendedSql } from '../certificates/progress.ts';
import { getCycleFor, isEnrolled } from '../cycles/cycles.ts';
import { type Db, withTransaction } from '../db/client.ts';
import { type Cycle, cycles, experiencePublications, experiences, users } from '../db/schema.ts';
import { ForbiddenError, NotFoundError, RuleError } from '../lib/errors.ts';
import type { CurrentUser } from '../people/users.ts';
import { mayManageCycle } from '../policy/policy.ts';
import type { FunderKind } from '../projects/budget.ts';
import type { RegionCode } from '../showcase/regions.ts';
import type { ExperienceDomain, ExperiencePublic } from './fiche-facts.ts';

export const experienceFields = [
  'title',
  'what',
  'objectives',
  'town',
  'qpvName',
  'audience',
  'partners',
  'cofunding',
  'results',
  'difficulties',
  'advice',
] as const;

export interface ExperienceInput {
  title: string;
  what: string;
  town: string;
  inQpv: boolean;
  qpvName: string;
  audience: string;
  partners: string;
  cofunding: string;
  results: string;
  difficulties: string;
  advice: string;
  sharedWithNetwork: boolean;
  objectives?: string;
  // The annex's facts (issue 19): a fiche written before them has none.
  domain?: ExperienceDomain | null;
  publics?: ExperiencePublic[];
  region?: RegionCode | null;
  periodStart?: string | null;
  periodEnd?: string | null;
  cofunders?: FunderKind[];
  volunteers?: number | null;
  participants?: number | null;
}

/** Whether the person attended at least one séance of the cycle (held, marked present: `attendedSql`). */
export function attendedCycle(db: Db, cycleId: number, userId: number, now = new Date()): boolean {
  const row = db.get<{ n: number }>(sql`
    SELECT count(*) AS n FROM attendance a JOIN gatherings g ON g.id = a.gathering_id
    WHERE g.cycle_id = ${cycleId} AND a.user_id = ${userId} AND ${attendedSql(now)}`);
  return (row?.n ?? 0) > 0;
}

export function canWriteExperience(db: Db, user: CurrentUser, cycle: Cycle): boolean {
  return isEnrolled(db, cycle.id, user.id) && attendedCycle(db, cycle.id, user.id);
}

export function createExperience(
  db: Db,
  user: CurrentUser,
  cycle: Cycle,
  input: ExperienceInput,
  now = new Date(),
): number {
  if (!canWriteExperience(db, user, cycle)) throw new RuleError('experience.error.notAttended');
  return db
    .insert(experiences)
    .values({ ...input, cycleId: cycle.id, authorId: user.id, createdAt: now, updatedAt: now })
    .returning({ id: experiences.id })
    .get().id;
}

/**
 * The author's change to their fiche. A published fiche goes back to review (« requested »): what
 * the public reads is always what someone reviewed.
 */
export function updateExperience(
  db: Db,
  experience: Pick<ExperienceView, 'id' | 'publication' | 'authorId'>,
  input: ExperienceInput,
  now = new Date(),
): { backToReview: boolean } {
  const backToReview = experience.publication === 'published';
  // A change while a review is asked for is recorded too: the reviewer then reads the new version.
  const recorded = experience.publication !== 'private';
  withTransaction(db, (tx) => {
    tx.update(experiences)
      .set({
        ...input,
        updatedAt: now,
        ...(backToReview ? { publication: 'requested', publishedAt: null } : {}),
      })
      .where(eq(experiences.id, experience.id))
      .run();
    if (recorded)
      tx.insert(experiencePublications)
        .values({ experienceId: experience.id, action: 'edited', actorId: experience.authorId, at: now })
        .run();
  });
  return { backToReview };
}

export type ExperienceView = typeof experiences.$inferSelect & {
  authorName: string;
  cycleName: string;
  osim: string | null;
};

function select(db: Db) {
  return db
    .select({
      e: experiences,
      authorName: users.displayName,
      cycleName: cycles.name,
      osim: sql<
        string | null
      >`(SELECT o.name FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = ${experiences.authorId} AND o.kind = 'osim' ORDER BY m.id LIMIT 1)`,
    })
    .from(experiences)
    .innerJoin(users, eq(users.id, experiences.authorId))
    .innerJoin(cycles, eq(cycles.id, experiences.cycleId));
}

const flatten = (r: {
  e: typeof experiences.$inferSelect;
  authorName: string;
  cycleName: string;
  osim: string | null;
}) => ({ ...r.e, authorName: r.authorName, cycleName: r.cycleName, osim: r.osim }) as ExperienceView;

/** A fiche the person may read: their own, one of a cycle they see, or one shared with the network. */
export function getExperienceFor(db: Db, user: CurrentUser, id: number): ExperienceView {
  const row = select(db).where(eq(experiences.id, id)).get();
  if (!row) throw new NotFoundError();
  const experience = flatten(row);
  if (experience.authorId === user.id || experience.sharedWithNetwork) return experience;
  const cycle = getCycleFor(db, user, experience.cycleId);
  if (mayManageCycle(user, cycle) || isEnrolled(db, cycle.id, user.id)) return experience;
  throw new NotFoundError();
}

/** A fiche its author is about to change: anyone else who may read it is refused (403). */
export function getOwnExperience(db: Db, user: CurrentUser, id: number): ExperienceView {
  const experience = getExperienceFor(db, user, id);
  if (experience.authorId !== user.id) throw new ForbiddenError('experience.error.notAuthor');
  return experience;
}

/** A fiche's values in its form (a ticked box is « on »). */
export function experienceValues(experience: ExperienceView): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of experienceFields) values[f] = experience[f];
  values.inQpv = experience.inQpv ? 'on' : '';
  values.sharedWithNetwork = experience.sharedWithNetwork ? 'on' : '';
  values.domain = experience.domain ?? '';
  values.publics = experience.publics.join(',');
  values.region = experience.region ?? '';
  values.periodStart = experience.periodStart ?? '';
  values.periodEnd = experience.periodEnd ?? '';
  values.cofunders = experience.cofunders.join(',');
  values.volunteers = experience.volunteers === null ? '' : String(experience.volunteers);
  values.participants = experience.participants === null ? '' : String(experience.participants);
  return values;
}

export function listCycleExperiences(db: Db, cycleId: number): ExperienceView[] {
  return select(db)
    .where(eq(experiences.cycleId, cycleId))
    .orderBy(desc(experiences.createdAt))
    .all()
    .map(flatten);
}

/** Fiches shared with the whole network, and the person's own. */
export function listSharedExperiences(db: Db, userId: number): ExperienceView[] {
  return select(db)
    .where(or(eq(experiences.sharedWithNetwork, true), eq(experiences.authorId, userId)))
    .orderBy(desc(experiences.createdAt))
    .limit(200)
    .all()
    .map(flatten);
}

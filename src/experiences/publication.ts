// Publishing a fiche d'expérience on the public showcase, with its author's consent: the author
// asks; the national team or a coordinator of the fiche's collective reviews it (corrects typos,
// removes the names of private persons) and publishes it, or sends it back; the author withdraws it
// whenever they like, and it leaves every public page at once. Each step is kept
// (experience_publications): who asked, who published, who withdrew, and when.
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { type Db, withTransaction } from '../db/client.ts';
import { cycles, experiencePublications, experiences, users } from '../db/schema.ts';
import { ForbiddenError, RuleError } from '../lib/errors.ts';
import type { CurrentUser } from '../people/users.ts';
import { isNational, managedCollectives, mayPublishExperience } from '../policy/policy.ts';
import { type ExperienceView, experienceFields } from './experiences.ts';

export type PublicationAction = (typeof experiencePublications.$inferInsert)['action'];

function record(db: Db, experienceId: number, action: PublicationAction, actorId: number, at: Date) {
  db.insert(experiencePublications).values({ experienceId, action, actorId, at }).run();
}

/** The collective a fiche belongs to (its cycle's; null for a national cycle). */
export function ficheCollective(db: Db, experience: Pick<ExperienceView, 'cycleId'>): number | null {
  return (
    db.select({ c: cycles.collectiveId }).from(cycles).where(eq(cycles.id, experience.cycleId)).get()?.c ??
    null
  );
}

/** The author asks for their fiche to be public. */
export function requestPublication(db: Db, user: CurrentUser, experience: ExperienceView, now = new Date()) {
  if (experience.authorId !== user.id) throw new ForbiddenError('experience.error.notAuthor');
  if (experience.publication !== 'private') throw new RuleError('fiche.error.alreadyAsked');
  withTransaction(db, (tx) => {
    tx.update(experiences).set({ publication: 'requested' }).where(eq(experiences.id, experience.id)).run();
    record(tx, experience.id, 'requested', user.id, now);
  });
}

/**
 * The author takes their fiche off the showcase (or takes back their request); a publisher may too,
 * for a fiche that should not be public. Nothing is left on a public page or feed.
 */
export function withdrawPublication(db: Db, user: CurrentUser, experience: ExperienceView, now = new Date()) {
  const mine = experience.authorId === user.id;
  if (!mine && !mayPublishExperience(user, ficheCollective(db, experience)))
    throw new ForbiddenError('experience.error.notAuthor');
  if (experience.publication === 'private') throw new RuleError('fiche.error.notPublic');
  withTransaction(db, (tx) => {
    tx.update(experiences)
      .set({ publication: 'private', publishedAt: null })
      .where(eq(experiences.id, experience.id))
      .run();
    record(tx, experience.id, mine ? 'withdrawn' : 'declined', user.id, now);
  });
}

/** The texts a publisher may correct before publishing (typos, a private person's name). */
export const REVIEWED_TEXTS = experienceFields;
export type ReviewedTexts = Record<(typeof REVIEWED_TEXTS)[number], string>;

/** A publisher publishes a fiche its author asked to publish, with their corrections. */
export function publishExperience(
  db: Db,
  user: CurrentUser,
  experience: ExperienceView,
  texts: ReviewedTexts,
  now = new Date(),
  /** The fiche's `updatedAt` (ms) as the reviewer read it (the form's): a fiche changed since is not published. */
  seen = experience.updatedAt.getTime(),
) {
  if (!mayPublishExperience(user, ficheCollective(db, experience))) throw new ForbiddenError();
  // Someone else reviews: an author never publishes their own fiche.
  if (experience.authorId === user.id) throw new RuleError('fiche.error.ownFiche');
  if (experience.publication !== 'requested') throw new RuleError('fiche.error.notAsked');
  withTransaction(db, (tx) => {
    // Only a fiche still asked for, as the reviewer read it: its author may have withdrawn or
    // changed it meanwhile.
    const changed = tx
      .update(experiences)
      .set({ ...texts, publication: 'published', publishedAt: now, updatedAt: now })
      .where(
        and(
          eq(experiences.id, experience.id),
          eq(experiences.publication, 'requested'),
          eq(experiences.updatedAt, new Date(seen)),
        ),
      )
      .run().changes;
    if (changed === 0) {
      const current = tx
        .select({ p: experiences.publication })
        .from(experiences)
        .where(eq(experiences.id, experience.id))
        .get();
      throw new RuleError(current?.p === 'requested' ? 'fiche.error.changed' : 'fiche.error.notAsked');
    }
    record(tx, experience.id, 'published', user.id, now);
  });
}

/** A publisher sends a request back to its author (private again, the author may ask again). */
export function declinePublication(db: Db, user: CurrentUser, experience: ExperienceView, now = new Date()) {
  if (!mayPublishExperience(user, ficheCollective(db, experience))) throw new ForbiddenError();
  if (experience.publication !== 'requested') throw new RuleError('fiche.error.notAsked');
  withTransaction(db, (tx) => {
    tx.update(experiences).set({ publication: 'private' }).where(eq(experiences.id, experience.id)).run();
    record(tx, experience.id, 'declined', user.id, now);
  });
}

/** The fiches waiting for a publisher (the national team: all; a coordinator: their collectives'). */
export function publicationRequests(db: Db, user: CurrentUser) {
  const scope = isNational(user) ? null : managedCollectives(user);
  if (scope !== null && scope.length === 0) return [];
  // One's own fiches are reviewed by someone else.
  return db
    .select({
      id: experiences.id,
      title: experiences.title,
      cycleName: cycles.name,
      authorName: users.displayName,
      asked: sql<number>`(SELECT max(at) FROM experience_publications p WHERE p.experience_id = ${experiences.id} AND p.action IN ('requested', 'edited'))`,
    })
    .from(experiences)
    .innerJoin(cycles, eq(cycles.id, experiences.cycleId))
    .innerJoin(users, eq(users.id, experiences.authorId))
    .where(
      and(
        eq(experiences.publication, 'requested'),
        ne(experiences.authorId, user.id),
        scope === null ? undefined : inArray(cycles.collectiveId, scope),
      ),
    )
    .orderBy(desc(experiences.updatedAt))
    .limit(200)
    .all();
}

/** Who asked, published, withdrew a fiche, and when (newest first). */
export function publicationHistory(db: Db, experienceId: number) {
  return db
    .select({
      action: experiencePublications.action,
      at: experiencePublications.at,
      actorName: users.displayName,
    })
    .from(experiencePublications)
    .leftJoin(users, eq(users.id, experiencePublications.actorId))
    .where(eq(experiencePublications.experienceId, experienceId))
    .orderBy(desc(experiencePublications.at), desc(experiencePublications.id))
    .all();
}

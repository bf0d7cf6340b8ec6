// Séances (code: gatherings) of a cycle: scheduled by its trainers, in a time zone, in person,
// online or both, with a capacity. Editing bumps the calendar SEQUENCE and tells everyone signed
// up; cancelling keeps the séance (marked cancelled) and tells them too.
import { randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull, lt, ne, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { getCycleFor } from '../cycles/cycles.ts';
import { type Db, withTransaction } from '../db/client.ts';
import {
  type Cycle,
  type Gathering,
  type GatheringMode,
  gatheringSignups,
  gatherings,
  memberships,
  organizations,
  users,
} from '../db/schema.ts';
import { translator } from '../i18n/index.ts';
import { catalog } from '../learning/catalog.ts';
import { FieldRuleError, NotFoundError, RuleError } from '../lib/errors.ts';
import { formatRange, zoneName } from '../lib/time.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { CurrentUser } from '../people/users.ts';
import { mayRunGathering, seanceLeaderSql } from '../policy/policy.ts';
import { promoteWaiting } from './signups.ts';

export interface GatheringInput {
  title: string;
  courseId: string | null;
  theme: string;
  facilitatorId: number;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  mode: GatheringMode;
  placeName: string;
  address: string;
  town: string;
  placeInQpv: boolean;
  videoUrl: string;
  capacity: number;
  agenda: string;
}

export class GatheringFieldError extends FieldRuleError {}

/** A séance with its cycle, if the person may see the cycle; 404 otherwise. */
export function getGatheringFor(
  db: Db,
  user: CurrentUser,
  id: number,
): { gathering: Gathering; cycle: Cycle } {
  const gathering = db.select().from(gatherings).where(eq(gatherings.id, id)).get();
  if (!gathering) throw new NotFoundError();
  return { gathering, cycle: getCycleFor(db, user, gathering.cycleId) };
}

/** A séance of a cycle the person runs, or the séance's facilitator; 404 otherwise. */
export function getManagedGathering(db: Db, user: CurrentUser, id: number) {
  const found = getGatheringFor(db, user, id);
  if (!mayRunGathering(user, found.cycle, found.gathering)) throw new NotFoundError();
  return found;
}

export interface GatheringListItem extends Gathering {
  facilitatorName: string;
  confirmed: number;
  waiting: number;
  /** The viewer's sign-up, if any. */
  myStatus: 'confirmed' | 'waiting' | null;
}

export function listGatherings(db: Db, cycleId: number, viewerId: number): GatheringListItem[] {
  return db
    .select({
      g: gatherings,
      facilitatorName: users.displayName,
      confirmed: sql<number>`(SELECT count(*) FROM gathering_signups s WHERE s.gathering_id = ${gatherings.id} AND s.status = 'confirmed')`,
      waiting: sql<number>`(SELECT count(*) FROM gathering_signups s WHERE s.gathering_id = ${gatherings.id} AND s.status = 'waiting')`,
      myStatus: sql<
        'confirmed' | 'waiting' | null
      >`(SELECT s.status FROM gathering_signups s WHERE s.gathering_id = ${gatherings.id} AND s.user_id = ${viewerId} AND s.status <> 'cancelled')`,
    })
    .from(gatherings)
    .innerJoin(users, eq(users.id, gatherings.facilitatorId))
    .where(eq(gatherings.cycleId, cycleId))
    .orderBy(asc(gatherings.startsAt))
    .all()
    .map((r) => ({
      ...r.g,
      facilitatorName: r.facilitatorName,
      confirmed: r.confirmed,
      waiting: r.waiting,
      myStatus: r.myStatus,
    }));
}

/** Who may lead a séance: the collective's trainers and coordinators, the national team, and the cycle's learners (peer exchange). */
export function facilitatorChoices(db: Db, cycle: Cycle): Array<{ id: number; name: string }> {
  const runners = db
    .selectDistinct({ id: users.id, name: users.displayName, sortKey: users.sortKey })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(
      and(isNull(users.disabledAt), seanceLeaderSql(memberships.role, organizations.id, cycle.collectiveId)),
    )
    .all();
  const learners = db.all<{ id: number; name: string; sortKey: string }>(sql`
    SELECT u.id, u.display_name AS name, u.sort_key AS sortKey FROM cycle_members cm JOIN users u ON u.id = cm.user_id
    WHERE cm.cycle_id = ${cycle.id} AND cm.withdrawn_at IS NULL AND u.disabled_at IS NULL`);
  const all = new Map<number, { id: number; name: string; sortKey: string }>();
  for (const p of [...runners, ...learners]) all.set(p.id, p);
  return [...all.values()]
    .sort((a, b) => a.sortKey.localeCompare(b.sortKey))
    .map(({ id, name }) => ({ id, name }));
}

/** Séances the facilitator already leads at an overlapping time (any cycle), not cancelled. */
export function overlappingGatherings(
  db: Db,
  facilitatorId: number,
  startsAt: Date,
  endsAt: Date,
  exceptId?: number,
): Array<{ id: number; title: string; startsAt: Date; endsAt: Date; timeZone: string }> {
  return db
    .select({
      id: gatherings.id,
      title: gatherings.title,
      startsAt: gatherings.startsAt,
      endsAt: gatherings.endsAt,
      timeZone: gatherings.timeZone,
    })
    .from(gatherings)
    .where(
      and(
        eq(gatherings.facilitatorId, facilitatorId),
        isNull(gatherings.cancelledAt),
        lt(gatherings.startsAt, endsAt),
        gt(gatherings.endsAt, startsAt),
        exceptId === undefined ? undefined : ne(gatherings.id, exceptId),
      ),
    )
    .all();
}

function checkInput(db: Db, cycle: Cycle, input: GatheringInput) {
  if (input.endsAt <= input.startsAt)
    throw new GatheringFieldError('endTime', 'gathering.error.endBeforeStart');
  if (input.courseId !== null && !catalog(db).coursesById.has(input.courseId))
    throw new GatheringFieldError('courseId', 'form.invalidChoice');
  if (!facilitatorChoices(db, cycle).some((p) => p.id === input.facilitatorId))
    throw new GatheringFieldError('facilitatorId', 'form.invalidChoice');
  if (input.mode !== 'online' && !input.placeName)
    throw new GatheringFieldError('placeName', 'gathering.error.placeRequired');
  if (input.mode !== 'in_person' && !input.videoUrl)
    throw new GatheringFieldError('videoUrl', 'gathering.error.videoRequired');
}

export function createGathering(
  db: Db,
  user: CurrentUser,
  cycle: Cycle,
  input: GatheringInput,
  now = new Date(),
): number {
  checkInput(db, cycle, input);
  return withTransaction(db, (tx) => {
    const row = tx
      .insert(gatherings)
      .values({
        ...input,
        cycleId: cycle.id,
        uid: `seance-${randomBytes(9).toString('base64url')}@passerelle.forim.net`,
        createdBy: user.id,
        updatedAt: now,
      })
      .returning({ id: gatherings.id })
      .get();
    recordAudit(tx, {
      actorUserId: user.id,
      action: 'gathering.create',
      organizationId: cycle.collectiveId,
      details: { gatheringId: row.id, title: input.title },
    });
    return row.id;
  });
}

/** People signed up (confirmed or waiting), with their email, to tell them of a change. */
export function signedUpPeople(db: Db, gatheringId: number) {
  return db
    .select({ id: users.id, email: users.email, name: users.displayName, status: gatheringSignups.status })
    .from(gatheringSignups)
    .innerJoin(users, eq(users.id, gatheringSignups.userId))
    .where(and(eq(gatheringSignups.gatheringId, gatheringId), ne(gatheringSignups.status, 'cancelled')))
    .orderBy(asc(gatheringSignups.id))
    .all();
}

function describe(
  g: Pick<
    Gathering,
    'startsAt' | 'endsAt' | 'timeZone' | 'mode' | 'placeName' | 'address' | 'town' | 'videoUrl'
  >,
) {
  const when = `${formatRange(g.startsAt, g.endsAt, g.timeZone)} (heure de ${zoneName(g.timeZone)})`;
  const place = [g.placeName, g.address, g.town].filter(Boolean).join(', ');
  const where =
    g.mode === 'online'
      ? `En ligne : ${g.videoUrl}`
      : g.mode === 'hybrid'
        ? `${place} — ou en ligne : ${g.videoUrl}`
        : place;
  return { when, where };
}

export function gatheringUrl(baseUrl: string, id: number): string {
  return `${baseUrl}/gatherings/${id}`;
}

export function updateGathering(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  user: CurrentUser,
  cycle: Cycle,
  gathering: Gathering,
  input: GatheringInput,
  now = new Date(),
): void {
  if (gathering.cancelledAt) throw new RuleError('gathering.error.cancelled');
  checkInput(db, cycle, input);
  const t = translator('fr');
  withTransaction(db, (tx) => {
    tx.update(gatherings)
      .set({ ...input, sequence: gathering.sequence + 1, updatedAt: now })
      .where(eq(gatherings.id, gathering.id))
      .run();
    // More seats: the first waiting people get them.
    promoteWaiting(tx, mailer, baseUrl, gathering.id, now);
    const { when, where } = describe(input);
    for (const person of signedUpPeople(tx, gathering.id)) {
      mailer.send({
        to: person.email,
        subject: t('mail.gatheringChanged.subject', { title: input.title }),
        text: t('mail.gatheringChanged.body', {
          name: person.name,
          title: input.title,
          when,
          where,
          url: gatheringUrl(baseUrl, gathering.id),
        }),
      });
    }
    recordAudit(tx, {
      actorUserId: user.id,
      action: 'gathering.update',
      organizationId: cycle.collectiveId,
      details: { gatheringId: gathering.id, title: input.title },
    });
  });
}

export function cancelGathering(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  user: CurrentUser,
  cycle: Cycle,
  gathering: Gathering,
  reason: string,
  now = new Date(),
): void {
  if (gathering.cancelledAt) return;
  const t = translator('fr');
  withTransaction(db, (tx) => {
    tx.update(gatherings)
      .set({ cancelledAt: now, cancelReason: reason, sequence: gathering.sequence + 1, updatedAt: now })
      .where(eq(gatherings.id, gathering.id))
      .run();
    const { when } = describe(gathering);
    for (const person of signedUpPeople(tx, gathering.id)) {
      mailer.send({
        to: person.email,
        subject: t('mail.gatheringCancelled.subject', { title: gathering.title }),
        text: t('mail.gatheringCancelled.body', {
          name: person.name,
          title: gathering.title,
          when,
          reason,
          url: gatheringUrl(baseUrl, gathering.id),
        }),
      });
    }
    recordAudit(tx, {
      actorUserId: user.id,
      action: 'gathering.cancel',
      organizationId: cycle.collectiveId,
      details: { gatheringId: gathering.id, title: gathering.title, reason },
    });
  });
}

/** The séance's compte-rendu, written or rewritten by whoever runs it. */
export function saveReport(db: Db, gathering: Gathering, report: string, now = new Date()): void {
  db.update(gatherings).set({ report, reportAt: now }).where(eq(gatherings.id, gathering.id)).run();
}

export { describe as describeGathering };

// Cycles: one run of the path for a group of members, usually a COSIM's. Trainers and
// coordinators of the collective (and the national team) open and run them; members of the
// collective enrol themselves in an open cycle or are enrolled by the coordinator, and may withdraw.
// Who sees a cycle: its managers, the collective's people, and those enrolled; outside, 404. The
// rules themselves are policy/policy.ts's (mayManageCycle, maySeeCycle, mayEnrolSelf).
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import { type Db, withTransaction } from '../db/client.ts';
import {
  type CertificateRules,
  type Cycle,
  type CycleEnrolment,
  cycleMembers,
  cycles,
  memberships,
  organizations,
  users,
} from '../db/schema.ts';
import type { Translate } from '../i18n/index.ts';
import { catalog } from '../learning/catalog.ts';
import { pathProgress } from '../learning/progress.ts';
import { FieldRuleError, ForbiddenError, NotFoundError, RuleError } from '../lib/errors.ts';
import type { CurrentUser } from '../people/users.ts';
import {
  collectivesWhere,
  cycleCreationScope,
  enrolSelfRefusal,
  FOLLOWER,
  isNational,
  mayEnrolSelf,
  mayManageCycle,
  maySeeCycle,
} from '../policy/policy.ts';

export function isEnrolled(db: Db, cycleId: number, userId: number): boolean {
  return (
    db
      .select({ userId: cycleMembers.userId })
      .from(cycleMembers)
      .where(
        and(
          eq(cycleMembers.cycleId, cycleId),
          eq(cycleMembers.userId, userId),
          isNull(cycleMembers.withdrawnAt),
        ),
      )
      .get() !== undefined
  );
}

/** A cycle the person may see, or 404. */
export function getCycleFor(db: Db, user: CurrentUser, id: number): Cycle {
  const cycle = db.select().from(cycles).where(eq(cycles.id, id)).get();
  if (!cycle || !maySeeCycle(user, cycle, () => isEnrolled(db, cycle.id, user.id))) throw new NotFoundError();
  return cycle;
}

/** A cycle the person runs, or 404 (if they may not even see it) / 403. */
export function getManagedCycle(db: Db, user: CurrentUser, id: number): Cycle {
  const cycle = getCycleFor(db, user, id);
  if (!mayManageCycle(user, cycle)) throw new NotFoundError();
  return cycle;
}

export interface CycleListItem {
  id: number;
  name: string;
  collectiveName: string | null;
  startsOn: string;
  endsOn: string;
  enrolment: CycleEnrolment;
  enrolled: boolean;
  learners: number;
  archived: boolean;
}

/** The cycles the person may see: their collectives', national ones, those they are enrolled in. */
export function listCyclesFor(db: Db, user: CurrentUser): CycleListItem[] {
  const mine = collectivesWhere(user);
  const where = isNational(user)
    ? undefined
    : or(
        isNull(cycles.collectiveId),
        mine.length > 0 ? inArray(cycles.collectiveId, mine) : sql`0`,
        sql`${cycles.id} IN (SELECT cycle_id FROM cycle_members WHERE user_id = ${user.id} AND withdrawn_at IS NULL)`,
      );
  return db
    .select({
      id: cycles.id,
      name: cycles.name,
      collectiveName: organizations.name,
      startsOn: cycles.startsOn,
      endsOn: cycles.endsOn,
      enrolment: cycles.enrolment,
      archivedAt: cycles.archivedAt,
      enrolled: sql<number>`EXISTS (SELECT 1 FROM cycle_members cm WHERE cm.cycle_id = ${cycles.id} AND cm.user_id = ${user.id} AND cm.withdrawn_at IS NULL)`,
      learners: sql<number>`(SELECT count(*) FROM cycle_members cm WHERE cm.cycle_id = ${cycles.id} AND cm.withdrawn_at IS NULL)`,
    })
    .from(cycles)
    .leftJoin(organizations, eq(organizations.id, cycles.collectiveId))
    .where(where)
    .orderBy(desc(cycles.startsOn), asc(cycles.id))
    .all()
    .map((c) => ({
      id: c.id,
      name: c.name,
      collectiveName: c.collectiveName,
      startsOn: c.startsOn,
      endsOn: c.endsOn,
      enrolment: c.enrolment,
      enrolled: Boolean(c.enrolled),
      learners: c.learners,
      archived: c.archivedAt !== null,
    }));
}

/** The cycle's certificate rules in words, for its page (the courses by their titles). */
export function describeRules(db: Db, cycle: Cycle, t: Translate): string {
  const r = cycle.certificateRules;
  const content = catalog(db);
  const parts = [];
  const courses = r.courseIds
    .flatMap((id) => content.coursesById.get(id)?.title ?? [])
    .map((title) => t('cycle.rules.course', { title }))
    .join(t('cycle.rules.courseSeparator'));
  if (courses.length > 0)
    parts.push(
      r.passMark
        ? t('cycle.rules.coursesPassMark', { courses, passMark: r.passMark })
        : t('cycle.rules.courses', { courses }),
    );
  if (r.minGatherings > 0) parts.push(t('cycle.rules.gatherings', { count: r.minGatherings }));
  if (r.gatheringIds.length > 0)
    parts.push(t('cycle.rules.requiredGatherings', { count: r.gatheringIds.length }));
  if (r.projectReady) parts.push(t('cycle.rules.projectReady'));
  return parts.join(t('cycle.rules.and'));
}

export interface CycleInput {
  name: string;
  collectiveId: number | null;
  startsOn: string;
  endsOn: string;
  enrolment: CycleEnrolment;
}

/** Rules of a new cycle: every course of the path, their quizzes' own pass marks, two séances. */
export function defaultCertificateRules(db: Db): CertificateRules {
  return {
    courseIds: catalog(db).courses.map((c) => c.id),
    passMark: null,
    minGatherings: 2,
    gatheringIds: [],
  };
}

export class CycleFieldError extends FieldRuleError<keyof CycleInput> {}

function checkCycleInput(user: CurrentUser, input: CycleInput) {
  const scope = cycleCreationScope(user);
  if (scope !== null && (input.collectiveId === null || !scope.includes(input.collectiveId)))
    throw new CycleFieldError('collectiveId', 'cycle.error.collective');
  if (input.endsOn < input.startsOn) throw new CycleFieldError('endsOn', 'cycle.error.dates');
}

export function createCycle(db: Db, user: CurrentUser, input: CycleInput): number {
  checkCycleInput(user, input);
  const path = catalog(db).path;
  if (!path) throw new RuleError('cycle.error.noPath');
  return withTransaction(db, (tx) => {
    const row = tx
      .insert(cycles)
      .values({
        ...input,
        pathId: path.id,
        certificateRules: defaultCertificateRules(tx),
        createdBy: user.id,
      })
      .returning({ id: cycles.id })
      .get();
    recordAudit(tx, {
      actorUserId: user.id,
      action: 'cycle.create',
      organizationId: input.collectiveId,
      details: { cycleId: row.id, name: input.name },
    });
    return row.id;
  });
}

export function updateCycle(db: Db, user: CurrentUser, cycle: Cycle, input: CycleInput): void {
  checkCycleInput(user, input);
  db.update(cycles).set(input).where(eq(cycles.id, cycle.id)).run();
  recordAudit(db, {
    actorUserId: user.id,
    action: 'cycle.update',
    organizationId: input.collectiveId,
    details: { cycleId: cycle.id, name: input.name },
  });
}

/**
 * Who may be enrolled in the cycle: the followers (policy.ts) of an organization of its collective
 * — any follower for a national one. The same people listEnrollable offers.
 */
function isEligible(db: Db, cycle: Cycle, userId: number): boolean {
  const collective =
    cycle.collectiveId === null
      ? sql`1 = 1`
      : sql`(o.id = ${cycle.collectiveId} OR o.parent_id = ${cycle.collectiveId} OR o.federation_id = ${cycle.collectiveId})`;
  const row = db.get<{ n: number }>(sql`
    SELECT count(*) AS n FROM memberships m JOIN organizations o ON o.id = m.organization_id
    WHERE m.user_id = ${userId} AND m.role = ${FOLLOWER} AND ${collective}`);
  return (row?.n ?? 0) > 0;
}

/** Enrols the person (idempotent; a withdrawn person comes back). */
export function enrol(db: Db, cycle: Cycle, userId: number, by: number, now = new Date()): void {
  if (cycle.archivedAt) throw new RuleError('cycle.error.archived');
  if (!isEligible(db, cycle, userId)) throw new RuleError('cycle.error.notEligible');
  db.insert(cycleMembers)
    .values({ cycleId: cycle.id, userId, enrolledAt: now, enrolledBy: by })
    .onConflictDoUpdate({
      target: [cycleMembers.cycleId, cycleMembers.userId],
      set: { withdrawnAt: null, enrolledAt: now, enrolledBy: by },
      where: sql`${cycleMembers.withdrawnAt} IS NOT NULL`,
    })
    .run();
}

/** A member enrols themself: the rule is mayEnrolSelf (policy.ts), the one the page's button follows. */
export function enrolSelf(db: Db, user: CurrentUser, cycle: Cycle): void {
  const refusal = enrolSelfRefusal(user, cycle);
  if (refusal?.forbidden) throw new ForbiddenError(refusal.key);
  if (refusal) throw new RuleError(refusal.key);
  enrol(db, cycle, user.id, user.id);
}

/** Whether the page offers « M’inscrire au cycle »: the rule POST /cycles/:id/enrol applies (policy.ts). */
export function canEnrolSelf(db: Db, user: CurrentUser, cycle: Cycle): boolean {
  return !isEnrolled(db, cycle.id, user.id) && mayEnrolSelf(user, cycle);
}

export function withdraw(db: Db, cycle: Cycle, userId: number, now = new Date()): void {
  db.update(cycleMembers)
    .set({ withdrawnAt: now })
    .where(
      and(
        eq(cycleMembers.cycleId, cycle.id),
        eq(cycleMembers.userId, userId),
        isNull(cycleMembers.withdrawnAt),
      ),
    )
    .run();
}

export interface Learner {
  id: number;
  name: string;
  osim: string | null;
  percent: number;
  lessonsDone: number;
  quizzesPassed: number;
  enrolledAt: Date;
}

/** The cycle's learners with their progress on the path (for its trainers). */
export function listLearners(db: Db, cycle: Cycle): Learner[] {
  const rows = db
    .select({
      id: users.id,
      name: users.displayName,
      enrolledAt: cycleMembers.enrolledAt,
      osim: sql<
        string | null
      >`(SELECT o.name FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = ${users.id} AND o.kind = 'osim' ORDER BY m.id LIMIT 1)`,
    })
    .from(cycleMembers)
    .innerJoin(users, eq(users.id, cycleMembers.userId))
    .where(and(eq(cycleMembers.cycleId, cycle.id), isNull(cycleMembers.withdrawnAt)))
    .orderBy(users.sortKey)
    .all();
  return rows.map((r) => {
    const progress = pathProgress(db, r.id);
    return {
      ...r,
      percent: progress?.percent ?? 0,
      lessonsDone: progress?.courses.reduce((n, c) => n + c.lessonsDone, 0) ?? 0,
      quizzesPassed: progress?.courses.filter((c) => c.quiz?.passed).length ?? 0,
    };
  });
}

/** People of the collective a coordinator may enrol (not enrolled yet), by name. */
export function listEnrollable(db: Db, cycle: Cycle): Array<{ id: number; name: string }> {
  if (cycle.collectiveId === null) return [];
  return db
    .selectDistinct({ id: users.id, name: users.displayName, sortKey: users.sortKey })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.role, FOLLOWER),
        isNull(users.disabledAt),
        // The same people isEligible accepts: a FOSIM's OSIMs are linked by federation_id.
        or(
          eq(organizations.id, cycle.collectiveId),
          eq(organizations.parentId, cycle.collectiveId),
          eq(organizations.federationId, cycle.collectiveId),
        ),
        sql`${users.id} NOT IN (SELECT user_id FROM cycle_members WHERE cycle_id = ${cycle.id} AND withdrawn_at IS NULL)`,
      ),
    )
    .orderBy(users.sortKey)
    .limit(500)
    .all()
    .map(({ id, name }) => ({ id, name }));
}

/** The coordination enrols someone: one of the people listEnrollable offers. */
export function enrolMember(db: Db, cycle: Cycle, userId: number, by: number): void {
  if (!listEnrollable(db, cycle).some((p) => p.id === userId)) throw new RuleError('cycle.error.notEligible');
  enrol(db, cycle, userId, by);
}

/** The name of the cycle's collective (null for a national cycle), whoever reads the page. */
export function collectiveNameOf(db: Db, cycle: Pick<Cycle, 'collectiveId'>): string | null {
  if (cycle.collectiveId === null) return null;
  return (
    db
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, cycle.collectiveId))
      .get()?.name ?? null
  );
}

/** Collectives offered when opening a cycle. */
export function collectiveChoices(db: Db, user: CurrentUser): Array<{ id: number; name: string }> {
  const scope = cycleCreationScope(user);
  return db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(
      and(
        inArray(organizations.kind, ['cosim', 'fosim']),
        isNull(organizations.archivedAt),
        scope === null ? undefined : scope.length > 0 ? inArray(organizations.id, scope) : sql`0`,
      ),
    )
    .orderBy(organizations.name)
    .all();
}

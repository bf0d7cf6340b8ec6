// Who may do what — the one place. Every rule that depends on a person's roles is a named
// predicate here, over the signed-in person (`CurrentUser`: their roles and collectives, read at
// sign-in, so no predicate queries the database) and the thing they act on. Routes declare the
// same rules (route-rules.ts, made from the role groups below), domain functions call the
// predicates before they write (and throw NotFound outside the person's part of the network,
// Forbidden inside it), and templates receive the booleans these predicates compute: no template
// or route compares a role itself. The database's role enum (db/schema.ts) and the role names of
// the message catalogue are the only other places a role is written.
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Cycle, Organization, OrganizationKind, Role } from '../db/schema.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { CurrentUser } from '../people/users.ts';

// ——— What each role does in the network ———

/** Follows cycles: enrols, signs up for séances, earns certificates. */
export const FOLLOWER = 'member' satisfies Role;
/** FOLLOWER written into SQL as a literal (figures count followers; a literal keeps the query plans). */
export const FOLLOWER_SQL = sql.raw(`'${FOLLOWER}'`);
/** Run their collective's cycles and séances: open cycles, schedule, take the roll call. */
export const RUNNERS = ['trainer', 'coordinator'] as const satisfies readonly Role[];
/** Manages a collective (COSIM/FOSIM): its OSIMs, people, invitations and figures. */
export const MANAGER = 'coordinator' satisfies Role;
/** The national team: everything, everywhere. */
export const NATIONAL = 'admin' satisfies Role;
/** The roles a collective's manager gives; the others only the national team gives. */
const GIVEN_BY_MANAGERS: readonly Role[] = [FOLLOWER, 'trainer'];
/** Widest first: picks a person's home page and the authority order. */
export const ROLES_WIDEST_FIRST: readonly Role[] = [NATIONAL, MANAGER, 'trainer', FOLLOWER];

export function isNational(user: CurrentUser): boolean {
  return user.memberships.some((m) => m.role === NATIONAL);
}

/** The COSIM/FOSIM ids where the person holds one of `roles` (any role when omitted). */
export function collectivesWhere(user: CurrentUser, roles?: readonly Role[]): number[] {
  const ids = new Set<number>();
  for (const m of user.memberships) {
    if (m.collectiveId !== null && (!roles || roles.includes(m.role))) ids.add(m.collectiveId);
  }
  return [...ids];
}

/** The collectives the person holds one of `roles` in, with their names, each once. */
export function namedCollectivesWhere(user: CurrentUser, roles: readonly Role[]) {
  const seen = new Map<number, { id: number; name: string }>();
  for (const m of user.memberships) {
    if (roles.includes(m.role) && m.collectiveId !== null && m.collectiveName !== null)
      seen.set(m.collectiveId, { id: m.collectiveId, name: m.collectiveName });
  }
  return [...seen.values()];
}

/** The collectives the person coordinates (not all of them for the national team: see managementScope). */
export function managedCollectives(user: CurrentUser): number[] {
  return collectivesWhere(user, [MANAGER]);
}

/** The collectives whose cycles the person runs. */
export function runCollectives(user: CurrentUser): number[] {
  return collectivesWhere(user, RUNNERS);
}

/** The collectives whose cycles the person may follow. */
export function followedCollectives(user: CurrentUser): number[] {
  return collectivesWhere(user, [FOLLOWER]);
}

export function isFollower(user: CurrentUser): boolean {
  return user.memberships.some((m) => m.role === FOLLOWER);
}

/** The OSIM memberships of a follower (their association, on their home). */
export function followerOsims(user: CurrentUser) {
  return user.memberships.filter((m) => m.role === FOLLOWER && m.organizationKind === 'osim');
}

/** Manages some part of the network: the directory, invitations, the collective's pages. */
export function managesPeople(user: CurrentUser): boolean {
  return isNational(user) || managedCollectives(user).length > 0;
}

/** The network journal, the outbox, erasing an account on request, revoking a certificate. */
export const mayReadAudit = isNational;
export const mayEraseAccounts = isNational;
export const mayRevokeCertificate = isNational;

// ——— Cycles and séances ———

/** Trainers and coordinators run the cycles of their collective; the national team all of them. */
export function mayManageCycle(user: CurrentUser, cycle: Pick<Cycle, 'collectiveId'>): boolean {
  if (isNational(user)) return true;
  return cycle.collectiveId !== null && runCollectives(user).includes(cycle.collectiveId);
}

/** The collectives the person may open cycles for (null: any, national cycles too). */
export function cycleCreationScope(user: CurrentUser): number[] | null {
  return isNational(user) ? null : runCollectives(user);
}

/** Whether « Ouvrir un cycle » is for this person (GET /cycles/new, POST /cycles, the homes). */
export function mayOpenCycles(user: CurrentUser): boolean {
  const scope = cycleCreationScope(user);
  return scope === null || scope.length > 0;
}

/** A cycle is seen by its managers, the people of its collective, anyone (national cycle), its learners. */
export function maySeeCycle(user: CurrentUser, cycle: Pick<Cycle, 'collectiveId'>, enrolled: () => boolean) {
  if (mayManageCycle(user, cycle)) return true;
  if (cycle.collectiveId === null) return true;
  if (collectivesWhere(user).includes(cycle.collectiveId)) return true;
  return enrolled();
}

/**
 * Why the person may not enrol themself in the cycle, or null. Self-enrolment is for followers
 * of the cycle's collective (any follower for a national cycle): a trainer or a coordinator runs
 * a cycle, they do not follow it.
 */
export function enrolSelfRefusal(
  user: CurrentUser,
  cycle: Pick<Cycle, 'collectiveId' | 'enrolment' | 'archivedAt'>,
): { forbidden: boolean; key: MessageKey } | null {
  const follows =
    cycle.collectiveId === null ? isFollower(user) : followedCollectives(user).includes(cycle.collectiveId);
  if (!follows) return { forbidden: true, key: 'cycle.error.followersOnly' };
  if (cycle.archivedAt) return { forbidden: false, key: 'cycle.error.archived' };
  if (cycle.enrolment !== 'open') return { forbidden: false, key: 'cycle.error.byInvitation' };
  return null;
}

export function mayEnrolSelf(
  user: CurrentUser,
  cycle: Pick<Cycle, 'collectiveId' | 'enrolment' | 'archivedAt'>,
): boolean {
  return enrolSelfRefusal(user, cycle) === null;
}

/** A séance is run (edited, cancelled, its roll call taken, its sheet printed) by its cycle's managers and its facilitator. */
export function mayRunGathering(
  user: CurrentUser,
  cycle: Pick<Cycle, 'collectiveId'>,
  gathering: { facilitatorId: number },
): boolean {
  return mayManageCycle(user, cycle) || gathering.facilitatorId === user.id;
}

/** A certificate is opened by its holder, its cycle's managers and the national team. */
export function maySeeCertificate(
  user: CurrentUser,
  certificate: { userId: number | null },
  cycle: Pick<Cycle, 'collectiveId'>,
): boolean {
  return certificate.userId === user.id || mayManageCycle(user, cycle);
}

// ——— The network tree ———

type Placed = Pick<Organization, 'id' | 'parentId' | 'federationId'>;

/** The organization is one of the person's collectives or one of their OSIMs (national: all). */
export function managesOrganization(user: CurrentUser, organization: Placed): boolean {
  if (isNational(user)) return true;
  const mine = managedCollectives(user);
  return [organization.id, organization.parentId, organization.federationId].some(
    (id) => id !== null && mine.includes(id),
  );
}

/** Outside the national team, an organization is attached only to a collective the person coordinates. */
export function mayAttachTo(user: CurrentUser, collectiveId: number): boolean {
  return isNational(user) || managedCollectives(user).includes(collectiveId);
}

/** Moving an organization from one collective to another, and attaching it anywhere: the national team. */
export const mayMoveOrganizations = isNational;

/** Which kinds of organization the person creates, edits, archives: the national team all, a coordinator OSIMs. */
export function mayManageKind(user: CurrentUser, kind: OrganizationKind): boolean {
  if (kind === 'forim') return false;
  return isNational(user) || (kind === 'osim' && managedCollectives(user).length > 0);
}

// ——— Roles, invitations, accounts ———

/** The roles the person gives somewhere (the national team all, a coordinator member and trainer). */
export function grantableRoles(user: CurrentUser): Role[] {
  if (isNational(user)) return [FOLLOWER, 'trainer', MANAGER, NATIONAL];
  return managedCollectives(user).length > 0 ? [...GIVEN_BY_MANAGERS] : [];
}

/**
 * Whether the person may give (invite to, resend, withdraw) `role` on `organization`: inside their
 * part of the network, and a role that is theirs to give. Whether the role fits the organization's
 * kind is a rule of the network, not of the person (people/roles.ts).
 */
export function mayGrantRole(user: CurrentUser, role: Role, organization: Placed): boolean {
  return managesOrganization(user, organization) && grantableRoles(user).includes(role);
}

/** The authority a person acts with on an account: the national team's, a collective's, or none. */
export type Authority = 'national' | 'collective';
const authorityRank: Record<Authority, number> = { collective: 1, national: 2 };

export function authorityOf(user: CurrentUser): Authority | null {
  if (isNational(user)) return 'national';
  return managedCollectives(user).length > 0 ? 'collective' : null;
}

/**
 * Whether the person may disable this account (already known to be in their part of the network):
 * never their own; a coordinator only people holding roles a coordinator gives.
 */
export function mayDisableAccount(
  user: CurrentUser,
  account: { id: number; roles: readonly Role[] },
): boolean {
  if (account.id === user.id) return false;
  if (isNational(user)) return true;
  return authorityOf(user) !== null && account.roles.every((r) => GIVEN_BY_MANAGERS.includes(r));
}

/**
 * Whether the person may re-enable this account: someone of at least the authority that disabled
 * it. An account disabled with no recorded authority (before it was recorded, or on erasure) is
 * the national team's to re-enable.
 */
export function mayReEnable(
  user: CurrentUser,
  account: { id: number; roles: readonly Role[]; disabledAuthority: Authority | null },
): boolean {
  const mine = authorityOf(user);
  if (mine === null || !mayDisableAccount(user, account)) return false;
  return authorityRank[mine] >= authorityRank[account.disabledAuthority ?? 'national'];
}

/**
 * Who may lead a séance of a cycle, as an SQL condition on a membership's role and organization:
 * the national team and the runners of the cycle's collective; for a national cycle, the national
 * team and any trainer. (The cycle's learners may lead one too: a peer exchange.)
 */
export function seanceLeaderSql(
  role: SQLWrapper,
  organizationId: SQLWrapper,
  collectiveId: number | null,
): SQL {
  if (collectiveId === null) return sql`${role} IN (${NATIONAL}, ${'trainer' satisfies Role})`;
  return sql`(${role} = ${NATIONAL} OR (${role} IN (${sql.join(
    RUNNERS.map((r) => sql`${r}`),
    sql`, `,
  )}) AND ${organizationId} = ${collectiveId}))`;
}

// ——— Projects (« Mon projet ») ———

/** What the rules of a project look at: its authors, its OSIM's place, the cycle it is shared with. */
export interface ProjectFacts {
  authorIds: readonly number[];
  osim: Pick<Organization, 'id' | 'parentId' | 'federationId'>;
  /** The cycle it is shared with; null while its authors keep it to themselves. */
  cycle: Pick<Cycle, 'collectiveId'> | null;
  sharedWithNational: boolean;
}

/**
 * How a person stands to a project: its authors write it; once shared with a cycle, the cycle's
 * learners and trainers review it (comment, rubric); the coordinators of its OSIM's collective read
 * it, and the national team reads it only when the authors share it with them (or with a national
 * cycle, which the national team runs). Anyone else: null (the project does not exist for them).
 */
export type ProjectRelation = 'author' | 'reviewer' | 'reader';

export function projectRelation(
  user: CurrentUser,
  project: ProjectFacts,
  enrolledInCycle: () => boolean,
): ProjectRelation | null {
  // An author who left the OSIM is an author no more (they may still read it another way).
  if (project.authorIds.includes(user.id) && mayStartProjectFor(user, project.osim.id)) return 'author';
  if (project.cycle && (trainsCycle(user, project.cycle) || enrolledInCycle())) return 'reviewer';
  const mine = managedCollectives(user);
  if (mine.some((id) => id === project.osim.parentId || id === project.osim.federationId)) return 'reader';
  if (project.sharedWithNational && isNational(user)) return 'reader';
  return null;
}

/** The trainers of the cycle's collective (for a national cycle, the national team). */
export function trainsCycle(user: CurrentUser, cycle: Pick<Cycle, 'collectiveId'>): boolean {
  if (cycle.collectiveId === null) return isNational(user);
  return collectivesWhere(user, ['trainer']).includes(cycle.collectiveId);
}

/** Starting a project: a member of an OSIM (for that OSIM). */
export function mayStartProjectFor(user: CurrentUser, osimId: number): boolean {
  return followerOsims(user).some((m) => m.organizationId === osimId);
}

export function mayStartProjects(user: CurrentUser): boolean {
  return followerOsims(user).length > 0;
}

/** Only its authors change a project: its sections, its co-authors, its sharing. */
export function mayEditProject(relation: ProjectRelation | null): boolean {
  return relation === 'author';
}

/** Comments are written once the project is shared, by its reviewers and (answering) its authors. */
export function mayCommentProject(relation: ProjectRelation | null, project: Pick<ProjectFacts, 'cycle'>) {
  return project.cycle !== null && (relation === 'reviewer' || relation === 'author');
}

/** The rubric is filled by reviewers, never by the authors of the project. */
export function mayReviewProject(relation: ProjectRelation | null, project: Pick<ProjectFacts, 'cycle'>) {
  return project.cycle !== null && relation === 'reviewer';
}

/** « Prêt à déposer » is said by a trainer of the cycle the project is shared with. */
export function mayMarkProjectReady(user: CurrentUser, project: Pick<ProjectFacts, 'cycle' | 'authorIds'>) {
  return project.cycle !== null && !project.authorIds.includes(user.id) && trainsCycle(user, project.cycle);
}

// ——— The public showcase ———

/** Publishing a fiche on the showcase (or taking it off): the national team, or a coordinator of the fiche's collective. */
export function mayPublishExperience(user: CurrentUser, collectiveId: number | null): boolean {
  return isNational(user) || (collectiveId !== null && managedCollectives(user).includes(collectiveId));
}

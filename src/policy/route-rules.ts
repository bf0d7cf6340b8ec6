// What each route declares (`config: { access: rules.x }`): who reaches it and, per role, how far
// it reaches for them. The gate (plugins/access.ts) lets through the roles a rule names and
// refuses the others (403; 401 without a session); what a person then sees or changes is decided
// by the predicates of policy.ts, with the same role groups. The README's table is made from these
// declarations (test/access-matrix.ts).
import type { Role } from '../db/schema.ts';
import { FOLLOWER, MANAGER, NATIONAL, RUNNERS } from './policy.ts';

/** How far a route reaches for a role, said in words in the README's table. */
export type Reach = 'all' | 'self' | 'led' | 'shared' | 'collective' | 'network';

export const reachWords: Record<Reach, string> = {
  all: 'oui',
  self: 'soi-même',
  led: 'les séances qu’il·elle anime',
  shared: 'les projets qu’il·elle écrit ou relit',
  collective: 'son collectif',
  network: 'tout le réseau',
};

export interface RouteRule {
  /** Anyone signed in, with a role or none, reaches it this far. */
  signedIn?: Reach;
  /** These roles reach it this far; any other signed-in person is refused (403). */
  roles?: Partial<Record<Role, Reach>>;
}

/** 'public': anyone, signed in or not. */
export type Access = 'public' | RouteRule;

function forRoles(roles: readonly Role[], reach: Reach): Partial<Record<Role, Reach>> {
  return Object.fromEntries(roles.map((r) => [r, reach]));
}

/** The national team reaches everything. */
const national = { [NATIONAL]: 'network' } as const;

export const rules = {
  /** Anyone, signed in or not: sign-in, links from emails, verification, the privacy notice. */
  public: 'public',
  /** The same for every signed-in person: the training content, one's home. */
  signedIn: { signedIn: 'all' },
  /** One's own data: profile, « Mes données », calendar, own progress and certificates. */
  own: { signedIn: 'self' },
  /** A cycle and its séances, fiches, sign-ups: its collective's people, its learners, the national team. */
  cycleReaders: { roles: { ...forRoles([FOLLOWER, ...RUNNERS], 'collective'), ...national } },
  /** A certificate: its holder, its cycle's runners, the national team. */
  certificateReaders: { signedIn: 'self', roles: { ...forRoles(RUNNERS, 'collective'), ...national } },
  /** Enrolling oneself in a cycle: its collective's followers. */
  cycleFollowers: { roles: { [FOLLOWER]: 'collective' } },
  /** Opening and running cycles (séances, rules, certificates, learners): their collective's runners. */
  cycleRunners: { roles: { ...forRoles(RUNNERS, 'collective'), ...national } },
  /** Running a séance (edit, cancel, roll call, sheet, compte-rendu): its cycle's runners and its facilitator. */
  seanceRunners: { roles: { [FOLLOWER]: 'led', ...forRoles(RUNNERS, 'collective'), ...national } },
  /** A collective's OSIMs, people, invitations and figures: its coordinators and the national team. */
  managers: { roles: { [MANAGER]: 'collective', ...national } },
  /** « Mon projet »: its authors, its cycle's learners and trainers once shared, its collective's coordinators, the national team when shared with it. */
  projectReaders: {
    roles: { [FOLLOWER]: 'shared', trainer: 'shared', [MANAGER]: 'collective', [NATIONAL]: 'shared' },
  },
  /** Starting and writing a project: the members of an OSIM. */
  projectAuthors: { roles: { [FOLLOWER]: 'self' } },
  /** Comments and the rubric: the cycle's learners and trainers once shared (authors answer). */
  projectReviewers: { roles: { [FOLLOWER]: 'shared', trainer: 'shared', [NATIONAL]: 'shared' } },
  /** « Prêt à déposer »: the trainers of the cycle it is shared with. */
  projectTrainers: { roles: { trainer: 'shared', [NATIONAL]: 'shared' } },
  /** A fiche's publication: its author asks or withdraws; its collective's coordinators and the national team publish or withdraw. */
  fichePublication: { signedIn: 'self', roles: { [MANAGER]: 'collective', ...national } },
  /** The national team only: journal, outbox, erasure on request, revoking a certificate. */
  national: { roles: national },
} as const satisfies Record<string, Access>;

export function isValidAccess(access: unknown): access is Access {
  if (access === 'public') return true;
  if (typeof access !== 'object' || access === null) return false;
  const { signedIn, roles } = access as RouteRule;
  return signedIn !== undefined || (roles !== undefined && Object.keys(roles).length > 0);
}

/** What a route is for `who`: reached this far, or not at all (null). */
export function reachOf(access: Access, who: Role | 'anonymous'): Reach | null {
  if (access === 'public') return 'all';
  if (who === 'anonymous') return null;
  return access.roles?.[who] ?? access.signedIn ?? null;
}

/** Whether a signed-in person with these memberships passes the route's gate. */
export function passesGate(access: RouteRule, memberships: ReadonlyArray<{ role: Role }>): boolean {
  if (access.signedIn) return true;
  return memberships.some((m) => access.roles?.[m.role] !== undefined);
}

// What each role's home page shows: the work waiting for the person, then the figures of their
// part of the network. Queries live in seances.ts, follow-up.ts and organizations/network.ts.

import { ROLL_CALL_WINDOWS } from '../attendance/roll-call-rules.ts';
import { liveCertificatesBrief } from '../certificates/certificates.ts';
import type { Db } from '../db/client.ts';
import { memoByNetworkVersion } from '../db/network-version.ts';
import type { Role } from '../db/schema.ts';
import { pathProgress } from '../learning/progress.ts';
import { formatCalendarDate, formatRange, parisDay, zoneName } from '../lib/time.ts';
import { listCollectiveOsims, listCollectives, networkTotals } from '../organizations/network.ts';
import { managementScope, type Scope } from '../organizations/scope.ts';
import type { CurrentUser } from '../people/users.ts';
import {
  FOLLOWER,
  followerOsims,
  isNational,
  MANAGER,
  mayOpenCycles,
  namedCollectivesWhere,
  RUNNERS,
  runCollectives,
} from '../policy/policy.ts';
import { projectsOfAuthor, projectsToReview } from '../projects/projects.ts';
import { SECTION_KEYS } from '../projects/sections.ts';
import { expiredUnanswered, neverSignedIn, pendingInvitations } from './follow-up.ts';
import { kept } from './kept.ts';
import {
  type MemberSeance,
  memberSeances,
  pastState,
  type RunnerScope,
  type RunnerSeance,
  rollCallOpen,
  runnerCycles,
  runnerSeances,
  sheetToClose,
} from './seances.ts';

/**
 * "jeudi 26 mars 2026, de 18 h 30 à 20 h 30" per séance, kept: the same few séances are on many
 * people's homes, and formatting one costs about 10 µs (more than reading it).
 */
const ranges = new Map<string, string>();
const RANGES_KEPT = 5000;

/** A séance's date and times in its own zone, and the zone's name. */
function when(g: { startsAt: number; endsAt: number; timeZone: string }) {
  const key = `${g.startsAt} ${g.endsAt} ${g.timeZone}`;
  let range = ranges.get(key);
  if (range === undefined) {
    if (ranges.size >= RANGES_KEPT) ranges.clear();
    range = formatRange(new Date(g.startsAt), new Date(g.endsAt), g.timeZone);
    ranges.set(key, range);
  }
  return { when: range, zone: zoneName(g.timeZone) };
}

const dayKeys = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in `zone`, `YYYY-MM-DD` (a plain format: no formatToParts). */
function dayKey(ms: number, zone: string): string {
  let format = dayKeys.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayKeys.set(zone, format);
  }
  return format.format(ms);
}

function isToday(g: { startsAt: number; timeZone: string }, now: Date): boolean {
  return dayKey(g.startsAt, g.timeZone) === dayKey(now.getTime(), g.timeZone);
}

const calendarDays = new Map<string, string>();

/** "6 décembre 2026" for a day in Paris, kept (few days, many pages). */
function dayInWords(ms: number): string {
  const day = parisDay(ms);
  let words = calendarDays.get(day);
  if (words === undefined) {
    if (calendarDays.size >= 1000) calendarDays.clear();
    words = formatCalendarDate(day);
    calendarDays.set(day, words);
  }
  return words;
}

export type SeanceCard = RunnerSeance & {
  when: string;
  zone: string;
  /** The roll call can be taken now (the big button). */
  rollCallOpen: boolean;
  /** Today, but the roll call does not open yet. */
  laterToday: boolean;
};

function seanceCard(g: RunnerSeance, now: Date): SeanceCard {
  const open = rollCallOpen(g, now);
  return { ...g, ...when(g), rollCallOpen: open, laterToday: !open && isToday(g, now) };
}

/**
 * The séances someone who runs them acts on: those of today (roll call open, or later today),
 * the sheets left open after a séance, and the next ones.
 */
function seancesToRun(db: Db, scope: RunnerScope, now: Date, upcomingLimit = 5) {
  // A few more than shown: today's séances are listed apart from the next ones.
  const found = kept(
    db,
    `seances ${scopeKey(scope)}`,
    KEPT_MS,
    () => runnerSeances(db, scope, now, upcomingLimit + 3),
    now.getTime(),
  );
  const upcoming = found.upcoming.map((g) => seanceCard(g, now));
  return {
    /** When the roll call opens, for the séances of later today. */
    opensMinutes: ROLL_CALL_WINDOWS.opensMinutesBefore,
    today: upcoming.filter((g) => g.rollCallOpen || g.laterToday),
    next: upcoming.filter((g) => !g.rollCallOpen && !g.laterToday).slice(0, upcomingLimit),
    toClose: { total: found.toCloseTotal, seances: found.toClose.map((g) => seanceCard(g, now)) },
  };
}

export type SeancesToRun = ReturnType<typeof seancesToRun>;

function runnerScope(user: CurrentUser): RunnerScope {
  if (isNational(user)) return { all: true };
  return { all: false, collectiveIds: runCollectives(user), userId: user.id };
}

/** How long the homes of those who run séances keep what they read while nothing changes (kept.ts). */
const KEPT_MS = 30_000;

/** A scope as a cache key: everything, or these collectives (and this person's own séances). */
function scopeKey(scope: RunnerScope | Scope): string {
  if (scope.all) return 'all';
  return 'userId' in scope
    ? `${scope.collectiveIds.join(',')} ${scope.userId}`
    : scope.collectiveIds.join(',');
}

/** The three next séances and the three last ones are on the member's home. */
const MEMBER_SHOWN = 3;

/**
 * What the member's home says of one of their séances: named field by field (a copy of the whole
 * row with its nineteen columns cost more than reading it).
 */
function memberCard(g: MemberSeance) {
  const { when: range, zone } = when(g);
  return {
    id: g.id,
    title: g.title,
    mode: g.mode,
    placeName: g.placeName,
    town: g.town,
    cancelledAt: g.cancelledAt,
    signup: g.signup,
    position: g.position,
    when: range,
    zone,
  };
}

export function memberHome(db: Db, user: CurrentUser, now = new Date()) {
  const osims = followerOsims(user);
  const { mine, led } = memberSeances(db, user.id, now);
  const t = now.getTime();
  const ledCards = led.map((g) => seanceCard(g, now));
  return {
    osims,
    collectives: namedCollectivesWhere(user, [FOLLOWER]),
    learning: pathProgress(db, user.id),
    seances: mine
      .filter((g) => g.endsAt > t && g.signup !== null)
      .slice(0, MEMBER_SHOWN)
      .map((g) => memberCard(g)),
    past: mine
      .filter((g) => g.endsAt <= t)
      .slice(-MEMBER_SHOWN)
      .reverse()
      .map((g) => ({ ...memberCard(g), state: pastState(g) })),
    /** Peer-exchange séances the member leads: the roll call is theirs. */
    led: {
      open: ledCards.filter((g) => g.rollCallOpen),
      toClose: ledCards.filter((g) => sheetToClose(g, now)),
    },
    certificates: liveCertificatesBrief(db, user.id),
    projects: osims.length > 0 ? projectsOfAuthor(db, user.id) : null,
    sectionCount: SECTION_KEYS.length,
  };
}

function collectiveFigures(db: Db, user: CurrentUser, roles: readonly Role[]) {
  return namedCollectivesWhere(user, roles).map((collective) => {
    const osims = kept(db, `osims ${collective.id}`, KEPT_MS, () => listCollectiveOsims(db, collective.id));
    return { collective, osims, peopleCount: osims.reduce((n, o) => n + o.peopleCount, 0) };
  });
}

export function trainerHome(db: Db, user: CurrentUser, now = new Date()) {
  const collectiveIds = runCollectives(user);
  const today = parisDay(now.getTime());
  const found = kept(
    db,
    `cycles ${collectiveIds.join(',')} ${user.id} ${today}`,
    KEPT_MS,
    () => runnerCycles(db, { collectiveIds, userId: user.id }, now, today),
    now.getTime(),
  );
  const cycles = found.map((c) => ({
    ...c,
    next:
      c.nextStartsAt === null
        ? null
        : when({ startsAt: c.nextStartsAt, endsAt: c.nextEndsAt!, timeZone: c.nextTimeZone! }),
  }));
  return {
    seances: seancesToRun(db, runnerScope(user), now),
    cycles,
    // The same rule as GET /cycles/new and POST /cycles.
    canOpenCycle: mayOpenCycles(user),
    collectives: collectiveFigures(db, user, RUNNERS),
    projects: projectsToReview(db, user),
    sectionCount: SECTION_KEYS.length,
  };
}

/** Invitations waiting for an answer, each with the day it was (last) sent. */
function pending(db: Db, user: CurrentUser, now: Date) {
  const scope = managementScope(user);
  const found = kept(
    db,
    `pending ${scopeKey(scope)}`,
    KEPT_MS,
    () => pendingInvitations(db, scope, now),
    now.getTime(),
  );
  return {
    total: found.total,
    recent: found.recent.map((i) => ({ ...i, sentOn: dayInWords(i.sentAt) })),
  };
}

export function coordinatorHome(db: Db, user: CurrentUser, now = new Date()) {
  const scope = managementScope(user);
  return {
    invitations: {
      ...pending(db, user, now),
      expiredUnanswered: kept(
        db,
        `expired ${scopeKey(scope)}`,
        KEPT_MS,
        () => expiredUnanswered(db, scope, now),
        now.getTime(),
      ),
    },
    neverSignedIn: kept(
      db,
      `never ${scopeKey(scope)}`,
      KEPT_MS,
      () => neverSignedIn(db, scope),
      now.getTime(),
    ),
    seances: seancesToRun(db, runnerScope(user), now),
    collectives: collectiveFigures(db, user, [MANAGER]),
  };
}

const networkHomes = new WeakMap<Db, () => ReturnType<typeof computeNetwork>>();

function computeNetwork(db: Db) {
  return { collectives: listCollectives(db), totals: networkTotals(db) };
}

/** The network's counts, recomputed only when people, roles or organizations change. */
function network(db: Db) {
  let cached = networkHomes.get(db);
  if (!cached) {
    cached = memoByNetworkVersion(db, () => computeNetwork(db));
    networkHomes.set(db, cached);
  }
  return cached();
}

export function adminHome(db: Db, user: CurrentUser, now = new Date()) {
  const seances = seancesToRun(db, { all: true }, now);
  return {
    ...network(db),
    invitations: pending(db, user, now),
    toClose: seances.toClose,
    next: [...seances.today, ...seances.next].slice(0, 5),
  };
}

// What each role's home page shows, gathered from the network tree.
import type { Db } from '../db/client.ts';
import {
  collectiveOf,
  listCollectiveOsims,
  listCollectives,
  networkTotals,
} from '../organizations/network.ts';
import type { CurrentUser } from '../people/users.ts';

function collectivesOfRole(db: Db, user: CurrentUser, role: 'trainer' | 'coordinator' | 'member') {
  const seen = new Map<number, NonNullable<ReturnType<typeof collectiveOf>>>();
  for (const m of user.memberships) {
    if (m.role !== role) continue;
    const collective = collectiveOf(db, m.organizationId);
    if (collective) seen.set(collective.id, collective);
  }
  return [...seen.values()];
}

export function memberHome(db: Db, user: CurrentUser) {
  const osims = user.memberships.filter((m) => m.role === 'member' && m.organizationKind === 'osim');
  return { osims, collectives: collectivesOfRole(db, user, 'member') };
}

export function collectiveHome(db: Db, user: CurrentUser, role: 'trainer' | 'coordinator') {
  return collectivesOfRole(db, user, role).map((collective) => {
    const osims = listCollectiveOsims(db, collective.id);
    return { collective, osims, peopleCount: osims.reduce((n, o) => n + o.peopleCount, 0) };
  });
}

export function adminHome(db: Db) {
  return { collectives: listCollectives(db), totals: networkTotals(db) };
}

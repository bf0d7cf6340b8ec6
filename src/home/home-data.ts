// What each role's home page shows, gathered from the network tree.

import { liveCertificatesBrief } from '../certificates/certificates.ts';
import type { Db } from '../db/client.ts';
import { memoByNetworkVersion } from '../db/network-version.ts';
import type { Role } from '../db/schema.ts';
import { upcomingSignups } from '../gatherings/signups.ts';
import { pathProgress } from '../learning/progress.ts';
import { formatRange, zoneName } from '../lib/time.ts';
import { listCollectiveOsims, listCollectives, networkTotals } from '../organizations/network.ts';
import type { CurrentUser } from '../people/users.ts';

/** The collectives (COSIM/FOSIM) where the person holds `role`, each once. */
function collectivesOfRole(user: CurrentUser, role: Role) {
  const seen = new Map<number, { id: number; name: string }>();
  for (const m of user.memberships) {
    if (m.role === role && m.collectiveId !== null && m.collectiveName !== null) {
      seen.set(m.collectiveId, { id: m.collectiveId, name: m.collectiveName });
    }
  }
  return [...seen.values()];
}

export function memberHome(db: Db, user: CurrentUser) {
  const osims = user.memberships.filter((m) => m.role === 'member' && m.organizationKind === 'osim');
  const now = new Date();
  const seances = upcomingSignups(db, user.id, now).map((g) => ({
    ...g,
    when: formatRange(new Date(g.startsAt), new Date(g.endsAt), g.timeZone),
    zone: zoneName(g.timeZone),
  }));
  return {
    osims,
    collectives: collectivesOfRole(user, 'member'),
    learning: pathProgress(db, user.id),
    seances,
    certificates: liveCertificatesBrief(db, user.id),
  };
}

export function collectiveHome(db: Db, user: CurrentUser, role: 'trainer' | 'coordinator') {
  return collectivesOfRole(user, role).map((collective) => {
    const osims = listCollectiveOsims(db, collective.id);
    return { collective, osims, peopleCount: osims.reduce((n, o) => n + o.peopleCount, 0) };
  });
}

const adminHomes = new WeakMap<Db, () => ReturnType<typeof computeAdminHome>>();

function computeAdminHome(db: Db) {
  return { collectives: listCollectives(db), totals: networkTotals(db) };
}

/** The network's counts, recomputed only when people, roles or organizations change. */
export function adminHome(db: Db) {
  let cached = adminHomes.get(db);
  if (!cached) {
    cached = memoByNetworkVersion(db, () => computeAdminHome(db));
    adminHomes.set(db, cached);
  }
  return cached();
}

// The national network's cycles: per collective in proportion to its members, dated from 18
// months ago to 6 months ahead, each with certificate rules drawn from a few variants; then who
// enrols in which (and when their account was created), and the cycles and enrolments written.
import { DateTime } from 'luxon';
import type { CertificateRules } from '../db/schema.ts';
import { allocate } from './national-dice.ts';
import type { Network } from './national-network.ts';
import { type CyclePlan, DAY, HOUR, type Member, MINUTE, type Run } from './national-run.ts';
import { cosimSeeds } from './national-words.ts';

export function planCycles(run: Run, network: Network, members: Member[]): CyclePlan[] {
  const { dice, now, content, sizes } = run;
  const { collectives, osims } = network;
  // ——— Cycles: per collective, in proportion to its members; dates from −18 to +6 months ———
  const membersOf = collectives.map(() => 0);
  for (const m of members) {
    const osim = osims[m.osim]!;
    membersOf[osim.cosim]!++;
    if (osim.fosim >= 0) membersOf[osim.fosim]!++;
  }
  const fosimCycles = sizes.cycles >= 10 ? Math.round(sizes.cycles * 0.1) : 0;
  const cycleCounts = [
    ...allocate(sizes.cycles - fosimCycles, membersOf.slice(0, cosimSeeds.length)),
    ...allocate(fosimCycles, membersOf.slice(cosimSeeds.length)),
  ];
  const cyclePlans: CyclePlan[] = [];
  const windowStart = now - 548 * DAY;
  const windowEnd = now + 183 * DAY;
  const cycleNames = new Set<string>();
  const ruleVariants: Array<{ weight: number; rules: () => CertificateRules; namesLaunch: boolean }> = [
    {
      weight: 70,
      namesLaunch: false,
      rules: () => ({
        courseIds: content.courses.map((c) => c.id),
        passMark: null,
        minGatherings: 2,
        gatheringIds: [],
      }),
    },
    {
      weight: 12,
      namesLaunch: false,
      rules: () => ({
        courseIds: content.courses.map((c) => c.id),
        passMark: null,
        minGatherings: 3,
        gatheringIds: [],
      }),
    },
    {
      weight: 12,
      namesLaunch: false,
      rules: () => ({
        courseIds: content.courses.slice(0, 2).map((c) => c.id),
        passMark: null,
        minGatherings: 1,
        gatheringIds: [],
      }),
    },
    {
      weight: 6,
      namesLaunch: true,
      rules: () => ({
        courseIds: content.courses.map((c) => c.id),
        passMark: 80,
        minGatherings: 2,
        gatheringIds: [],
      }),
    },
  ];
  const pickRules = dice.weighted(ruleVariants.map((v) => v.weight));
  cycleCounts.forEach((k, ci) => {
    const c = collectives[ci]!;
    const today = DateTime.fromMillis(now, { zone: c.zone }).startOf('day');
    for (let j = 0; j < k; j++) {
      const length = Math.round(dice.between(120, 240));
      const latest = windowEnd - length * DAY;
      const start = windowStart + ((j + dice.between(0.1, 0.9)) * (latest - windowStart)) / k;
      const first = today.plus({ days: Math.round((start - now) / DAY) });
      const last = first.plus({ days: length });
      let name = `Cycle ${first.setLocale('fr').toFormat('LLLL yyyy')} — ${c.name}`;
      if (cycleNames.has(name)) name = `${name} (bis)`;
      cycleNames.add(name);
      const startsAt = first.toMillis();
      const endsAt = last.endOf('day').toMillis();
      const createdAt = Math.min(startsAt - dice.between(15, 60) * DAY, now - dice.between(1, 48) * HOUR);
      const variant = ruleVariants[pickRules()]!;
      const archivedAt =
        endsAt < now - 120 * DAY && dice.chance(0.5)
          ? Math.min(now - HOUR, endsAt + dice.between(60, 120) * DAY)
          : 0;
      c.cycles.push(cyclePlans.length);
      cyclePlans.push({
        id: 0,
        name,
        collective: ci,
        startsOn: first.toISODate()!,
        endsOn: last.toISODate()!,
        startsAt,
        endsAt,
        createdAt,
        createdBy: dice.chance(0.6) ? dice.pick(c.coordinators) : dice.pick(c.trainers),
        enrolment: dice.chance(0.75) ? 'open' : 'invitation',
        rules: variant.rules(),
        namesLaunch: variant.namesLaunch,
        archivedAt,
        trainer: dice.pick(c.trainers),
        members: [],
        gatherings: [],
      });
    }
  });
  return cyclePlans;
}

/** Decides each member's cycle, enrolment and withdrawal, and when their account was created. */
export function planEnrolments(run: Run, network: Network, members: Member[], cyclePlans: CyclePlan[]): void {
  const { dice, now, platformStart } = run;
  const { collectives, osims } = network;
  // ——— Enrolments and accounts' dates ———
  members.forEach((m, i) => {
    const osim = osims[m.osim]!;
    const own = collectives[osim.cosim]!.cycles;
    const federation = osim.fosim >= 0 ? collectives[osim.fosim]!.cycles : [];
    const choices = federation.length > 0 && dice.chance(0.3) ? federation : own;
    if (choices.length > 0 && dice.chance(0.9)) {
      const pickCycle = dice.weighted(choices.map((c) => (cyclePlans[c]!.startsAt > now ? 0.6 : 1)));
      const ci = choices[pickCycle()]!;
      const cycle = cyclePlans[ci]!;
      const lo = Math.min(cycle.createdAt + HOUR, now - 2 * MINUTE);
      const hi = Math.max(lo, Math.min(now - MINUTE, cycle.startsAt + 45 * DAY));
      m.cycle = ci;
      m.enrolledAt = Math.round(dice.between(lo, hi));
      m.selfEnrolled = cycle.enrolment === 'open' && dice.chance(0.8);
      const withdrawFrom = m.enrolledAt + 3 * DAY;
      const withdrawTo = Math.min(now - MINUTE, cycle.endsAt);
      if (withdrawTo > withdrawFrom && dice.chance(0.05))
        m.withdrawnAt = Math.round(dice.between(withdrawFrom, withdrawTo));
      m.createdAt = Math.round(
        Math.max(platformStart + 15 * DAY, m.enrolledAt - dice.between(10 * MINUTE, 45 * DAY)),
      );
      if (m.createdAt > m.enrolledAt) m.createdAt = m.enrolledAt;
      cycle.members.push(i);
    } else {
      m.createdAt = Math.round(dice.between(platformStart + 15 * DAY, now - HOUR));
    }
  });
}

export function writeCycles(run: Run, network: Network, members: Member[], cyclePlans: CyclePlan[]): void {
  const { dice, content, counts, step } = run;
  const { insertCycle, insertCycleMember } = run.statements;
  const { collectives } = network;
  for (const c of cyclePlans) {
    c.id = Number(
      insertCycle.run(
        c.name,
        collectives[c.collective]!.id,
        content.path!.id,
        c.startsOn,
        c.endsOn,
        c.enrolment,
        JSON.stringify(c.rules),
        c.createdBy,
        c.createdAt,
        c.archivedAt || null,
      ).lastInsertRowid,
    );
  }
  counts.cycles = cyclePlans.length;
  for (const c of cyclePlans) {
    const collective = collectives[c.collective]!;
    for (const i of c.members) {
      const m = members[i]!;
      const by = m.selfEnrolled ? m.userId : dice.pick([...collective.coordinators, ...collective.trainers]);
      insertCycleMember.run(c.id, m.userId, m.enrolledAt, by, m.withdrawnAt || null);
      counts.cycleMembers++;
    }
  }
  step('cycles et inscriptions aux cycles', counts.cycles + counts.cycleMembers);
}

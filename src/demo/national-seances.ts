// The national network's séances: ~15 per cycle, spread over it in the collective's zone, with
// sign-ups (seats in arrival order, then a waiting list moved up on each cancellation) and the
// roll call of those held (walk-ins, sheets closed after the séance, a compte-rendu) — then the
// séances, sign-ups and roll calls written, and the cycles that name their launch séance updated.
import { DateTime } from 'luxon';
import type { CatalogCourse } from '../learning/catalog.ts';
import { allocate, ofTown, slug, URL_SAFE } from './national-dice.ts';
import type { Network } from './national-network.ts';
import {
  type AttendanceRow,
  type CyclePlan,
  DAY,
  type GatheringPlan,
  HOUR,
  type Member,
  MINUTE,
  type Run,
  type Signup,
} from './national-run.ts';
import { cancelReasons, courseThemes, peerExchanges, places, streets, summaries } from './national-words.ts';

export interface Seances {
  gatherings: GatheringPlan[];
  signups: Signup[];
  roll: AttendanceRow[];
}

export function planSeances(run: Run, network: Network, members: Member[], cyclePlans: CyclePlan[]): Seances {
  const { dice, now, content, sizes, person, randomGroup } = run;
  const { collectives, osims } = network;
  // ——— Séances: ~15 per cycle, spread over it, in the collective's zone ———
  const gatherings: GatheringPlan[] = [];
  const signups: Signup[] = [];
  const roll: AttendanceRow[] = [];
  const uids = new Set<string>();
  const perCycle = allocate(
    Math.max(sizes.gatherings, cyclePlans.length),
    cyclePlans.map(() => dice.between(0.8, 1.2)),
  );
  cyclePlans.forEach((cycle, ci) => {
    const collective = collectives[cycle.collective]!;
    const zone = collective.zone;
    const n = Math.max(1, perCycle[ci]!);
    const first = DateTime.fromISO(cycle.startsOn, { zone });
    const lastDay = DateTime.fromISO(cycle.endsOn, { zone });
    const span = Math.max(1, lastDay.diff(first, 'days').days);
    const used = new Set<string>();
    for (let j = 0; j < n; j++) {
      let day = first.plus({ days: Math.round(((j + dice.between(0.15, 0.85)) * span) / n) });
      const mode = j === 0 ? 'in_person' : dice.pick(['in_person', 'in_person', 'hybrid', 'online'] as const);
      let time: string;
      let minutes: number;
      if (mode === 'online' && dice.chance(0.4)) {
        time = '12:30';
        minutes = 60;
      } else if (mode !== 'online' && dice.chance(0.35)) {
        const morning = dice.chance(0.5);
        time = morning ? '10:00' : '14:00';
        minutes = morning ? 180 : 150;
        day = day.plus({ days: day.weekday === 7 ? -1 : 6 - day.weekday });
      } else {
        time = dice.pick(['18:00', '18:30']);
        minutes = mode === 'online' ? 90 : 120;
        if (day.weekday === 6) day = day.minus({ days: 1 });
        if (day.weekday === 7) day = day.plus({ days: 1 });
      }
      if (day > lastDay) day = day.minus({ days: 7 });
      if (day < first) day = day.plus({ days: 7 });
      const [hour, minute] = time.split(':').map(Number) as [number, number];
      const startsAt = day.set({ hour, minute }).toMillis();
      const endsAt = startsAt + minutes * MINUTE;
      // What it is about: the launch, the courses in path order, peer exchanges, the review.
      let title: string;
      let courseId: string | null = null;
      let theme = '';
      if (j === 0) {
        title = 'Lancement du cycle';
        theme = 'Se présenter, dire ce qu’on attend du cycle';
      } else if (j === n - 1 && n > 2) {
        title = 'Bilan du cycle';
        theme = 'Ce que le cycle a changé pour nos associations';
      } else if (dice.chance(0.2)) {
        const exchange = dice.pick(peerExchanges);
        title = exchange.title;
        theme = exchange.theme;
      } else {
        const ci2 = Math.min(content.courses.length - 1, Math.floor((j / n) * content.courses.length));
        const course: CatalogCourse = content.courses[ci2]!;
        const themes = courseThemes[ci2] ?? [course.title];
        title = themes[(j + ci) % themes.length]!;
        courseId = course.id;
      }
      if (used.has(title)) title = `${title} (suite)`;
      used.add(title);
      const town = dice.pick(collective.towns);
      const inPlace = mode !== 'online';
      const placeInQpv = inPlace && dice.chance(0.6);
      const capacity = mode === 'online' ? dice.int(15, 30) : dice.int(10, 25);
      const lo = cycle.createdAt + Math.min(HOUR, (now - cycle.createdAt) / 2);
      const createdAt = Math.round(
        Math.max(lo, Math.min(startsAt - dice.between(10, 45) * DAY, now - dice.between(0.5, 20) * DAY)),
      );
      let cancelledAt = 0;
      let cancelReason: string | null = null;
      if (j > 0 && dice.chance(0.03)) {
        cancelledAt = Math.round(startsAt - dice.between(1 / 24, 10) * DAY);
        if (cancelledAt > now || cancelledAt <= createdAt)
          cancelledAt = Math.round(
            dice.between(createdAt, Math.min(now, Math.max(createdAt, startsAt - MINUTE))),
          );
        cancelReason = dice.pick(cancelReasons);
      }
      let uid: string;
      do uid = `seance-${dice.chars(URL_SAFE, 12)}@passerelle.forim.net`;
      while (uids.has(uid));
      uids.add(uid);
      const g: GatheringPlan = {
        id: 0,
        uid,
        cycle: ci,
        title,
        courseId,
        theme,
        facilitator: dice.chance(0.75)
          ? cycle.trainer
          : dice.pick([...collective.trainers, ...collective.coordinators]),
        startsAt,
        endsAt,
        zone,
        mode,
        placeName: inPlace ? `${dice.pick(places)} ${ofTown(town)}` : '',
        address: inPlace ? `${dice.int(1, 120)} ${dice.pick(streets)}` : '',
        town: inPlace ? town : '',
        placeInQpv,
        videoUrl:
          mode === 'in_person'
            ? ''
            : `https://meet.jit.si/passerelle-${slug(collective.name)}-${dice.chars(URL_SAFE.slice(26, 62), 8)}`,
        capacity,
        agenda: `Tour de table.\n${theme || title}.\nQuestions et suites à donner.`,
        sequence: dice.chance(0.2) ? dice.int(1, 2) : 0,
        cancelledAt,
        cancelReason,
        summary: null,
        summaryAt: 0,
        closedAt: 0,
        createdAt,
        updatedAt: createdAt,
      };
      if (cancelledAt) g.sequence++;
      const gi = gatherings.length;
      gatherings.push(g);
      cycle.gatherings.push(gi);

      // Sign-ups: arrivals weighted by keenness, seats in arrival order, then a waiting list
      // moved up in order when someone cancels (or leaves the cycle).
      const openFrom = Math.max(createdAt, startsAt - 30 * DAY);
      const openTo = Math.min(startsAt, now, cancelledAt || Number.POSITIVE_INFINITY);
      const candidates = cycle.members.filter((mi) => {
        const m = members[mi]!;
        return m.enrolledAt < startsAt - HOUR && (!m.withdrawnAt || m.withdrawnAt > openFrom);
      });
      const demand = Math.min(candidates.length, Math.round(capacity * dice.between(0.5, 1.4)));
      const keyed = candidates
        .map((mi) => ({ mi, key: Math.log(1 - dice.next()) / (0.15 + members[mi]!.engagement) }))
        .sort((a, b) => b.key - a.key || a.mi - b.mi)
        .slice(0, demand);
      const arrivals: Signup[] = [];
      const cancels = new Map<Signup, number>();
      for (const { mi } of keyed) {
        const m = members[mi]!;
        const at = Math.round(
          Math.max(dice.between(openFrom, startsAt - 30 * MINUTE), m.enrolledAt + MINUTE),
        );
        if (at >= openTo || (m.withdrawnAt && at >= m.withdrawnAt)) continue;
        const s: Signup = {
          gathering: gi,
          member: mi,
          createdAt: at,
          status: 'waiting',
          confirmedAt: 0,
          cancelledAt: 0,
        };
        arrivals.push(s);
        if (m.withdrawnAt && m.withdrawnAt < startsAt && m.withdrawnAt <= now) cancels.set(s, m.withdrawnAt);
        else if (dice.chance(0.08)) {
          const until = Math.min(startsAt - MINUTE, now);
          if (until > at) cancels.set(s, Math.round(dice.between(at, until)));
        }
      }
      arrivals.sort((a, b) => a.createdAt - b.createdAt || a.member - b.member);
      const events = [
        ...arrivals.map((s) => ({ at: s.createdAt, s, cancel: false })),
        ...[...cancels].map(([s, at]) => ({ at, s, cancel: true })),
      ].sort((a, b) => a.at - b.at || Number(a.cancel) - Number(b.cancel));
      let seated = 0;
      for (const e of events) {
        if (!e.cancel) {
          if (seated < capacity) {
            e.s.status = 'confirmed';
            e.s.confirmedAt = e.at;
            seated++;
          }
          continue;
        }
        const was = e.s.status;
        e.s.status = 'cancelled';
        e.s.cancelledAt = e.at;
        if (was !== 'confirmed') continue;
        seated--;
        if (cancelledAt && e.at >= cancelledAt) continue;
        const next = arrivals.find((x) => x.status === 'waiting' && x.createdAt <= e.at);
        if (next) {
          next.status = 'confirmed';
          next.confirmedAt = e.at;
          seated++;
        }
      }
      signups.push(...arrivals);

      // Roll call of the séances held: the seated people marked, a few walk-ins; most sheets
      // closed after the séance (whoever is left unmarked then counts as absent).
      if (cancelledAt || endsAt > now) continue;
      const closed = dice.chance(endsAt < now - 2 * DAY ? 0.93 : 0.4);
      const closedAt = closed ? Math.round(Math.min(now, endsAt + dice.between(0, 3) * HOUR)) : 0;
      let presentCount = 0;
      const mark = (member: number, status: AttendanceRow['status'], walkIn: boolean, at: number) => {
        roll.push({
          gathering: gi,
          member,
          guestName: null,
          guestOrganization: null,
          status,
          walkIn,
          markedAt: at,
          markedBy: g.facilitator,
        });
        if (status === 'present') {
          members[member]!.present.push({ gathering: gi, at });
          presentCount++;
        }
      };
      const seatedPeople = arrivals.filter((s) => s.status === 'confirmed');
      const unmarked: number[] = [];
      for (const s of seatedPeople) {
        const r = dice.next();
        const status = r < 0.8 ? 'present' : r < 0.92 ? 'absent' : 'excused';
        const at = Math.round(startsAt + dice.between(0, 25) * MINUTE);
        if ((status === 'absent' && closed && dice.chance(0.5)) || (!closed && dice.chance(0.25)))
          unmarked.push(s.member);
        else mark(s.member, status, false, at);
      }
      const listed = new Set(seatedPeople.map((s) => s.member));
      const walkIns = dice.weighted([45, 30, 15, 10])();
      for (let w = 0; w < walkIns; w++) {
        const at = Math.round(startsAt + dice.between(5, 40) * MINUTE);
        const others = cycle.members.filter((mi) => {
          const m = members[mi]!;
          return !listed.has(mi) && m.enrolledAt < startsAt && (!m.withdrawnAt || m.withdrawnAt > startsAt);
        });
        if (others.length > 0 && dice.chance(0.55)) {
          const mi = dice.pick(others);
          listed.add(mi);
          mark(mi, 'present', true, at);
        } else {
          const guest = person(randomGroup(null), null);
          const from = dice.next();
          presentCount++;
          roll.push({
            gathering: gi,
            member: -1,
            guestName: guest.name,
            guestOrganization:
              from < 0.5
                ? dice.pick(osims).name
                : from < 0.75
                  ? `Mairie ${ofTown(town)} — politique de la ville`
                  : `Centre social ${ofTown(town)}`,
            status: 'present',
            walkIn: true,
            markedAt: at,
            markedBy: g.facilitator,
          });
        }
      }
      if (closed) {
        for (const mi of unmarked) mark(mi, 'absent', false, closedAt);
        g.closedAt = closedAt;
        if (dice.chance(0.7)) {
          g.summary = `${presentCount} personnes présentes.\n\n${dice.pick(summaries)}`;
          g.summaryAt = Math.round(Math.min(now, closedAt + dice.between(1, 72) * HOUR));
        }
      }
      g.updatedAt = Math.max(g.createdAt, g.cancelledAt, g.summaryAt);
    }
  });
  return { gatherings, signups, roll };
}

export function writeSeances(run: Run, cyclePlans: CyclePlan[], gatherings: GatheringPlan[]): void {
  const { counts, step } = run;
  const { insertGathering, updateRules } = run.statements;
  for (const g of gatherings) {
    if (g.cancelledAt) g.updatedAt = Math.max(g.updatedAt, g.cancelledAt);
    const cycle = cyclePlans[g.cycle]!;
    g.id = Number(
      insertGathering.run(
        g.uid,
        cycle.id,
        g.title,
        g.courseId,
        g.theme,
        g.facilitator,
        g.startsAt,
        g.endsAt,
        g.zone,
        g.mode,
        g.placeName,
        g.address,
        g.town,
        g.placeInQpv ? 1 : 0,
        g.videoUrl,
        g.capacity,
        g.agenda,
        g.sequence,
        g.cancelledAt || null,
        g.cancelReason,
        g.summary,
        g.summaryAt || null,
        g.closedAt || null,
        g.closedAt ? g.facilitator : null,
        cycle.createdBy,
        g.createdAt,
        g.updatedAt,
      ).lastInsertRowid,
    );
    if (g.cancelledAt) counts.cancelledGatherings++;
  }
  counts.gatherings = gatherings.length;
  // Cycles that name their launch séance among the rules (when it was not cancelled).
  for (const c of cyclePlans) {
    const launch = gatherings[c.gatherings[0] ?? -1];
    if (!c.namesLaunch || !launch || launch.cancelledAt) continue;
    c.rules.gatheringIds = [launch.id];
    updateRules.run(JSON.stringify(c.rules), c.id);
  }
  step('séances', gatherings.length);
}

export function writeSignups(run: Run, members: Member[], seances: Seances): void {
  const { counts, step } = run;
  const { insertSignup } = run.statements;
  const { gatherings, signups } = seances;
  signups.sort((a, b) => a.createdAt - b.createdAt || a.gathering - b.gathering || a.member - b.member);
  for (const s of signups) {
    insertSignup.run(
      gatherings[s.gathering]!.id,
      members[s.member]!.userId,
      s.status,
      s.createdAt,
      s.confirmedAt || null,
      s.cancelledAt || null,
    );
  }
  counts.signups = signups.length;
  step('inscriptions aux séances', signups.length);
}

export function writeRollCall(run: Run, members: Member[], seances: Seances): void {
  const { counts, step } = run;
  const { insertAttendance } = run.statements;
  const { gatherings, roll } = seances;
  roll.sort((a, b) => a.markedAt - b.markedAt || a.gathering - b.gathering || a.member - b.member);
  for (const a of roll) {
    insertAttendance.run(
      gatherings[a.gathering]!.id,
      a.member >= 0 ? members[a.member]!.userId : null,
      a.guestName,
      a.guestOrganization,
      a.status,
      a.walkIn ? 1 : 0,
      a.markedAt,
      a.markedBy,
    );
  }
  counts.attendance = roll.length;
  step('émargement', roll.length);
}

// The national network's organizations: FORIM, the 15 COSIMs and 30 FOSIMs (reused when a
// collective of that name exists, as in a demo database), and the OSIMs, each in a COSIM and
// a quarter also in a FOSIM, with how many members each will draw (a few big, many small).
import { searchable } from '../lib/text.ts';
import { allocate, ofTown } from './national-dice.ts';
import { type Collective, DAY, type Osim, type Run } from './national-run.ts';
import { cosimSeeds, neighbourhoods, type Origin, origins, osimHeads, osimTails } from './national-words.ts';

export interface Network {
  forimId: number;
  collectives: Collective[];
  osims: Osim[];
  /** Each OSIM's weight when members are spread over them. */
  osimWeights: number[];
}

export function writeOrganizations(run: Run): Network {
  const { dice, counts, sizes, platformStart, step } = run;
  const { findOrg, insertOrg } = run.statements;
  // ——— Organizations ———
  const forimId =
    (findOrg.get('forim', 'FORIM') as { id: number } | undefined)?.id ??
    Number(
      insertOrg.run('forim', 'FORIM', 'National', 'Paris', null, null, 0, null, 'forim', platformStart)
        .lastInsertRowid,
    );
  const collectives: Collective[] = [];
  const addCollective = (
    kind: 'cosim' | 'fosim',
    name: string,
    region: string,
    town: string,
    zone: string,
    towns: string[],
  ) => {
    const existing = findOrg.get(kind, name) as { id: number } | undefined;
    const id =
      existing?.id ??
      Number(
        insertOrg.run(kind, name, region, town, forimId, null, 0, null, searchable(name), platformStart)
          .lastInsertRowid,
      );
    collectives.push({ id, kind, name, zone, towns, coordinators: [], trainers: [], cycles: [] });
    return collectives.length - 1;
  };
  for (const c of cosimSeeds) addCollective('cosim', c.name, c.region, c.towns[0]!, c.zone, c.towns);
  const fosimOf = new Map<Origin, number>();
  for (const o of origins) {
    const seat = o.group === 'ocean' && dice.chance(0.5) ? 'Marseille' : dice.chance(0.8) ? 'Paris' : 'Lyon';
    fosimOf.set(o, addCollective('fosim', `FOSIM ${o.country}`, 'National', seat, 'Europe/Paris', [seat]));
  }
  counts.cosims = cosimSeeds.length;
  counts.fosims = origins.length;

  const pickOrigin = dice.weighted(origins.map((o) => o.weight));
  const osims: Osim[] = [];
  const osimNames = new Set<string>();
  const perCosim = allocate(
    sizes.osims,
    cosimSeeds.map((c) => c.weight),
  );
  const osimWeights: number[] = [];
  perCosim.forEach((n, cosim) => {
    const seed = cosimSeeds[cosim]!;
    const pickTown = dice.weighted(seed.towns.map((_, i) => (i === 0 ? 4 : 1)));
    for (let k = 0; k < n; k++) {
      const town = seed.towns[pickTown()]!;
      const origin = origins[pickOrigin()]!;
      const inFosim = dice.chance(0.25);
      const style = dice.next();
      let name =
        style < 0.3
          ? `Association des ${origin.people} ${ofTown(town)}`
          : style < 0.55
            ? `${dice.pick(osimHeads)} ${origin.country}`
            : style < 0.85
              ? `${dice.pick(osimHeads)} ${dice.pick(osimTails)}`
              : `${dice.chars('ABCDEFGHIJKLMNOPRSTUV', dice.int(3, 5))}`;
      if (osimNames.has(name)) name = `${name} ${town}`;
      for (let n2 = 2; osimNames.has(name); n2++) name = `${name.replace(/ \(\d+\)$/, '')} (${n2})`;
      osimNames.add(name);
      const acts = dice.chance(0.52);
      const qpv = acts && neighbourhoods[town] ? dice.pick(neighbourhoods[town]) : null;
      const fosim = inFosim ? fosimOf.get(origin)! : -1;
      const id = Number(
        insertOrg.run(
          'osim',
          name,
          null,
          town,
          collectives[cosim]!.id,
          fosim >= 0 ? collectives[fosim]!.id : null,
          acts ? 1 : 0,
          qpv,
          searchable(name),
          platformStart + dice.between(0, 10) * DAY,
        ).lastInsertRowid,
      );
      osims.push({ id, name, cosim, fosim, town, origin });
      // Members spread unevenly: a few big associations, many small ones.
      osimWeights.push(Math.exp(dice.normal() * 0.75));
    }
  });
  counts.osims = osims.length;
  step('organisations', osims.length + collectives.length);
  return { forimId, collectives, osims, osimWeights };
}

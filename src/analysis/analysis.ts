// FORIM's analysis of the fiches d'expérience (issue 19), for the national team: what the network
// does, by domain, region and public, with whom it is co-funded, in which QPV, and when. Counted:
// the fiches published on the showcase or shared with the network by their authors — never a
// private one. One statement reads them; the figures are made here in JavaScript (a few thousand
// fiches at most), so each is easy to check against a hand-made set (test/analysis).
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import {
  EXPERIENCE_DOMAINS,
  EXPERIENCE_PUBLICS,
  type ExperienceDomain,
  type ExperiencePublic,
} from '../experiences/fiche-facts.ts';
import { searchable, searchWords } from '../lib/text.ts';
import { parisDay } from '../lib/time.ts';
import { FUNDER_KIND_KEYS, type FunderKind } from '../projects/budget.ts';
import {
  ficheRegion,
  REGION_CODES,
  REGIONS,
  type RegionCode,
  type RegionSource,
} from '../showcase/regions.ts';

/** Which fiches are counted: published or shared with the network (the default), or published only. */
export interface AnalysisFilter {
  publishedOnly: boolean;
}

/** Where a fiche's region comes from: the fiche itself, else its author's OSIM, else its cycle's collective. */

/** A counted fiche, its facts read and checked (an unknown stored value is « not given »). */
export interface CountedFiche {
  id: number;
  title: string;
  what: string;
  objectives: string;
  town: string;
  inQpv: boolean;
  qpvName: string;
  audience: string;
  partners: string;
  cofunding: string;
  results: string;
  difficulties: string;
  advice: string;
  sharedWithNetwork: boolean;
  publication: 'private' | 'requested' | 'published';
  publishedAt: Date | null;
  createdAt: Date;
  domain: ExperienceDomain | null;
  publics: ExperiencePublic[];
  region: RegionCode | null;
  regionSource: RegionSource | null;
  periodStart: string | null;
  periodEnd: string | null;
  cofunders: FunderKind[];
  volunteers: number | null;
  participants: number | null;
  /** The author's OSIM (never the author's name: personal data). */
  osim: string | null;
  cycle: string;
  collective: string | null;
}

interface FicheRow {
  id: number;
  title: string;
  what: string;
  objectives: string;
  town: string;
  inQpv: number;
  qpvName: string;
  audience: string;
  partners: string;
  cofunding: string;
  results: string;
  difficulties: string;
  advice: string;
  shared: number;
  publication: CountedFiche['publication'];
  publishedAt: number | null;
  createdAt: number;
  domain: string | null;
  publics: string | null;
  region: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  cofunders: string | null;
  volunteers: number | null;
  participants: number | null;
  osim: string | null;
  osimRegion: string | null;
  cycle: string;
  collective: string | null;
  collectiveRegion: string | null;
}

export { ficheRegion };

/** The known values of a stored JSON list, in the list's own order (anything else dropped). */
function knownOf<T extends string>(stored: string | null, known: readonly T[]): T[] {
  let values: unknown = [];
  try {
    values = JSON.parse(stored ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(values)) return [];
  return known.filter((k) => values.includes(k));
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const validMonth = (value: string | null) => (value && MONTH.test(value) ? value : null);
const validCount = (value: number | null) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;

function fiche(row: FicheRow): CountedFiche {
  const { region, source } = ficheRegion(row);
  const domain = (EXPERIENCE_DOMAINS as readonly string[]).includes(row.domain ?? '')
    ? (row.domain as ExperienceDomain)
    : null;
  return {
    id: row.id,
    title: row.title,
    what: row.what,
    objectives: row.objectives,
    town: row.town,
    inQpv: row.inQpv === 1,
    qpvName: row.qpvName,
    audience: row.audience,
    partners: row.partners,
    cofunding: row.cofunding,
    results: row.results,
    difficulties: row.difficulties,
    advice: row.advice,
    sharedWithNetwork: row.shared === 1,
    publication: row.publication,
    publishedAt: row.publishedAt === null ? null : new Date(row.publishedAt),
    createdAt: new Date(row.createdAt),
    domain,
    publics: knownOf(row.publics, EXPERIENCE_PUBLICS),
    region,
    regionSource: source,
    periodStart: validMonth(row.periodStart),
    periodEnd: validMonth(row.periodEnd),
    cofunders: knownOf(row.cofunders, FUNDER_KIND_KEYS),
    volunteers: validCount(row.volunteers),
    participants: validCount(row.participants),
    osim: row.osim,
    cycle: row.cycle,
    collective: row.collective,
  };
}

/** Every counted fiche, oldest first: published ones, and (unless published only) those shared with the network. */
export function countedFiches(db: Db, filter: AnalysisFilter): CountedFiche[] {
  const counted = filter.publishedOnly
    ? sql`e.publication = 'published'`
    : sql`(e.publication = 'published' OR e.shared_with_network = 1)`;
  return db
    .all<FicheRow>(sql`
      SELECT e.id, e.title, e.what, e.objectives, e.town, e.in_qpv AS inQpv, e.qpv_name AS qpvName,
        e.audience, e.partners, e.cofunding, e.results, e.difficulties, e.advice,
        e.shared_with_network AS shared, e.publication, e.published_at AS publishedAt,
        e.created_at AS createdAt, e.domain, e.publics, e.region, e.period_start AS periodStart,
        e.period_end AS periodEnd, e.cofunders, e.volunteers, e.participants,
        o.name AS osim, o.region AS osimRegion, c.name AS cycle, k.name AS collective,
        k.region AS collectiveRegion
      FROM experiences e
      JOIN cycles c ON c.id = e.cycle_id
      LEFT JOIN organizations k ON k.id = c.collective_id
      LEFT JOIN organizations o ON o.id = (
        SELECT m.organization_id FROM memberships m JOIN organizations x ON x.id = m.organization_id
        WHERE m.user_id = e.author_id AND x.kind = 'osim' ORDER BY m.id LIMIT 1)
      WHERE ${counted}
      ORDER BY e.created_at, e.id`)
    .map(fiche);
}

export interface Analysis {
  totals: {
    fiches: number;
    published: number;
    /** Shared with the network, not published. */
    sharedOnly: number;
    inQpv: number;
    /** QPV named by in-QPV fiches, each once (names compared without accents nor case). */
    qpvs: number;
    /** Regions with at least one fiche. */
    regions: number;
    /** People who benefited: the participants the fiches give, added up; `participantsFiches` give a number. */
    participants: number;
    participantsFiches: number;
    volunteers: number;
    volunteersFiches: number;
  };
  /** Domains as rows (every domain, then « not given » if any), regions as columns (those with fiches). */
  domainRegion: {
    regions: Array<{ code: RegionCode | null; name: string | null }>;
    rows: Array<{ domain: ExperienceDomain | null; cells: number[]; total: number }>;
    totals: number[];
    total: number;
  };
  /** Every public, in the list's order; a fiche with several publics counts once in each. */
  publics: Array<{ code: ExperiencePublic; fiches: number }>;
  noPublic: number;
  /** Kinds of co-funder cited, most cited first, with the number of fiches citing each. */
  cofunders: Array<{ kind: FunderKind; fiches: number }>;
  noCofunder: number;
  /** In-QPV fiches per QPV, most first; a name as first written. */
  qpvs: Array<{ name: string; towns: string[]; fiches: number }>;
  unnamedQpv: number;
  /** Fiches by year and quarter of the action's start, or of the fiche's writing when it gives no period. */
  timeline: {
    years: Array<{ year: number; quarters: [number, number, number, number]; total: number }>;
    byWriting: number;
  };
}

/** Regions with fiches, metropolitan then overseas (the list's order), « not given » last. */
function regionColumns(fiches: CountedFiche[]): Array<RegionCode | null> {
  const present = new Set(fiches.map((f) => f.region));
  const columns: Array<RegionCode | null> = REGION_CODES.filter((code) => present.has(code));
  if (present.has(null)) columns.push(null);
  return columns;
}

function domainRegion(fiches: CountedFiche[]): Analysis['domainRegion'] {
  const columns = regionColumns(fiches);
  const domains: Array<ExperienceDomain | null> = [...EXPERIENCE_DOMAINS];
  if (fiches.some((f) => f.domain === null)) domains.push(null);
  const rows = domains.map((domain) => {
    const cells = columns.map(
      (region) => fiches.filter((f) => f.domain === domain && f.region === region).length,
    );
    return { domain, cells, total: cells.reduce((a, b) => a + b, 0) };
  });
  const totals = columns.map((region) => fiches.filter((f) => f.region === region).length);
  return {
    regions: columns.map((code) => ({ code, name: code ? REGIONS[code] : null })),
    rows,
    totals,
    total: fiches.length,
  };
}

/**
 * How two QPV names are compared: case, accents, spaces and punctuation aside (« Le Blosne »,
 * « LE BLÔSNE », « le-blosne »), as the showcase counts the QPV reached.
 */
export const qpvKey = searchWords;

function qpvs(fiches: CountedFiche[]): Pick<Analysis, 'qpvs' | 'unnamedQpv'> {
  const groups = new Map<string, { name: string; towns: Map<string, string>; fiches: number }>();
  let unnamedQpv = 0;
  for (const f of fiches) {
    if (!f.inQpv) continue;
    const key = qpvKey(f.qpvName);
    if (key === '') {
      unnamedQpv += 1;
      continue;
    }
    let group = groups.get(key);
    if (!group) {
      group = { name: f.qpvName.trim().replace(/\s+/g, ' '), towns: new Map(), fiches: 0 };
      groups.set(key, group);
    }
    group.fiches += 1;
    const town = f.town.trim().replace(/\s+/g, ' ');
    if (town && !group.towns.has(searchable(town))) group.towns.set(searchable(town), town);
  }
  const list = [...groups.values()]
    .map((g) => ({ name: g.name, towns: [...g.towns.values()], fiches: g.fiches }))
    .sort((a, b) => b.fiches - a.fiches || searchable(a.name).localeCompare(searchable(b.name), 'fr'));
  return { qpvs: list, unnamedQpv };
}

/** The month a fiche is dated by: its period's start, else the month (in Paris) it was written. */
export function ficheMonth(f: Pick<CountedFiche, 'periodStart' | 'createdAt'>): string {
  return f.periodStart ?? parisDay(f.createdAt.getTime()).slice(0, 7);
}

function timeline(fiches: CountedFiche[]): Analysis['timeline'] {
  if (fiches.length === 0) return { years: [], byWriting: 0 };
  const counts = new Map<number, [number, number, number, number]>();
  for (const f of fiches) {
    const [year, month] = ficheMonth(f).split('-').map(Number) as [number, number];
    const quarters = counts.get(year) ?? [0, 0, 0, 0];
    quarters[Math.floor((month - 1) / 3)]! += 1;
    counts.set(year, quarters);
  }
  const first = Math.min(...counts.keys());
  const last = Math.max(...counts.keys());
  const years: Analysis['timeline']['years'] = [];
  for (let year = first; year <= last; year++) {
    const quarters = counts.get(year) ?? [0, 0, 0, 0];
    years.push({ year, quarters, total: quarters.reduce((a, b) => a + b, 0) });
  }
  return { years, byWriting: fiches.filter((f) => f.periodStart === null).length };
}

/** Every figure of the analysis page, from the counted fiches. */
export function analyse(fiches: CountedFiche[]): Analysis {
  const sum = (pick: (f: CountedFiche) => number | null) =>
    fiches.reduce((total, f) => total + (pick(f) ?? 0), 0);
  const given = (pick: (f: CountedFiche) => number | null) => fiches.filter((f) => pick(f) !== null).length;
  const places = qpvs(fiches);
  const cofunders = FUNDER_KIND_KEYS.map((kind) => ({
    kind,
    fiches: fiches.filter((f) => f.cofunders.includes(kind)).length,
  }))
    .filter((c) => c.fiches > 0)
    .sort(
      (a, b) => b.fiches - a.fiches || FUNDER_KIND_KEYS.indexOf(a.kind) - FUNDER_KIND_KEYS.indexOf(b.kind),
    );
  return {
    totals: {
      fiches: fiches.length,
      published: fiches.filter((f) => f.publication === 'published').length,
      sharedOnly: fiches.filter((f) => f.publication !== 'published' && f.sharedWithNetwork).length,
      inQpv: fiches.filter((f) => f.inQpv).length,
      qpvs: places.qpvs.length,
      regions: new Set(fiches.map((f) => f.region).filter((r) => r !== null)).size,
      participants: sum((f) => f.participants),
      participantsFiches: given((f) => f.participants),
      volunteers: sum((f) => f.volunteers),
      volunteersFiches: given((f) => f.volunteers),
    },
    domainRegion: domainRegion(fiches),
    publics: EXPERIENCE_PUBLICS.map((code) => ({
      code,
      fiches: fiches.filter((f) => f.publics.includes(code)).length,
    })),
    noPublic: fiches.filter((f) => f.publics.length === 0).length,
    cofunders,
    noCofunder: fiches.filter((f) => f.cofunders.length === 0).length,
    ...places,
    timeline: timeline(fiches),
  };
}

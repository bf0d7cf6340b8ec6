// The public showcase (vitrine): the fiches d'expérience their authors asked to publish and a
// reviewer published — no other fiche ever leaves this file. What the public reads of a fiche is its
// texts, its facts, its OSIM and collective: never a person (not the author's name nor address). A
// fiche's region is its own, or else that of its author's OSIM, or else that of its cycle's
// collective (`regionOf` their free text): said once, in `ficheRegion` (regions.ts). Nothing is kept in
// memory: a fiche withdrawn (back to private) is gone from the very next page, feed and sitemap.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import {
  EXPERIENCE_DOMAINS,
  EXPERIENCE_PUBLICS,
  type ExperienceDomain,
  type ExperiencePublic,
} from '../experiences/fiche-facts.ts';
import { NotFoundError } from '../lib/errors.ts';
import { searchWords } from '../lib/text.ts';
import { FUNDER_KIND_KEYS } from '../projects/budget.ts';
import { ficheRegion, isRegionCode, REGION_CODES, type RegionCode } from './regions.ts';

/** Actions per page of the list. */
export const PAGE_SIZE = 20;
/** Entries of the Atom feed. */
export const FEED_SIZE = 50;

/** A published action as the list, the map, the feed and the sitemap use it. */
export type PublishedAction = {
  id: number;
  title: string;
  town: string;
  inQpv: boolean;
  qpvName: string;
  domain: ExperienceDomain | null;
  publics: ExperiencePublic[];
  region: RegionCode | null;
  periodStart: string | null;
  periodEnd: string | null;
  volunteers: number | null;
  participants: number | null;
  publishedAt: Date;
  /** The author's OSIM: an organization, never a person. */
  osim: string | null;
  /** The OSIM's collective (else the cycle's). */
  collective: string | null;
};

/** An action's page: the list's facts and its texts (plain text). */
// Types, not interfaces: a template reads an action's texts by name (`a[key]`).
export type PublishedActionPage = PublishedAction & {
  what: string;
  objectives: string;
  audience: string;
  partners: string;
  cofunding: string;
  results: string;
  difficulties: string;
  advice: string;
  cofunders: string[];
};

/** The texts of an action's page, in the order shown. */
export const ACTION_TEXTS = [
  'what',
  'objectives',
  'audience',
  'partners',
  'cofunding',
  'results',
  'difficulties',
  'advice',
] as const;

interface Row {
  id: number;
  title: string;
  town: string;
  in_qpv: number;
  qpv_name: string;
  domain: string | null;
  publics: string;
  region: string | null;
  period_start: string | null;
  period_end: string | null;
  volunteers: number | null;
  participants: number | null;
  published_at: number | null;
  updated_at: number;
  osim_name: string | null;
  osim_region: string | null;
  collective_name: string | null;
  cycle_region: string | null;
}

type PageRow = Row & Record<(typeof ACTION_TEXTS)[number] | 'cofunders', string>;

function jsonList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

const isDomain = (v: string | null): v is ExperienceDomain =>
  v !== null && (EXPERIENCE_DOMAINS as readonly string[]).includes(v);
const isPublic = (v: string): v is ExperiencePublic => (EXPERIENCE_PUBLICS as readonly string[]).includes(v);

function toAction(row: Row): PublishedAction {
  return {
    id: row.id,
    title: row.title,
    town: row.town,
    inQpv: row.in_qpv === 1,
    qpvName: row.qpv_name,
    domain: isDomain(row.domain) ? row.domain : null,
    publics: jsonList(row.publics).filter(isPublic),
    region: ficheRegion({
      region: row.region,
      osimRegion: row.osim_region,
      collectiveRegion: row.cycle_region,
    }).region,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    volunteers: row.volunteers,
    participants: row.participants,
    publishedAt: new Date(row.published_at ?? row.updated_at),
    osim: row.osim_name,
    collective: row.collective_name,
  };
}

/**
 * The one query of published fiches (newest published first): `texts` adds what an action's page
 * shows. The author's OSIM is their first OSIM membership, as on the fiche's own page; only
 * organizations are joined, never the author's account.
 */
function publishedRows<T extends Row>(
  db: Db,
  where: ReturnType<typeof sql>,
  texts: boolean,
  limit = -1,
): T[] {
  return db.all<T>(sql`
    SELECT e.id, e.title, e.town, e.in_qpv, e.qpv_name, e.domain, e.publics, e.region,
      e.period_start, e.period_end, e.volunteers, e.participants, e.published_at, e.updated_at,
      ${texts ? sql`e.what, e.objectives, e.audience, e.partners, e.cofunding, e.results, e.difficulties, e.advice, e.cofunders,` : sql``}
      o.name AS osim_name, o.region AS osim_region,
      coalesce(parent.name, collective.name) AS collective_name, collective.region AS cycle_region
    FROM experiences e
    JOIN cycles cy ON cy.id = e.cycle_id
    LEFT JOIN organizations o ON o.id = (
      SELECT m.organization_id FROM memberships m JOIN organizations mo ON mo.id = m.organization_id
      WHERE m.user_id = e.author_id AND mo.kind = 'osim' ORDER BY m.id LIMIT 1)
    LEFT JOIN organizations parent ON parent.id = o.parent_id
    LEFT JOIN organizations collective ON collective.id = cy.collective_id
    WHERE e.publication = 'published' ${where}
    ORDER BY coalesce(e.published_at, e.updated_at) DESC, e.id DESC
    LIMIT ${limit}`);
}

function toPage(row: PageRow): PublishedActionPage {
  const texts = Object.fromEntries(ACTION_TEXTS.map((key) => [key, row[key] ?? '']));
  return {
    ...toAction(row),
    ...(texts as Record<(typeof ACTION_TEXTS)[number], string>),
    cofunders: jsonList(row.cofunders).filter((k) => (FUNDER_KIND_KEYS as readonly string[]).includes(k)),
  };
}

/** Every published action, newest first. */
export function publishedActions(db: Db): PublishedAction[] {
  return publishedRows<Row>(db, sql``, false).map(toAction);
}

/** One published action with its texts; a 404 for any other fiche (private, asked for, unknown). */
export function publishedAction(db: Db, id: number): PublishedActionPage {
  const row = publishedRows<PageRow>(db, sql`AND e.id = ${id}`, true, 1)[0];
  if (!row) throw new NotFoundError();
  return toPage(row);
}

// ——— Filters ———

export type QpvFilter = 'oui' | 'non';

export interface ShowcaseFilters {
  region: RegionCode | null;
  domain: ExperienceDomain | null;
  public: ExperiencePublic | null;
  qpv: QpvFilter | null;
}

export const FILTER_NAMES = ['region', 'domain', 'public', 'qpv'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

const one = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * The filters of a showcase URL. A value that names nothing (an unknown region, a repeated
 * parameter, a page that is not a number) is ignored and reported in `ignored`, never an error.
 */
export function readFilters(query: Record<string, unknown>): {
  filters: ShowcaseFilters;
  page: number;
  ignored: FilterName[];
} {
  const ignored: FilterName[] = [];
  const pick = <T extends string>(name: FilterName, ok: (v: string) => v is T): T | null => {
    const raw = query[name];
    if (raw === undefined || raw === '') return null;
    const value = one(raw);
    if (value !== null && ok(value)) return value;
    ignored.push(name);
    return null;
  };
  const filters: ShowcaseFilters = {
    region: pick('region', isRegionCode),
    domain: pick('domain', (v): v is ExperienceDomain => isDomain(v)),
    public: pick('public', isPublic),
    qpv: pick('qpv', (v): v is QpvFilter => v === 'oui' || v === 'non'),
  };
  const rawPage = one(query.page);
  const page = rawPage !== null && /^\d{1,6}$/.test(rawPage) ? Math.max(1, Number(rawPage)) : 1;
  return { filters, page, ignored };
}

/** The filters as a query string (`?region=BRE&qpv=oui`, or empty), with some changed. */
export function filterQuery(
  filters: ShowcaseFilters,
  changes: Partial<ShowcaseFilters> = {},
  page = 1,
): string {
  const merged = { ...filters, ...changes };
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = merged[name];
    if (value) params.set(name, value);
  }
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

function matches(action: PublishedAction, filters: ShowcaseFilters, except?: FilterName): boolean {
  if (except !== 'region' && filters.region && action.region !== filters.region) return false;
  if (except !== 'domain' && filters.domain && action.domain !== filters.domain) return false;
  if (except !== 'public' && filters.public && !action.publics.includes(filters.public)) return false;
  if (except !== 'qpv' && filters.qpv && action.inQpv !== (filters.qpv === 'oui')) return false;
  return true;
}

// ——— Figures ———

export interface ShowcaseFigures {
  actions: number;
  /** Distinct names of the QPV where actions took place (written alike: case and accents aside). */
  qpvReached: number;
  /** People who benefited: the participants the fiches count. */
  participants: number;
  volunteers: number;
  /** How many actions give each number (none: the figure is not known, never « 0 »). */
  participantsGiven: number;
  volunteersGiven: number;
}

export function figuresOf(actions: readonly PublishedAction[]): ShowcaseFigures {
  const qpv = new Set<string>();
  let participants = 0;
  let volunteers = 0;
  let participantsGiven = 0;
  let volunteersGiven = 0;
  for (const action of actions) {
    const name = searchWords(action.qpvName);
    if (action.inQpv && name !== '') qpv.add(name);
    participants += action.participants ?? 0;
    volunteers += action.volunteers ?? 0;
    if (action.participants !== null) participantsGiven++;
    if (action.volunteers !== null) volunteersGiven++;
  }
  return {
    actions: actions.length,
    qpvReached: qpv.size,
    participants,
    volunteers,
    participantsGiven,
    volunteersGiven,
  };
}

/** What /vitrine shows for a set of filters and a page (a 404 past the last page). */
export function showcasePage(db: Db, filters: ShowcaseFilters, page: number) {
  const all = publishedActions(db);
  const selected = all.filter((action) => matches(action, filters));
  const pages = Math.max(1, Math.ceil(selected.length / PAGE_SIZE));
  if (page > pages) throw new NotFoundError();
  // The map counts the other filters' actions in every region: a region is a choice among them.
  const regionCounts: Partial<Record<RegionCode, number>> = {};
  let withoutRegion = 0;
  for (const action of all) {
    if (!matches(action, filters, 'region')) continue;
    if (action.region) regionCounts[action.region] = (regionCounts[action.region] ?? 0) + 1;
    else withoutRegion += 1;
  }
  return {
    filters,
    actions: selected.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    total: selected.length,
    page,
    pages,
    figures: figuresOf(selected),
    regionCounts,
    withoutRegion,
    filtered: FILTER_NAMES.some((name) => filters[name] !== null),
  };
}

export type ShowcasePage = ReturnType<typeof showcasePage>;

/** The choices of the filters' form. */
export const FILTER_CHOICES = {
  regions: REGION_CODES,
  domains: EXPERIENCE_DOMAINS,
  publics: EXPERIENCE_PUBLICS,
  qpv: ['oui', 'non'] as const,
};

/** The last actions published, for the feed. */
export function feedActions(db: Db): PublishedActionPage[] {
  return publishedRows<PageRow>(db, sql``, true, FEED_SIZE).map(toPage);
}

/** A text cut to about `max` characters at a word, on one line (`…` when cut). */
export function summaryOf(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/** The summary of an action: what it did, or its objectives. */
export const actionSummary = (action: Pick<PublishedActionPage, 'what' | 'objectives'>) =>
  summaryOf(action.what || action.objectives);

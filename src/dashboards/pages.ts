// What each dashboard page shows for the filters of its URL: the figures, fresh or from memory
// (cache.ts), the trend chart, the OSIMs and members of a collective, and the HTML made of them —
// kept per reader's language, so that a filter changed through htmx costs a lookup, not a render.
// The routes (routes.ts) only read the URL, call these and render.
import type { Db } from '../db/client.ts';
import { formatNumber, type Translate } from '../i18n/index.ts';
import { formatCalendarDate, parisDay } from '../lib/time.ts';
import { managementScope } from '../organizations/scope.ts';
import type { CurrentUser } from '../people/users.ts';
import { formatEuros } from '../projects/budget.ts';
import type { Views } from '../views.ts';
import { memo, memoView } from './cache.ts';
import { trendChartSvg, trendLabels } from './chart.ts';
import { membersNote } from './exports.ts';
import { BUCKETS, type Dashboard, type DashboardFilters, dashboardFigures, heatRowsOf } from './figures.ts';
import {
  type Collective,
  type CollectiveQuery,
  collectiveFor,
  type FilterQuery,
  type FilterState,
  monthName,
  osimParam,
  readFilters,
} from './filter-state.ts';
import { MEMBERS_PER_PAGE, memberProgressPage, osimFigures } from './members.ts';
import { type ProjectFigures, projectFigures } from './project-figures.ts';
import { refreshDirty, refreshSoon } from './summaries.ts';

/** Collectives recomputed within a dashboard request at most (about 10–300 ms each). */
const SYNC_REFRESHES = 3;

/** Who reads the page: its words and the language its HTML is kept in. */
export interface Reader {
  t: Translate;
  locale: string;
}

/** Where a failed refresh of the summaries is reported (the app's log). */
export type Warn = (error: unknown) => void;

/** Renders a template without layout (the app's Eta, `app.view`), given its data (src/views.ts). */
export type View = <Name extends keyof Views>(template: Name, locals: Views[Name]) => Promise<string>;

/** The figures for these filters: from memory unless a summary changed (or a minute passed). */
export function currentFigures(db: Db, filters: DashboardFilters, warn: Warn) {
  // A few collectives changed: recomputed now, the answer is exact. Many (a busy evening across
  // the network): the page shows the last figures and says so; they are recomputed right after.
  let pending: number;
  try {
    pending = refreshDirty(db, filters.collectiveIds, SYNC_REFRESHES);
  } catch (error) {
    // The database is busy writing (a long import): the last figures, said to be updating.
    warn(error);
    pending = 1;
  }
  if (pending > 0) refreshSoon(db, filters.collectiveIds, warn);
  const data = memo(db, `figures:${JSON.stringify(filters)}`, () => {
    const data = dashboardFigures(db, filters, new Date(), false);
    return { ...data, heatRows: heatRowsOf(data) };
  });
  return { ...data, pending };
}

/** The trend chart's SVG, made once per language and figures. */
function trendChart(db: Db, data: Dashboard, reader: Reader, id: string): string {
  return memoView(db, reader.locale, `chart:${id}:${JSON.stringify(data.trend)}`, () =>
    trendChartSvg(data.trend, trendLabels(reader.t), id),
  );
}

/** The link to the members' file with the page's filters, and the note saying which apply. */
function membersLink(state: FilterState, t: Translate, collective?: { id: number; name: string }) {
  const q = new URLSearchParams(state.qs);
  q.delete('from');
  q.delete('to');
  if (collective) q.set('collective', String(collective.id));
  const qs = q.toString();
  return { href: `/dashboard/members.csv${qs ? `?${qs}` : ''}`, note: membersNote(t, state, collective) };
}

/** The projects' figures of the page's collectives, and the links to their CSV files. */
function projectsOf(db: Db, data: Dashboard, state: FilterState, collective?: { id: number }) {
  const projects: ProjectFigures = projectFigures(db, data.rows, state.filters);
  const q = new URLSearchParams(state.qs);
  if (collective) q.set('collective', String(collective.id));
  const csv = (table: string) => {
    q.set('table', table);
    return `/dashboard.csv?${q.toString()}`;
  };
  return {
    projects,
    projectsCsv: { projects: csv('projects'), funders: csv('cofunding') },
    euros: formatEuros,
  };
}

/**
 * Where a coordinator of one collective goes for /dashboard: straight to its page (OSIMs and
 * members included), with the filters that apply there. Null for everyone else.
 */
export function ownCollectivePage(user: CurrentUser, query: FilterQuery): string | null {
  const scope = managementScope(user);
  if (scope.all || scope.collectiveIds.length !== 1) return null;
  const qs = new URLSearchParams(
    Object.entries(query).filter(([k, v]) => k !== 'region' && typeof v === 'string' && v),
  ).toString();
  return `/dashboard/collectives/${scope.collectiveIds[0]}${qs ? `?${qs}` : ''}`;
}

/** A dashboard page's data, and the key naming everything its figures' HTML shows. */
export interface DashboardPage<Locals> {
  key: string;
  locals: Locals;
}

/** The dashboards whose figures are an htmx fragment: the network's and a collective's. */
export type FiguresPage =
  | DashboardPage<Views['dashboards/_figures']>
  | DashboardPage<Views['dashboards/_collective']>;

/** The network's dashboard (the national team's, or a coordinator's of several collectives). */
export function networkDashboard(db: Db, user: CurrentUser, query: FilterQuery, reader: Reader, warn: Warn) {
  const scope = managementScope(user);
  const state = readFilters(db, user, query, reader.t);
  const data = currentFigures(db, state.filters, warn);
  // The key figures: the COSIMs of the table together (the FOSIMs when there is no COSIM), as
  // the trend chart; an OSIM may be in both, so there is no grand total.
  const keyKind = data.rows.some((r) => r.kind === 'cosim') ? 'cosim' : 'fosim';
  const projects = projectsOf(db, data, state);
  return {
    key: `${scope.all}:${JSON.stringify(state.filters)}:${state.qs}:${projects.projects.digest}`,
    locals: {
      ...state,
      ...data,
      ...projects,
      t: reader.t,
      national: scope.all,
      buckets: BUCKETS,
      chart: trendChart(db, data, reader, 'trend'),
      monthName,
      num: formatNumber,
      keyRow: data.subtotals.find((s) => s.kind === keyKind) ?? null,
      keyKind,
      membersCsv: membersLink(state, reader.t),
      action: '/dashboard',
    },
  };
}

/** A collective's dashboard: its line, skills and trend, then its OSIMs and each member's progress. */
export function collectiveDashboard(
  db: Db,
  user: CurrentUser,
  id: number,
  query: CollectiveQuery,
  reader: Reader,
  warn: Warn,
) {
  const collective = collectiveFor(db, user, id);
  const state = readFilters(db, user, query, reader.t, collective.id);
  const data = currentFigures(db, state.filters, warn);
  const memberFilters = { cycleId: state.filters.cycleId ?? null, qpvOnly: state.filters.qpvOnly };
  const osims = memo(db, `osims:${collective.id}:${JSON.stringify(memberFilters)}`, () =>
    osimFigures(db, collective.id, memberFilters),
  );
  const osimId = osimParam(query.osim);
  const osim = osims.find((o) => o.id === osimId) ?? null;
  const page = { ...memberFilters, osimId: osim?.id ?? null };
  const members = memo(db, `members:${collective.id}:${JSON.stringify(page)}:${query.page ?? 1}`, () =>
    memberProgressPage(db, collective.id, page, query.page ?? 1),
  );
  const scope = managementScope(user);
  const projects = projectsOf(db, data, state, collective);
  return {
    key: `collective:${collective.id}:${JSON.stringify(state.filters)}:${state.qs}:${osim?.id}:${members.page}:${projects.projects.digest}`,
    locals: {
      ...state,
      ...data,
      ...projects,
      t: reader.t,
      collective,
      national: scope.all,
      back: scope.all || scope.collectiveIds.length > 1,
      buckets: BUCKETS,
      chart: trendChart(db, data, reader, 'trend'),
      monthName,
      osims,
      osim,
      members,
      membersCsv: membersLink(state, reader.t, collective),
      perPage: MEMBERS_PER_PAGE,
      formatDate: (ms: number) => formatCalendarDate(parisDay(ms)),
      num: formatNumber,
      action: `/dashboard/collectives/${collective.id}`,
    },
  };
}

/** A collective's OSIMs with the filters that apply to people (their CSV). */
export function collectiveOsims(
  db: Db,
  user: CurrentUser,
  id: number,
  query: FilterQuery,
  t: Translate,
  warn: Warn,
): { collective: Collective; osims: ReturnType<typeof osimFigures> } {
  const collective = collectiveFor(db, user, id);
  const state = readFilters(db, user, query, t, collective.id);
  currentFigures(db, state.filters, warn); // recomputes the collective's summary if it is marked
  const osims = osimFigures(db, collective.id, {
    cycleId: state.filters.cycleId ?? null,
    qpvOnly: state.filters.qpvOnly,
  });
  return { collective, osims };
}

/** A collective's one-page report, to print or save as PDF for funders. */
export function collectiveReport(
  db: Db,
  user: CurrentUser,
  id: number,
  query: FilterQuery,
  reader: Reader,
  warn: Warn,
) {
  const collective = collectiveFor(db, user, id);
  const state = readFilters(db, user, query, reader.t, collective.id);
  const data = currentFigures(db, state.filters, warn);
  return {
    ...state,
    ...data,
    ...projectsOf(db, data, state, collective),
    collective,
    buckets: BUCKETS,
    chart: trendChart(db, data, reader, 'report-trend'),
    monthName,
    cycleName: state.cycles.find((c) => c.id === state.filters.cycleId)?.name ?? null,
    generatedOn: formatCalendarDate(parisDay(Date.now())),
  };
}

/**
 * The HTML of a page's figures (its htmx fragment) and of its filters' form, each made once: the
 * figures per `key` (the filters and what else they show), the form per scope, page and values
 * (its lists are long for the national team).
 */
export async function dashboardHtml(
  db: Db,
  locale: string,
  page: FiguresPage,
  fragment: 'dashboards/_figures' | 'dashboards/_collective',
  view: View,
): Promise<{ figuresHtml: string; filtersHtml: string }> {
  const { key, locals } = page;
  const figuresHtml = await memoView(db, locale, `html:${key}`, () => view(fragment, locals));
  const { action, form, errors, regions, cycles } = locals;
  const filtersHtml = await memoView(
    db,
    locale,
    `filters:${action}:${JSON.stringify({ form, errors, regions, cycles: cycles.map((c) => c.id) })}`,
    () => view('dashboards/_filters', locals),
  );
  return { figuresHtml, filtersHtml };
}

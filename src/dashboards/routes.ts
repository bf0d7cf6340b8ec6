// The dashboards: the national team sees every COSIM and FOSIM, a coordinator their own
// collective(s), down to each OSIM and member. Filters travel in the URL (shareable, the back
// button works; filter-state.ts checks them the same way for pages and downloads); htmx swaps only
// the figures. A coordinator's filters are always narrowed to their collectives, whatever the URL
// says; another collective's page is a 404.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { formatNumber, type Translate } from '../i18n/index.ts';
import { asDownload } from '../lib/download.ts';
import { params, type ZodTypeProvider } from '../lib/forms.ts';
import { formatCalendarDate, parisDay } from '../lib/time.ts';
import { managementScope } from '../organizations/scope.ts';
import { rules } from '../policy/route-rules.ts';
import { memo, memoView } from './cache.ts';
import { trendChartSvg, trendLabels } from './chart.ts';
import { csvFileName, dashboardCsv, membersCsv, membersNote, osimsCsv, tableFileName } from './exports.ts';
import { BUCKETS, type Dashboard, type DashboardFilters, dashboardFigures, heatRowsOf } from './figures.ts';
import {
  collectiveFor,
  collectiveParam,
  type FilterState,
  filterQuery,
  monthName,
  query,
  readFilters,
} from './filter-state.ts';
import { MEMBERS_PER_PAGE, memberProgressPage, osimFigures } from './members.ts';
import { refreshDirty, refreshSoon } from './summaries.ts';

/** Collectives recomputed within a dashboard request at most (about 10–300 ms each). */
const SYNC_REFRESHES = 3;

/** A download's filters, and one collective (its page's downloads). */
const downloadQuery = z.object({
  ...filterQuery,
  collective: z.string().max(12).optional().catch(undefined),
});
const tableQuery = downloadQuery.extend({
  table: z.enum(['collectives', 'skills', 'trend']).optional().catch(undefined),
});
const collectiveQuery = z.object({
  ...filterQuery,
  osim: z.string().max(12).optional().catch(undefined),
  page: params.page(),
});

export default async function dashboardRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  /** The figures for these filters: from memory unless a summary changed (or a minute passed). */
  function figures(filters: DashboardFilters) {
    // A few collectives changed: recomputed now, the answer is exact. Many (a busy evening across
    // the network): the page shows the last figures and says so; they are recomputed right after.
    let pending: number;
    try {
      pending = refreshDirty(db, filters.collectiveIds, SYNC_REFRESHES);
    } catch (error) {
      // The database is busy writing (a long import): the last figures, said to be updating.
      app.log.warn({ err: error }, 'dashboard summaries not refreshed');
      pending = 1;
    }
    if (pending > 0)
      refreshSoon(db, filters.collectiveIds, (error) =>
        app.log.warn({ err: error }, 'dashboard summaries not refreshed'),
      );
    const data = memo(db, `figures:${JSON.stringify(filters)}`, () => {
      const data = dashboardFigures(db, filters, new Date(), false);
      return { ...data, heatRows: heatRowsOf(data) };
    });
    return { ...data, pending };
  }

  function chart(data: Dashboard, request: { t: Translate; locale: string }, id: string) {
    const { t } = request;
    return memoView(db, request.locale, `chart:${id}:${JSON.stringify(data.trend)}`, () =>
      trendChartSvg(data.trend, trendLabels(t), id),
    );
  }

  /**
   * The page, or only its figures when htmx asks; the figures' HTML is made once per `key` (the
   * filters and what else it shows), like the figures themselves.
   */
  async function renderDashboard(
    reply: FastifyReply,
    page: string,
    fragment: string,
    key: string,
    locals: FilterState & { action: string; t: Translate },
  ) {
    const { locale } = reply.request;
    const figuresHtml = await memoView(db, locale, `html:${key}`, () => app.view(fragment, locals));
    if (reply.request.htmx.partial) return reply.type('text/html; charset=utf-8').send(figuresHtml);
    return reply.render(page, { ...locals, figuresHtml, filtersHtml: await filtersHtml(locals, locale) });
  }

  /** The filters' form, made once per scope, page and values (its lists are long for the national team). */
  function filtersHtml(locals: FilterState & { action: string; t: Translate }, locale: string) {
    const { action, form, errors, regions, cycles } = locals;
    return memoView(
      db,
      locale,
      `filters:${action}:${JSON.stringify({ form, errors, regions, cycles: cycles.map((c) => c.id) })}`,
      () => app.view('dashboards/_filters', locals),
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

  app.get(
    '/dashboard',
    { schema: { querystring: query }, config: { access: rules.managers } },
    async (request, reply) => {
      const user = request.user!;
      const scope = managementScope(user);
      // A coordinator of one collective goes straight to its page (OSIMs and members included).
      if (!scope.all && scope.collectiveIds.length === 1 && request.headers['hx-request'] === undefined) {
        const qs = new URLSearchParams(
          Object.entries(request.query).filter(([k, v]) => k !== 'region' && typeof v === 'string' && v),
        ).toString();
        return reply.redirect(`/dashboard/collectives/${scope.collectiveIds[0]}${qs ? `?${qs}` : ''}`, 303);
      }
      const state = readFilters(db, user, request.query, request.t);
      const data = figures(state.filters);
      // The key figures: the COSIMs of the table together (the FOSIMs when there is no COSIM), as
      // the trend chart; an OSIM may be in both, so there is no grand total.
      const keyKind = data.rows.some((r) => r.kind === 'cosim') ? 'cosim' : 'fosim';
      const locals = {
        ...state,
        ...data,
        t: request.t,
        national: scope.all,
        buckets: BUCKETS,
        chart: chart(data, request, 'trend'),
        monthName,
        num: formatNumber,
        keyRow: data.subtotals.find((s) => s.kind === keyKind) ?? null,
        keyKind,
        membersCsv: membersLink(state, request.t),
        action: '/dashboard',
      };
      return renderDashboard(
        reply,
        'dashboards/index',
        'dashboards/_figures',
        `${scope.all}:${JSON.stringify(state.filters)}:${state.qs}`,
        locals,
      );
    },
  );

  // Each table of the dashboard as CSV (the same filters): collectives, skills, or the monthly trend.
  app.get(
    '/dashboard.csv',
    { schema: { querystring: tableQuery }, config: { access: rules.managers } },
    async (request, reply) => {
      const collective = collectiveParam(db, request.user!, request.query.collective);
      const state = readFilters(db, request.user!, request.query, request.t, collective?.id);
      const table = request.query.table ?? 'collectives';
      const csv = dashboardCsv(request.t, figures(state.filters), table);
      return sendCsv(reply, tableFileName(table, collective), csv);
    },
  );

  // A collective's dashboard: its line, skills and trend, then its OSIMs and each member's progress.
  app.get(
    '/dashboard/collectives/:id',
    { schema: { params: params.id(), querystring: collectiveQuery }, config: { access: rules.managers } },
    async (request, reply) => {
      const user = request.user!;
      const collective = collectiveFor(db, user, request.params.id);
      const state = readFilters(db, user, request.query, request.t, collective.id);
      const data = figures(state.filters);
      const memberFilters = { cycleId: state.filters.cycleId ?? null, qpvOnly: state.filters.qpvOnly };
      const osims = memo(db, `osims:${collective.id}:${JSON.stringify(memberFilters)}`, () =>
        osimFigures(db, collective.id, memberFilters),
      );
      const osimId =
        request.query.osim && /^\d{1,9}$/.test(request.query.osim) ? Number(request.query.osim) : null;
      const osim = osims.find((o) => o.id === osimId) ?? null;
      const page = { ...memberFilters, osimId: osim?.id ?? null };
      const members = memo(
        db,
        `members:${collective.id}:${JSON.stringify(page)}:${request.query.page ?? 1}`,
        () => memberProgressPage(db, collective.id, page, request.query.page ?? 1),
      );
      const scope = managementScope(user);
      const locals = {
        ...state,
        ...data,
        t: request.t,
        collective,
        national: scope.all,
        back: scope.all || scope.collectiveIds.length > 1,
        buckets: BUCKETS,
        chart: chart(data, request, 'trend'),
        monthName,
        osims,
        osim,
        members,
        membersCsv: membersLink(state, request.t, collective),
        perPage: MEMBERS_PER_PAGE,
        formatDate: (ms: number) => formatCalendarDate(parisDay(ms)),
        num: formatNumber,
        action: `/dashboard/collectives/${collective.id}`,
      };
      return renderDashboard(
        reply,
        'dashboards/collective',
        'dashboards/_collective',
        `collective:${collective.id}:${JSON.stringify(state.filters)}:${state.qs}:${osim?.id}:${members.page}`,
        locals,
      );
    },
  );

  app.get(
    '/dashboard/collectives/:id/osims.csv',
    { schema: { params: params.id(), querystring: query }, config: { access: rules.managers } },
    async (request, reply) => {
      const user = request.user!;
      const collective = collectiveFor(db, user, request.params.id);
      const state = readFilters(db, user, request.query, request.t, collective.id);
      figures(state.filters); // recomputes the collective's summary if it is marked
      const osims = osimFigures(db, collective.id, {
        cycleId: state.filters.cycleId ?? null,
        qpvOnly: state.filters.qpvOnly,
      });
      return sendCsv(reply, csvFileName('osim', collective), osimsCsv(request.t, osims));
    },
  );

  // Every member's progress in the person's scope, with the page's filters that apply to people
  // (region or collective, cycle, QPV; a period does not), streamed a thousand rows at a time.
  app.get(
    '/dashboard/members.csv',
    { schema: { querystring: downloadQuery }, config: { access: rules.managers } },
    async (request, reply) => {
      const user = request.user!;
      const collective = collectiveParam(db, user, request.query.collective);
      const state = readFilters(db, user, request.query, request.t, collective?.id);
      const lines = membersCsv(db, request.t, managementScope(user), state.filters);
      asDownload(reply, 'text/csv; charset=utf-8', csvFileName('progression-des-membres', collective));
      return reply.send(Readable.from(lines));
    },
  );

  // A collective's one-page report, to print or save as PDF for funders.
  app.get(
    '/dashboard/collectives/:id/report',
    { schema: { params: params.id(), querystring: query }, config: { access: rules.managers } },
    async (request, reply) => {
      const user = request.user!;
      const collective = collectiveFor(db, user, request.params.id);
      const state = readFilters(db, user, request.query, request.t, collective.id);
      const data = figures(state.filters);
      return reply.render('dashboards/report', {
        ...state,
        ...data,
        collective,
        buckets: BUCKETS,
        chart: chart(data, request, 'report-trend'),
        monthName,
        cycleName: state.cycles.find((c) => c.id === state.filters.cycleId)?.name ?? null,
        generatedOn: formatCalendarDate(parisDay(Date.now())),
      });
    },
  );
}

function sendCsv(reply: FastifyReply, filename: string, csv: string) {
  return asDownload(reply, 'text/csv; charset=utf-8', filename).send(csv);
}

// The dashboards: the national team sees every COSIM and FOSIM, a coordinator their own
// collective(s), down to each OSIM and member. Filters travel in the URL (shareable, the back
// button works); htmx swaps only the figures. A coordinator's filters are always narrowed to their
// collectives, whatever the URL says; another collective's page is a 404.
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { idList } from '../db/id-list.ts';
import type { Translate } from '../i18n/index.ts';
import { spreadsheetCsv } from '../lib/csv.ts';
import { asDownload } from '../lib/download.ts';
import { NotFoundError } from '../lib/errors.ts';
import { params, type ZodTypeProvider } from '../lib/forms.ts';
import { formatCalendarDate, parisDay } from '../lib/time.ts';
import { managementScope, type Scope } from '../organizations/scope.ts';
import type { CurrentUser } from '../people/users.ts';
import { memo } from './cache.ts';
import { trendChartSvg } from './chart.ts';
import {
  BUCKETS,
  type Counts,
  type Dashboard,
  type DashboardFilters,
  dashboardFigures,
  monthsAgo,
  monthsBetween,
  type Period,
} from './figures.ts';
import { MEMBERS_PER_PAGE, memberProgressChunk, memberProgressPage, osimFigures } from './members.ts';
import { refreshDirty, refreshSoon } from './summaries.ts';

const managers = { roles: ['admin', 'coordinator'] } as const;
/** Collectives recomputed within a dashboard request at most (about 10–300 ms each). */
const SYNC_REFRESHES = 3;

const filterQuery = {
  region: z.string().max(80).optional().catch(undefined),
  qpv: z.enum(['1']).optional().catch(undefined),
  cycle: z.string().max(12).optional().catch(undefined),
  from: z.string().max(12).optional().catch(undefined),
  to: z.string().max(12).optional().catch(undefined),
};
const query = z.object(filterQuery);
const tableQuery = z.object({
  ...filterQuery,
  table: z.enum(['collectives', 'skills', 'trend']).optional().catch(undefined),
  /** One collective only (its page's export). */
  collective: z.string().max(12).optional().catch(undefined),
});
const collectiveQuery = z.object({
  ...filterQuery,
  osim: z.string().max(12).optional().catch(undefined),
  page: params.page(),
});

type FilterInput = z.output<typeof query>;
type FilterErrors = Partial<Record<'cycle' | 'from' | 'to', string>>;

interface FilterState {
  filters: DashboardFilters;
  /** What the form shows (the input kept, valid or not). */
  form: { region: string; qpv: boolean; cycle: string; from: string; to: string };
  errors: FilterErrors;
  regions: string[];
  cycles: { id: number; name: string }[];
  months: { value: string; label: string }[];
  /** The filters as a query string, for links (CSV, a collective's page, pages). */
  qs: string;
}

const monthLabel = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

export default async function dashboardRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  function cyclesFor(scope: Scope) {
    if (!scope.all && scope.collectiveIds.length === 0) return [];
    return db.all<{ id: number; name: string }>(sql`
      SELECT id, name FROM cycles WHERE archived_at IS NULL
        ${
          scope.all
            ? sql``
            : sql`AND (collective_id IS NULL OR collective_id IN (${idList(scope.collectiveIds)}))`
        }
      ORDER BY starts_on DESC, name`);
  }

  /** The filters of the URL, checked: unknown values are reported next to their field and ignored. */
  function readFilters(user: CurrentUser, q: FilterInput, t: Translate, only?: number): FilterState {
    const scope = managementScope(user);
    const thisMonth = parisDay(Date.now()).slice(0, 7);
    const { regions, cycles, earliest, months } = memo(db, `options:${JSON.stringify(scope)}`, () => {
      // The months offered: from the first cycle (five years at most) to this one, newest first.
      const first = db.get<{ first: string | null }>(sql`SELECT min(starts_on) AS first FROM cycles`)?.first;
      const earliest = [first?.slice(0, 7) ?? thisMonth, monthsAgo(thisMonth, 59)].sort().at(-1)!;
      return {
        regions: scope.all
          ? db
              .all<{ region: string }>(
                sql`SELECT DISTINCT region FROM organizations WHERE kind IN ('cosim', 'fosim') AND region IS NOT NULL AND archived_at IS NULL ORDER BY region`,
              )
              .map((r) => r.region)
          : [],
        cycles: cyclesFor(scope),
        earliest,
        months: monthsBetween([earliest, thisMonth].sort()[0]!, thisMonth)
          .reverse()
          .map((value) => ({ value, label: monthName(value) })),
      };
    });
    const errors: FilterErrors = {};
    const region = only === undefined && q.region && regions.includes(q.region) ? q.region : null;
    let cycleId: number | null = null;
    if (q.cycle) {
      const id = /^\d{1,9}$/.test(q.cycle) ? Number(q.cycle) : Number.NaN;
      if (cycles.some((c) => c.id === id)) cycleId = id;
      else errors.cycle = t('dashboard.error.cycle');
    }
    const from = q.from ?? '';
    const to = q.to ?? '';
    // A month from 2000 to this one (the form offers those since the first cycle; a shared link
    // may name an earlier one).
    const valid = (m: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m) && m >= '2000-01' && m <= thisMonth;
    if (from && !valid(from)) errors.from = t('dashboard.error.month');
    if (to && !valid(to)) errors.to = t('dashboard.error.month');
    let period: Period | null = null;
    if ((from || to) && !errors.from && !errors.to) {
      const p = { from: from || earliest, to: to || thisMonth };
      if (p.from > p.to) errors.to = t('dashboard.error.order');
      else period = p;
    }
    const collectiveIds = only !== undefined ? [only] : scope.all ? null : scope.collectiveIds;
    const form = { region: region ?? '', qpv: q.qpv === '1', cycle: q.cycle ?? '', from, to };
    const qs = new URLSearchParams(
      Object.entries({
        region: form.region,
        qpv: form.qpv ? '1' : '',
        cycle: cycleId === null ? '' : String(cycleId),
        from: period ? form.from : '',
        to: period ? form.to : '',
      }).filter(([, v]) => v),
    ).toString();
    return {
      filters: { collectiveIds, region, qpvOnly: form.qpv, cycleId, period },
      form,
      errors,
      regions: only === undefined ? regions : [],
      cycles,
      months,
      qs,
    };
  }

  /** The collective a person may open: any for the national team, their own for a coordinator. */
  function collectiveFor(user: CurrentUser, id: number) {
    const scope = managementScope(user);
    if (!scope.all && !scope.collectiveIds.includes(id)) throw new NotFoundError();
    const c = db.get<{ id: number; name: string; kind: 'cosim' | 'fosim'; region: string | null }>(sql`
      SELECT id, name, kind, region FROM organizations
      WHERE id = ${id} AND kind IN ('cosim', 'fosim') AND archived_at IS NULL`);
    if (!c) throw new NotFoundError();
    return c;
  }

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
      const { skills } = data;
      // The heat map's lines, the share of each skill in the order of the columns.
      const heatRows = data.rows.flatMap((r) => {
        const cells = new Map(data.heat.filter((h) => h.cid === r.id).map((h) => [h.skillCode, h]));
        if (cells.size === 0) return [];
        return [
          {
            id: r.id,
            name: r.name,
            enrolled: cells.values().next().value!.enrolled,
            shares: skills.map((s) => {
              const c = cells.get(s.code);
              return c && c.enrolled > 0 ? Math.round((c.acquired / c.enrolled) * 100) : 0;
            }),
          },
        ];
      });
      return { ...data, heatRows };
    });
    return { ...data, pending };
  }

  function chart(data: Dashboard, t: Translate, id: string) {
    return memo(db, `chart:${id}:${JSON.stringify(data.trend)}`, () =>
      trendChartSvg(
        data.trend,
        {
          title: t('dashboard.trendTitle'),
          enrolments: t('dashboard.trend.enrolments'),
          completions: t('dashboard.trend.completions'),
        },
        id,
      ),
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
    const figuresHtml = await memo(db, `html:${key}`, () => app.view(fragment, locals));
    if (reply.request.htmx.partial) return reply.type('text/html; charset=utf-8').send(figuresHtml);
    return reply.render(page, { ...locals, figuresHtml, filtersHtml: await filtersHtml(locals) });
  }

  /** The filters' form, made once per scope, page and values (its lists are long for the national team). */
  function filtersHtml(locals: FilterState & { action: string; t: Translate }) {
    const { action, form, errors, regions, cycles } = locals;
    return memo(
      db,
      `filters:${action}:${JSON.stringify({ form, errors, regions, cycles: cycles.map((c) => c.id) })}`,
      () => app.view('dashboards/_filters', locals),
    );
  }

  const monthName = (month: string) => monthLabel.format(new Date(`${month}-15T12:00:00Z`));

  app.get(
    '/dashboard',
    { schema: { querystring: query }, config: { access: managers } },
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
      const state = readFilters(user, request.query, request.t);
      const data = figures(state.filters);
      const locals = {
        ...state,
        ...data,
        t: request.t,
        national: scope.all,
        buckets: BUCKETS,
        chart: chart(data, request.t, 'trend'),
        monthName,
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
    { schema: { querystring: tableQuery }, config: { access: managers } },
    async (request, reply) => {
      const t = request.t;
      const only = request.query.collective;
      const collective =
        only === undefined
          ? undefined
          : collectiveFor(request.user!, /^\d{1,9}$/.test(only) ? Number(only) : 0).id;
      const state = readFilters(request.user!, request.query, t, collective);
      const data = figures(state.filters);
      const table = request.query.table ?? 'collectives';
      return sendCsv(reply, `tableau-de-bord-${table}.csv`, dashboardCsv(t, data, table));
    },
  );

  // A collective's dashboard: its line, skills and trend, then its OSIMs and each member's progress.
  app.get(
    '/dashboard/collectives/:id',
    { schema: { params: params.id(), querystring: collectiveQuery }, config: { access: managers } },
    async (request, reply) => {
      const user = request.user!;
      const collective = collectiveFor(user, request.params.id);
      const state = readFilters(user, request.query, request.t, collective.id);
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
        chart: chart(data, request.t, 'trend'),
        monthName,
        osims,
        osim,
        members,
        perPage: MEMBERS_PER_PAGE,
        formatDate: (ms: number) => formatCalendarDate(parisDay(ms)),
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
    { schema: { params: params.id(), querystring: query }, config: { access: managers } },
    async (request, reply) => {
      const t = request.t;
      const user = request.user!;
      const collective = collectiveFor(user, request.params.id);
      const state = readFilters(user, request.query, t, collective.id);
      figures(state.filters); // recomputes the collective's summary if it is marked
      const memberFilters = { cycleId: state.filters.cycleId ?? null, qpvOnly: state.filters.qpvOnly };
      const osims = osimFigures(db, collective.id, memberFilters);
      const csv = spreadsheetCsv(
        [
          t('dashboard.col.osim'),
          t('dashboard.col.town'),
          t('dashboard.col.qpv'),
          t('dashboard.col.members'),
          t('dashboard.col.enrolled'),
          t('dashboard.col.active'),
          `${t('dashboard.col.median')} (%)`,
          t('dashboard.col.completions'),
          t('dashboard.col.quizzesPassed'),
          t('dashboard.col.attended'),
          t('dashboard.col.certificates'),
        ],
        osims.map((o) => [
          o.name,
          o.town ?? '',
          o.actsInQpv ? t('dashboard.yes') : t('dashboard.no'),
          o.members,
          o.enrolled,
          o.active30,
          o.medianPercent ?? '',
          o.completions,
          o.quizzesPassed,
          o.attended,
          o.certificates,
        ]),
      );
      return sendCsv(reply, `osim-${collective.id}.csv`, csv);
    },
  );

  // Every member's progress in the person's scope, streamed a thousand rows at a time.
  app.get('/dashboard/members.csv', { config: { access: managers } }, async (request, reply) => {
    const t = request.t;
    const scope = managementScope(request.user!);
    const headers = [
      t('dashboard.col.person'),
      t('dashboard.col.osims'),
      t('dashboard.col.collectives'),
      t('dashboard.col.cycles'),
      `${t('dashboard.col.progress')} (%)`,
      t('dashboard.col.lessons'),
      t('dashboard.col.quizzesPassed'),
      t('dashboard.col.attended'),
      t('dashboard.col.lastActivity'),
      t('dashboard.col.certificates'),
    ];
    async function* lines() {
      let after = 0;
      for (;;) {
        const chunk = memberProgressChunk(db, scope, after, 1000);
        yield spreadsheetCsv(
          headers,
          chunk.map((m) => [
            m.name,
            m.osims,
            m.collectives ?? '',
            m.cycles,
            m.percent,
            m.lessonsDone,
            m.quizzesPassed,
            m.attended,
            m.lastActivityAt === null ? '' : parisDay(m.lastActivityAt),
            m.certificates,
          ]),
          { continued: after > 0 },
        );
        if (chunk.length < 1000) return;
        after = chunk.at(-1)!.id;
        // Let other requests in between chunks.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    asDownload(reply, 'text/csv; charset=utf-8', 'progression-des-membres.csv');
    return reply.send(Readable.from(lines()));
  });

  // A collective's one-page report, to print or save as PDF for funders.
  app.get(
    '/dashboard/collectives/:id/report',
    { schema: { params: params.id(), querystring: query }, config: { access: managers } },
    async (request, reply) => {
      const user = request.user!;
      const collective = collectiveFor(user, request.params.id);
      const state = readFilters(user, request.query, request.t, collective.id);
      const data = figures(state.filters);
      return reply.render('dashboards/report', {
        ...state,
        ...data,
        collective,
        buckets: BUCKETS,
        chart: chart(data, request.t, 'report-trend'),
        monthName,
        cycleName: state.cycles.find((c) => c.id === state.filters.cycleId)?.name ?? null,
        generatedOn: formatCalendarDate(parisDay(Date.now())),
      });
    },
  );

  function dashboardCsv(t: Translate, data: ReturnType<typeof figures>, table: string): string {
    const pct = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) : '');
    if (table === 'skills')
      return spreadsheetCsv(
        [
          t('dashboard.col.collective'),
          t('dashboard.col.enrolledNow'),
          ...data.skills.map((sk) => `${sk.code} (%)`),
        ],
        data.heatRows.map((r) => [r.name, r.enrolled, ...r.shares]),
      );
    if (table === 'trend')
      return spreadsheetCsv(
        [t('dashboard.col.month'), t('dashboard.trend.enrolments'), t('dashboard.trend.completions')],
        data.trend.map((p) => [p.month, p.enrolments, p.completions]),
      );
    const line = (name: string, r: Counts) => [
      name,
      r.invited ?? '',
      r.members,
      r.enrolled,
      r.active30,
      r.medianPercent ?? '',
      ...r.distribution,
      r.completions,
      pct(r.quizzesPassed, r.quizzesAttempted),
      r.gatheringsHeld,
      pct(r.present, r.seatsConfirmed),
      r.certificates,
    ];
    return spreadsheetCsv(
      [
        t('dashboard.col.collective'),
        t('dashboard.col.invited'),
        t('dashboard.col.members'),
        t('dashboard.col.enrolled'),
        t('dashboard.col.active'),
        `${t('dashboard.col.median')} (%)`,
        ...BUCKETS.map((b) => `${t('dashboard.col.distribution')} ${b}`),
        t('dashboard.col.completions'),
        `${t('dashboard.col.quizzes')} (%)`,
        t('dashboard.col.held'),
        `${t('dashboard.col.attendance')} (%)`,
        t('dashboard.col.certificates'),
      ],
      [
        ...data.rows.map((r) => line(r.name, r)),
        ...(data.rows.length > 1 ? data.subtotals.map((s) => line(t(`dashboard.total.${s.kind}`), s)) : []),
      ],
    );
  }
}

function sendCsv(reply: FastifyReply, filename: string, csv: string) {
  return asDownload(reply, 'text/csv; charset=utf-8', filename).send(csv);
}

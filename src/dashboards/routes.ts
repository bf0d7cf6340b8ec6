// The dashboards: the national team sees every COSIM and FOSIM, a coordinator their own
// collective(s), down to each OSIM and member. Filters travel in the URL (shareable, the back
// button works; filter-state.ts checks them the same way for pages and downloads); htmx swaps only
// the figures. A coordinator's filters are always narrowed to their collectives, whatever the URL
// says; another collective's page is a 404. What each page shows is made in pages.ts.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { asDownload } from '../lib/download.ts';
import { params, type ZodTypeProvider } from '../lib/forms.ts';
import { managementScope } from '../organizations/scope.ts';
import { rules } from '../policy/route-rules.ts';
import { csvFileName, dashboardCsv, membersCsv, osimsCsv, tableFileName } from './exports.ts';
import {
  collectiveParam,
  collectiveQuery,
  downloadQuery,
  query,
  readFilters,
  tableQuery,
} from './filter-state.ts';
import {
  collectiveDashboard,
  collectiveOsims,
  collectiveReport,
  currentFigures,
  dashboardHtml,
  type FiguresPage,
  networkDashboard,
  ownCollectivePage,
} from './pages.ts';
import { projectFigures } from './project-figures.ts';

export default async function dashboardRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const warn = (error: unknown) => app.log.warn({ err: error }, 'dashboard summaries not refreshed');
  const view = (template: string, locals: object) => app.view(template, locals);

  /**
   * The page, or only its figures when htmx asks (decided by reply.render, plugins/view.ts); the
   * figures' HTML is made once per page key, like the figures themselves.
   */
  async function renderDashboard(
    reply: FastifyReply,
    template: 'dashboards/index' | 'dashboards/collective',
    fragment: 'dashboards/_figures' | 'dashboards/_collective',
    page: FiguresPage,
  ) {
    const html = await dashboardHtml(db, reply.request.locale, page, fragment, view);
    return reply.render(template, { ...page.locals, ...html }, { fragmentHtml: html.figuresHtml });
  }

  app.get(
    '/dashboard',
    { schema: { querystring: query }, config: { access: rules.managers } },
    async (request, reply) => {
      const user = request.user!;
      // A coordinator of one collective asking for the page goes straight to their collective's.
      const own = request.htmx.partial ? null : ownCollectivePage(user, request.query);
      if (own) return reply.redirect(own, 303);
      const page = networkDashboard(db, user, request.query, request, warn);
      return renderDashboard(reply, 'dashboards/index', 'dashboards/_figures', page);
    },
  );

  // Each table of the dashboard as CSV (the same filters): collectives, skills, the monthly trend,
  // the projects per collective, or their co-funding per collective and kind of funder.
  app.get(
    '/dashboard.csv',
    { schema: { querystring: tableQuery }, config: { access: rules.managers } },
    async (request, reply) => {
      const collective = collectiveParam(db, request.user!, request.query.collective);
      const state = readFilters(db, request.user!, request.query, request.t, collective?.id);
      const table = request.query.table ?? 'collectives';
      const data = currentFigures(db, state.filters, warn);
      const csv = dashboardCsv(request.t, data, table, projectFigures(db, data.rows, state.filters));
      return sendCsv(reply, tableFileName(table, collective), csv);
    },
  );

  // A collective's dashboard: its line, skills and trend, then its OSIMs and each member's progress.
  app.get(
    '/dashboard/collectives/:id',
    { schema: { params: params.id(), querystring: collectiveQuery }, config: { access: rules.managers } },
    async (request, reply) => {
      const page = collectiveDashboard(db, request.user!, request.params.id, request.query, request, warn);
      return renderDashboard(reply, 'dashboards/collective', 'dashboards/_collective', page);
    },
  );

  app.get(
    '/dashboard/collectives/:id/osims.csv',
    { schema: { params: params.id(), querystring: query }, config: { access: rules.managers } },
    async (request, reply) => {
      const { collective, osims } = collectiveOsims(
        db,
        request.user!,
        request.params.id,
        request.query,
        request.t,
        warn,
      );
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
    async (request, reply) =>
      reply.render(
        'dashboards/report',
        collectiveReport(db, request.user!, request.params.id, request.query, request, warn),
      ),
  );
}

function sendCsv(reply: FastifyReply, filename: string, csv: string) {
  return asDownload(reply, 'text/csv; charset=utf-8', filename).send(csv);
}

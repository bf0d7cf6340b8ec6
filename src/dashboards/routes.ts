// The dashboards: the national team sees every COSIM and FOSIM, a coordinator their own
// collective(s). Filters travel in the URL (shareable, the back button works); htmx swaps only the
// figures. A coordinator's filters are always narrowed to their collectives, whatever the URL says.

import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { spreadsheetCsv } from '../lib/csv.ts';
import type { ZodTypeProvider } from '../lib/forms.ts';
import { managementScope } from '../organizations/scope.ts';
import type { CurrentUser } from '../people/users.ts';
import { BUCKETS, collectiveFigures, type DashboardFilters, skillsHeatMap } from './figures.ts';

const managers = { roles: ['admin', 'coordinator'] } as const;

const query = z.object({
  region: z.string().max(80).optional().catch(undefined),
  qpv: z.enum(['1']).optional().catch(undefined),
});

export default async function dashboardRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  /** The figures the person may see, for the filters of the URL (narrowed to their collectives). */
  function figuresFor(user: CurrentUser, q: z.output<typeof query>) {
    const scope = managementScope(user);
    const regions = db
      .all<{ region: string }>(
        sql`SELECT DISTINCT region FROM organizations WHERE kind IN ('cosim', 'fosim') AND region IS NOT NULL AND archived_at IS NULL ORDER BY region`,
      )
      .map((r) => r.region);
    const region = q.region && regions.includes(q.region) ? q.region : null;
    const filters: DashboardFilters = {
      collectiveIds: scope.all ? null : scope.collectiveIds,
      region,
      qpvOnly: q.qpv === '1',
    };
    const rows = collectiveFigures(db, filters);
    const heat = skillsHeatMap(db, filters);
    const skills = db.all<{ code: string; title: string }>(
      sql`SELECT code, title FROM skills WHERE archived_at IS NULL ORDER BY position`,
    );
    const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0);
    const totals = {
      invited: sum((r) => r.invited),
      members: sum((r) => r.members),
      enrolled: sum((r) => r.enrolled),
      active30: sum((r) => r.active30),
      quizzesAttempted: sum((r) => r.quizzesAttempted),
      quizzesPassed: sum((r) => r.quizzesPassed),
      gatheringsHeld: sum((r) => r.gatheringsHeld),
      seatsConfirmed: sum((r) => r.seatsConfirmed),
      present: sum((r) => r.present),
      certificates: sum((r) => r.certificates),
    };
    return {
      national: scope.all,
      rows,
      totals,
      heat,
      skills,
      buckets: BUCKETS,
      regions: scope.all ? regions : [],
      filters: { region: region ?? '', qpv: filters.qpvOnly },
    };
  }

  app.get(
    '/dashboard',
    { schema: { querystring: query }, config: { access: managers } },
    async (request, reply) =>
      reply.render('dashboards/index', figuresFor(request.user!, request.query), {
        fragment: 'dashboards/_figures',
      }),
  );

  // The table as CSV (the same filters): one line per collective, then the total.
  app.get(
    '/dashboard.csv',
    { schema: { querystring: query }, config: { access: managers } },
    async (request, reply) => {
      const t = request.t;
      const data = figuresFor(request.user!, request.query);
      const pct = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) : '');
      const csv = spreadsheetCsv(
        [
          t('dashboard.col.collective'),
          t('dashboard.col.invited'),
          t('dashboard.col.members'),
          t('dashboard.col.enrolled'),
          t('dashboard.col.active'),
          `${t('dashboard.col.median')} (%)`,
          ...BUCKETS.map((b) => `${t('dashboard.col.distribution')} ${b}`),
          `${t('dashboard.col.quizzes')} (%)`,
          t('dashboard.col.held'),
          `${t('dashboard.col.attendance')} (%)`,
          t('dashboard.col.certificates'),
        ],
        [
          ...data.rows.map((r) => [
            r.name,
            r.invited,
            r.members,
            r.enrolled,
            r.active30,
            r.medianPercent ?? '',
            ...r.distribution,
            pct(r.quizzesPassed, r.quizzesAttempted),
            r.gatheringsHeld,
            pct(r.present, r.seatsConfirmed),
            r.certificates,
          ]),
          [
            t('dashboard.total'),
            data.totals.invited,
            data.totals.members,
            data.totals.enrolled,
            data.totals.active30,
            '',
            ...BUCKETS.map(() => ''),
            pct(data.totals.quizzesPassed, data.totals.quizzesAttempted),
            data.totals.gatheringsHeld,
            pct(data.totals.present, data.totals.seatsConfirmed),
            data.totals.certificates,
          ],
        ],
      );
      return reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', 'attachment; filename="tableau-de-bord.csv"')
        .header('Cache-Control', 'private, no-store')
        .send(csv);
    },
  );
}

// The dashboards: the national team sees every COSIM and FOSIM, a coordinator their own
// collective(s). Filters travel in the URL (shareable, the back button works); htmx swaps only the
// figures. A coordinator's filters are always narrowed to their collectives, whatever the URL says.

import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from '../lib/forms.ts';
import { managementScope } from '../organizations/scope.ts';
import { BUCKETS, collectiveFigures, type DashboardFilters, skillsHeatMap } from './figures.ts';

const query = z.object({
  region: z.string().max(80).optional().catch(undefined),
  qpv: z.enum(['1']).optional().catch(undefined),
});

export default async function dashboardRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  app.get(
    '/dashboard',
    { schema: { querystring: query }, config: { access: { roles: ['admin', 'coordinator'] } } },
    async (request, reply) => {
      const scope = managementScope(request.user!);
      const regions = db
        .all<{ region: string }>(
          sql`SELECT DISTINCT region FROM organizations WHERE kind IN ('cosim', 'fosim') AND region IS NOT NULL AND archived_at IS NULL ORDER BY region`,
        )
        .map((r) => r.region);
      const region =
        request.query.region && regions.includes(request.query.region) ? request.query.region : null;
      const filters: DashboardFilters = {
        collectiveIds: scope.all ? null : scope.collectiveIds,
        region,
        qpvOnly: request.query.qpv === '1',
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
      return reply.render(
        'dashboards/index',
        {
          national: scope.all,
          rows,
          totals,
          heat,
          skills,
          buckets: BUCKETS,
          regions: scope.all ? regions : [],
          filters: { region: region ?? '', qpv: filters.qpvOnly },
        },
        { fragment: 'dashboards/_figures' },
      );
    },
  );
}

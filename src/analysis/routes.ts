// FORIM's analysis of the fiches d'expérience, for the national team: the figures page, every
// counted fiche as CSV, and the printable portrait. One filter travels in the URL: `published=1`
// counts published fiches only (any other value is ignored, never an error).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { asDownload } from '../lib/download.ts';
import type { ZodTypeProvider } from '../lib/forms.ts';
import { formatCalendarDate, parisDay } from '../lib/time.ts';
import { rules } from '../policy/route-rules.ts';
import { type AnalysisFilter, analyse, countedFiches } from './analysis.ts';
import { fichesCsv, fichesCsvName } from './fiches-csv.ts';
import { portraitActions } from './portrait.ts';

const query = z.object({ published: z.enum(['1']).optional().catch(undefined) });

function filterOf(q: z.output<typeof query>): AnalysisFilter & { qs: string } {
  const publishedOnly = q.published === '1';
  return { publishedOnly, qs: publishedOnly ? 'published=1' : '' };
}

export default async function analysisRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const access = rules.national;

  app.get('/analysis', { schema: { querystring: query }, config: { access } }, async (request, reply) => {
    const filter = filterOf(request.query);
    const analysis = analyse(countedFiches(db, filter));
    return reply.render('analysis/index', { ...filter, analysis });
  });

  app.get(
    '/analysis/fiches.csv',
    { schema: { querystring: query }, config: { access } },
    async (request, reply) => {
      const filter = filterOf(request.query);
      const csv = fichesCsv(request.t, countedFiches(db, filter));
      return asDownload(reply, 'text/csv; charset=utf-8', fichesCsvName(filter.publishedOnly)).send(csv);
    },
  );

  app.get(
    '/analysis/portrait',
    { schema: { querystring: query }, config: { access } },
    async (_request, reply) => {
      // It leaves the network (a funder, a press kit): published fiches only, whatever the URL says.
      const filter = filterOf({ published: '1' });
      const fiches = countedFiches(db, filter);
      return reply.render('analysis/portrait', {
        ...filter,
        analysis: analyse(fiches),
        actions: portraitActions(fiches),
        generatedOn: formatCalendarDate(parisDay(Date.now())),
      });
    },
  );
}

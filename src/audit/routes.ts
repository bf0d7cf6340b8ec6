// The audit log page, for the national team: who did what to whom, when, newest first.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { params, type ZodTypeProvider } from '../lib/forms.ts';
import { rules } from '../policy/route-rules.ts';
import { auditLogPage } from './audit.ts';

const query = z.object({ page: params.page() });

export default async function auditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  app.get(
    '/admin/audit',
    { schema: { querystring: query }, config: { access: rules.national } },
    async (request, reply) => reply.render('audit/index', auditLogPage(db, request.query.page ?? 1)),
  );
}

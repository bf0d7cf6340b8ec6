// GET /healthz: the app answers and its database too.
import type { FastifyInstance } from 'fastify';
import { checkDatabase } from './check.ts';

export default async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', { config: { access: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    checkDatabase(app.deps.db);
    return reply.header('Cache-Control', 'no-store').send({ status: 'ok' });
  });
}

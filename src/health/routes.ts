// GET /healthz: the app answers and its database too.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';

export default async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', { config: { access: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    app.deps.db.get(sql`SELECT 1`);
    return reply.header('Cache-Control', 'no-store').send({ status: 'ok' });
  });
}

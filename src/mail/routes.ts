// The outbox page: what Passerelle sent (or would have sent, without SMTP), for the national team,
// links masked as outbox-page.ts says.
import type { FastifyInstance } from 'fastify';
import { rules } from '../policy/route-rules.ts';
import { outboxPage } from './outbox-page.ts';

export default async function outboxRoutes(app: FastifyInstance) {
  const { db, mailer } = app.deps;
  app.get('/admin/outbox', { config: { access: rules.national } }, async (_request, reply) => {
    // Never stored by anyone on the way: a pending invitation's link may be on it.
    return reply
      .header('Cache-Control', 'private, no-store')
      .render('mail/outbox', { ...outboxPage(db, mailer) });
  });
}

// The outbox page: what Passerelle sent (or would have sent, without SMTP), for the national team.
import type { FastifyInstance } from 'fastify';
import { listOutbox } from './outbox.ts';

export default async function outboxRoutes(app: FastifyInstance) {
  const { db, mailer } = app.deps;
  app.get('/admin/outbox', { config: { access: { roles: ['admin'] } } }, async (_request, reply) => {
    return reply.render('mail/outbox', { mails: listOutbox(db), smtpEnabled: mailer.smtpEnabled });
  });
}

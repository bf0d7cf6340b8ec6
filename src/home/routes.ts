// The home page: one per role (the person's widest role picks it), each with the work waiting.
import type { FastifyInstance } from 'fastify';
import { adminHome, coordinatorHome, memberHome, trainerHome } from './home-data.ts';

export default async function homeRoutes(app: FastifyInstance) {
  const { db } = app.deps;

  app.get('/', { config: { access: 'signed-in' } }, async (request, reply) => {
    const user = request.user!;
    switch (user.primaryRole) {
      case 'admin':
        return reply.render('home/admin', adminHome(db, user));
      case 'coordinator':
        return reply.render('home/coordinator', coordinatorHome(db, user));
      case 'trainer':
        return reply.render('home/trainer', trainerHome(db, user));
      case 'member':
        return reply.render('home/member', memberHome(db, user));
      default:
        return reply.render('home/no-role');
    }
  });
}

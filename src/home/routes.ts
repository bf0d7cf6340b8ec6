// The home page: one per role (the person's widest role picks it).
import type { FastifyInstance } from 'fastify';
import { adminHome, collectiveHome, memberHome } from './home-data.ts';

export default async function homeRoutes(app: FastifyInstance) {
  const { db } = app.deps;

  app.get('/', { config: { access: 'signed-in' } }, async (request, reply) => {
    const user = request.user!;
    switch (user.primaryRole) {
      case 'admin':
        return reply.render('home/admin', adminHome(db));
      case 'coordinator':
        return reply.render('home/coordinator', { collectives: collectiveHome(db, user, 'coordinator') });
      case 'trainer':
        return reply.render('home/trainer', { collectives: collectiveHome(db, user, 'trainer') });
      case 'member':
        return reply.render('home/member', memberHome(db, user));
      default:
        return reply.render('home/no-role');
    }
  });
}

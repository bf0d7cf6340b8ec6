// The home page: one per role (the person's widest role picks it), each with the work waiting.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';
import type { Role } from '../db/schema.ts';
import type { CurrentUser } from '../people/users.ts';
import { rules } from '../policy/route-rules.ts';
import type { Views } from '../views.ts';
import { adminHome, coordinatorHome, memberHome, trainerHome } from './home-data.ts';

/** Each role's home: its template, and the data it shows (of that template's type, src/views.ts). */
type Homes = { [R in Role]: { view: `home/${R}`; data: (db: Db, user: CurrentUser) => Views[`home/${R}`] } };

/** The home of each role: the person's widest role (policy.ts: ROLES_WIDEST_FIRST) picks it. */
const homes: Homes = {
  admin: { view: 'home/admin', data: adminHome },
  coordinator: { view: 'home/coordinator', data: coordinatorHome },
  trainer: { view: 'home/trainer', data: trainerHome },
  member: { view: 'home/member', data: memberHome },
};

export default async function homeRoutes(app: FastifyInstance) {
  const { db } = app.deps;

  app.get('/', { config: { access: rules.signedIn } }, async (request, reply) => {
    const user = request.user!;
    const home = user.primaryRole ? homes[user.primaryRole] : null;
    return home ? reply.renderKept(home.view, () => home.data(db, user)) : reply.render('home/no-role', {});
  });
}

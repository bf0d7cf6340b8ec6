// The people directory and a person's page, for the national team and coordinators: search,
// roles (grant, withdraw), disable and enable an account. Scoped: a coordinator sees and acts on
// the people of their collective only; anyone else's page is a 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { roles } from '../db/schema.ts';
import { RuleError } from '../lib/errors.ts';
import { fields, params, type ZodTypeProvider } from '../lib/forms.ts';
import { managementScope } from '../organizations/scope.ts';
import {
  grantableRoles,
  mayDisableAccount,
  mayEraseAccounts,
  mayGrantRole,
  mayReEnable,
} from '../policy/policy.ts';
import { rules } from '../policy/route-rules.ts';
import { isErased } from '../privacy/erase.ts';
import { accountFacts, disableAccount, enableAccount } from './accounts.ts';
import { searchPeople } from './directory.ts';
import { getPersonView, grantableOrganizations } from './person.ts';
import { grantRole, withdrawRole } from './roles.ts';

const directoryQuery = z.object({
  q: z.string().max(200).optional().catch(undefined),
  page: params.page(),
});
const grantBody = z.object({
  _csrf: fields.csrf(),
  organizationId: fields.requiredId(),
  role: z.enum(roles, { error: 'form.chooseOne' }),
});
const withdrawParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  membershipId: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});

export default async function peopleRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  app.get(
    '/people',
    { schema: { querystring: directoryQuery }, config: { access: rules.managers } },
    async (request, reply) => {
      const result = searchPeople(db, managementScope(request.user!), {
        query: request.query.q,
        page: request.query.page,
      });
      // The search box updates the results in place (htmx); without JavaScript it is a GET form.
      return reply.render('people/index', { result }, { fragment: 'people/_results' });
    },
  );

  function renderPerson(
    request: FastifyRequest,
    reply: FastifyReply,
    userId: number,
    state: { grantError?: string; status?: number } = {},
  ) {
    const actor = request.user!;
    const scope = managementScope(actor);
    const person = getPersonView(db, scope, userId);
    const account = accountFacts(db, actor, userId);
    return reply.render(
      'people/show',
      {
        person: {
          ...person,
          roles: person.roles.map((r) => ({
            ...r,
            withdrawable: mayGrantRole(actor, r.role, {
              id: r.organizationId,
              parentId: r.parentId,
              federationId: r.federationId,
            }),
          })),
        },
        organizations: grantableOrganizations(db, scope),
        grantableRoles: grantableRoles(actor),
        grantError: state.grantError ?? null,
        isSelf: actor.id === userId,
        account: {
          mayDisable: mayDisableAccount(actor, account),
          mayEnable: mayReEnable(actor, account),
          disabledAuthority: account.disabledAuthority,
        },
        erasable: mayEraseAccounts(actor) && !isErased(db, person.user.id),
      },
      { status: state.status },
    );
  }

  app.get(
    '/people/:id',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => renderPerson(request, reply, request.params.id),
  );

  app.post(
    '/people/:id/roles',
    {
      schema: { params: params.id(), body: grantBody },
      attachValidation: true,
      config: { access: rules.managers },
    },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const user = request.user!;
      if (request.validationError) {
        return renderPerson(request, reply, id, { grantError: request.t('form.chooseOne'), status: 422 });
      }
      try {
        grantRole(db, user, id, request.body.organizationId, request.body.role);
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        return renderPerson(request, reply, id, {
          grantError: request.t(error.key, error.params),
          status: 422,
        });
      }
      reply.flash('roles.flash.granted');
      return reply.redirect(`/people/${id}`, 303);
    },
  );

  app.post(
    '/people/:id/roles/:membershipId/withdraw',
    { schema: { params: withdrawParams }, config: { access: rules.managers } },
    async (request, reply) => {
      const { id, membershipId } = request.params;
      const { userId } = withdrawRole(db, request.user!, membershipId);
      if (userId !== id) return reply.redirect(`/people/${userId}`, 303);
      reply.flash('roles.flash.withdrawn');
      return reply.redirect(`/people/${id}`, 303);
    },
  );

  app.post(
    '/people/:id/disable',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      disableAccount(db, request.user!, request.params.id);
      reply.flash('accounts.flash.disabled');
      return reply.redirect(`/people/${request.params.id}`, 303);
    },
  );

  app.post(
    '/people/:id/enable',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      enableAccount(db, request.user!, request.params.id);
      reply.flash('accounts.flash.enabled');
      return reply.redirect(`/people/${request.params.id}`, 303);
    },
  );
}

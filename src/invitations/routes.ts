// Inviting people one at a time, and coming back to the invitations: each pending one keeps its
// link to copy (many members are reached by WhatsApp or SMS), on the list, on its own page and in
// a CSV for a mail merge. Every page after a form is a GET that can be reloaded (Post/Redirect/Get).
// The CSV import is in import-routes.ts.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { invitationLinks } from '../auth/invitations.ts';
import { roles } from '../db/schema.ts';
import { asDownload } from '../lib/download.ts';
import { NotFoundError, RuleError } from '../lib/errors.ts';
import { fieldErrors, fields, keptValues, msg, params, type ZodTypeProvider } from '../lib/forms.ts';
import { managementScope } from '../organizations/scope.ts';
import { grantableOrganizations } from '../people/person.ts';
import { grantableRoles } from '../policy/policy.ts';
import { rules } from '../policy/route-rules.ts';
import { recentImports } from './csv-import.ts';
import importRoutes from './import-routes.ts';
import { getInvitationCard, linksCsv, listInvitations, listStatuses, pendingLinks } from './listing.ts';
import { invitePerson, reinvite, resendInvitation, revokeInvitation } from './manage.ts';

// The coordinator types someone else's name and address: the messages say « la personne ».
const inviteBody = z.object({
  _csrf: fields.csrf(),
  displayName: fields.requiredText(120, 'invite.error.nameRequired'),
  email: z
    .string({ error: msg('invite.error.emailRequired') })
    .trim()
    .min(1, { error: msg('invite.error.emailRequired') })
    .pipe(fields.email()),
  organizationId: fields.requiredId(),
  role: z.enum(roles, { error: 'form.chooseOne' }),
});
const newQuery = z.object({
  organization: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional()
    .catch(undefined),
});
const listQuery = z.object({
  status: z.enum(listStatuses).optional().catch(undefined),
  q: z.string().max(100).optional().catch(undefined),
  page: params.page(),
});

export default async function invitationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;
  // Read (or created, on the first start) now: a broken secret file stops the start, not a page.
  const links = invitationLinks(config);

  function renderNew(
    reply: FastifyReply,
    values: Record<string, string>,
    errors: Record<string, string> = {},
    status?: number,
  ) {
    const user = reply.request.user!;
    return reply.render(
      'invitations/new',
      {
        values,
        errors,
        organizations: grantableOrganizations(db, managementScope(user)),
        grantableRoles: grantableRoles(user),
      },
      { status },
    );
  }

  app.get(
    '/invitations',
    { schema: { querystring: listQuery }, config: { access: rules.managers } },
    async (request, reply) => {
      const { status, q, page } = request.query;
      const result = listInvitations(db, request.user!, links, { status, query: q, page });
      const kept = new URLSearchParams();
      if (result.status !== 'pending') kept.set('status', result.status);
      if (result.query) kept.set('q', result.query);
      // The search box updates the results in place (htmx); without JavaScript it is a GET form.
      return reply.render(
        'invitations/index',
        {
          result,
          pageUrl: kept.size > 0 ? `/invitations?${kept}` : '/invitations',
          statuses: listStatuses,
          imports: recentImports(db, request.user!),
        },
        { fragment: 'invitations/_results' },
      );
    },
  );

  app.get('/invitations/pending.csv', { config: { access: rules.managers } }, async (request, reply) => {
    const csv = linksCsv(pendingLinks(db, request.user!, links), request.t);
    return asDownload(reply, 'text/csv; charset=utf-8', 'invitations-en-attente.csv').send(csv);
  });

  app.get(
    '/invitations/new',
    { schema: { querystring: newQuery }, config: { access: rules.managers } },
    async (request, reply) =>
      renderNew(reply, {
        displayName: '',
        email: '',
        organizationId: request.query.organization ?? '',
        role: 'member',
      }),
  );

  app.post(
    '/invitations',
    { schema: { body: inviteBody }, attachValidation: true, config: { access: rules.managers } },
    async (request, reply) => {
      const values = keptValues(request.body, ['displayName', 'email', 'organizationId', 'role']);
      if (request.validationError) {
        return renderNew(reply, values, fieldErrors(request.validationError, request.t), 422);
      }
      try {
        const { id } = invitePerson(db, mailer, links, request.user!, request.body);
        reply.flash('invite.flash.sent', { email: request.body.email });
        return reply.redirect(`/invitations/${id}`, 303);
      } catch (error) {
        if (error instanceof NotFoundError) {
          return renderNew(reply, values, { organizationId: request.t('form.chooseOne') }, 422);
        }
        if (!(error instanceof RuleError)) throw error;
        return renderNew(reply, values, { _form: request.t(error.key, error.params) }, 422);
      }
    },
  );

  app.get(
    '/invitations/:id',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) =>
      reply.render('invitations/show', {
        invitation: getInvitationCard(db, request.user!, links, request.params.id),
      }),
  );

  app.post(
    '/invitations/:id/resend',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      const { email } = resendInvitation(db, mailer, links, request.user!, request.params.id);
      reply.flash('invite.sent.resent', { email });
      return reply.redirect(`/invitations/${request.params.id}`, 303);
    },
  );

  // A revoked invitation stays revoked: « Inviter à nouveau » makes a new one, under the same rules.
  app.post(
    '/invitations/:id/reinvite',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      const { id, email } = reinvite(db, mailer, links, request.user!, request.params.id);
      reply.flash('invite.flash.reinvited', { email });
      return reply.redirect(`/invitations/${id}`, 303);
    },
  );

  app.post(
    '/invitations/:id/revoke',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      revokeInvitation(db, request.user!, request.params.id);
      reply.flash('invite.flash.revoked');
      return reply.redirect('/invitations', 303);
    },
  );

  await app.register(importRoutes, { links });
}

// Inviting people: one at a time, or a CSV list with a preview to confirm. Each invitation is
// emailed and shown as a link to copy (many members are reached by WhatsApp or SMS). The links
// exist only at that moment — only a hash is stored — so "resend" makes a new one.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { roles } from '../db/schema.ts';
import { NotFoundError, RuleError } from '../lib/errors.ts';
import { fieldErrors, fields, keptValues, params, type ZodTypeProvider } from '../lib/forms.ts';
import { managementScope } from '../organizations/scope.ts';
import { grantableOrganizations } from '../people/person.ts';
import { rolesGrantableBy } from '../people/roles.ts';
import {
  confirmImport,
  getImport,
  MAX_FILE_BYTES,
  parseInvitationCsv,
  previewRows,
  saveImport,
  summarize,
} from './csv-import.ts';
import {
  type InvitationStatus,
  invitePerson,
  listInvitations,
  resendInvitation,
  revokeInvitation,
} from './manage.ts';

const managers = { roles: ['admin', 'coordinator'] } as const;
const statuses = ['pending', 'accepted', 'expired', 'revoked'] as const;

const inviteBody = z.object({
  _csrf: fields.csrf(),
  displayName: fields.name(),
  email: fields.email(),
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
const listQuery = z.object({ status: z.enum(statuses).optional().catch(undefined) });

interface UploadedFile {
  filename: string;
  data: Buffer;
}
const importBody = z.object({
  _csrf: fields.csrf(),
  file: z.custom<UploadedFile>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      Buffer.isBuffer((v as UploadedFile).data) &&
      (v as UploadedFile).data.length > 0,
    { error: 'import.error.noFile' },
  ),
});

export default async function invitationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;
  // Only the CSV upload is multipart; its size is capped here, and the CSRF token is read from
  // the form's fields (attachFieldsToBody) before the route's handler runs.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5, parts: 6 },
    async onFile(part) {
      const data = await part.toBuffer();
      (part as unknown as { value: UploadedFile }).value = { filename: part.filename, data };
    },
  });

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
        grantableRoles: rolesGrantableBy(user),
      },
      { status },
    );
  }

  app.get(
    '/invitations',
    { schema: { querystring: listQuery }, config: { access: managers } },
    async (request, reply) => {
      const status = request.query.status as InvitationStatus | undefined;
      return reply.render('invitations/index', {
        invitations: listInvitations(db, request.user!, { status }),
        status: status ?? null,
        statuses,
      });
    },
  );

  app.get(
    '/invitations/new',
    { schema: { querystring: newQuery }, config: { access: managers } },
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
    { schema: { body: inviteBody }, attachValidation: true, config: { access: managers } },
    async (request, reply) => {
      const values = keptValues(request.body, ['displayName', 'email', 'organizationId', 'role']);
      if (request.validationError) {
        return renderNew(reply, values, fieldErrors(request.validationError, request.t), 422);
      }
      try {
        const { link } = invitePerson(db, mailer, config.baseUrl, request.user!, request.body);
        return reply.render('invitations/sent', {
          sent: [{ name: request.body.displayName, email: request.body.email, link }],
        });
      } catch (error) {
        if (error instanceof NotFoundError) {
          return renderNew(reply, values, { organizationId: request.t('form.chooseOne') }, 422);
        }
        if (!(error instanceof RuleError)) throw error;
        return renderNew(reply, values, { _form: request.t(error.key, error.params) }, 422);
      }
    },
  );

  app.post(
    '/invitations/:id/resend',
    { schema: { params: params.id() }, config: { access: managers } },
    async (request, reply) => {
      const { link, email } = resendInvitation(db, mailer, config.baseUrl, request.user!, request.params.id);
      return reply.render('invitations/sent', { sent: [{ name: '', email, link }], resent: true });
    },
  );

  app.post(
    '/invitations/:id/revoke',
    { schema: { params: params.id() }, config: { access: managers } },
    async (request, reply) => {
      revokeInvitation(db, request.user!, request.params.id);
      reply.flash('invite.flash.revoked');
      return reply.redirect('/invitations', 303);
    },
  );

  app.get('/invitations/import', { config: { access: managers } }, async (_request, reply) =>
    reply.render('invitations/import', { error: null }),
  );

  app.post(
    '/invitations/import',
    { schema: { body: importBody }, attachValidation: true, config: { access: managers } },
    async (request, reply) => {
      if (request.validationError) {
        return reply.render(
          'invitations/import',
          { error: request.t('import.error.noFile') },
          { status: 422 },
        );
      }
      try {
        const { file } = request.body;
        const rows = parseInvitationCsv(file.data);
        const id = saveImport(db, request.user!, file.filename, rows);
        return reply.redirect(`/invitations/import/${id}`, 303);
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        return reply.render(
          'invitations/import',
          { error: request.t(error.key, error.params) },
          { status: 422 },
        );
      }
    },
  );

  app.get(
    '/invitations/import/:id',
    { schema: { params: params.id() }, config: { access: managers } },
    async (request, reply) => {
      const saved = getImport(db, request.user!, request.params.id);
      const rows = previewRows(db, request.user!, saved.rows);
      return reply.render('invitations/preview', { saved, rows, counts: summarize(rows) });
    },
  );

  app.post(
    '/invitations/import/:id/confirm',
    { schema: { params: params.id() }, config: { access: managers } },
    async (request, reply) => {
      const result = confirmImport(db, mailer, config.baseUrl, request.user!, request.params.id);
      return reply.render('invitations/sent', {
        sent: result.created.map((c) => ({
          name: c.name,
          email: c.email,
          link: c.link,
          organizationName: c.organizationName,
        })),
        skipped: result.skipped,
      });
    },
  );
}

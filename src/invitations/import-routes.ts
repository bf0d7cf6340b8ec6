// Inviting a CSV list: the form (with a template to download), the upload, one page per import
// that shows the preview to confirm and, once confirmed, the invitations it made with their links
// (a GET: reloading it, or confirming twice, is never an error), and those links as a CSV.
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { InvitationLinks } from '../auth/invitations.ts';
import { asDownload } from '../lib/download.ts';
import { RuleError } from '../lib/errors.ts';
import { fields, params, type ZodTypeProvider } from '../lib/forms.ts';
import { rules } from '../policy/route-rules.ts';
import {
  confirmImport,
  getImport,
  importOutcome,
  importPreview,
  MAX_FILE_BYTES,
  parseInvitationCsv,
  saveImport,
  TEMPLATE_CSV,
} from './csv-import.ts';
import { linksCsv, listInvitations, pendingLinks } from './listing.ts';

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
const previewQuery = z.object({
  page: params.page(),
  show: z.enum(['errors']).optional().catch(undefined),
});
/**
 * Reading and checking a list costs a few hundred milliseconds for 5,000 rows: a coordinator
 * uploads a handful of files in a row, not more (per account, whatever the address).
 */
const UPLOADS_PER_MINUTE = 10;

export default async function importRoutes(fastify: FastifyInstance, options: { links: InvitationLinks }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer } = app.deps;
  const { links } = options;
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

  app.get('/invitations/import', { config: { access: rules.managers } }, async (_request, reply) =>
    reply.render('invitations/import', { error: null }),
  );

  app.get(
    '/invitations/import/template.csv',
    { config: { access: rules.managers } },
    async (_request, reply) =>
      asDownload(reply, 'text/csv; charset=utf-8', 'modele-invitations.csv').send(TEMPLATE_CSV),
  );

  app.post(
    '/invitations/import',
    {
      schema: { body: importBody },
      attachValidation: true,
      config: {
        access: rules.managers,
        rateLimit: {
          // Counted once the body is read: a file refused as too large or broken costs no upload.
          hook: 'preHandler',
          max: UPLOADS_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (request) => `invitation-import:${request.user?.id ?? request.ip}`,
        },
      },
    },
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
    { schema: { params: params.id(), querystring: previewQuery }, config: { access: rules.managers } },
    async (request, reply) => {
      const saved = getImport(db, request.user!, request.params.id);
      if (!saved.confirmedAt) {
        const errorsOnly = request.query.show === 'errors';
        const preview = importPreview(db, request.user!, saved, {
          page: request.query.page ?? 1,
          errorsOnly,
        });
        return reply.render('invitations/preview', { saved, preview, errorsOnly });
      }
      const result = listInvitations(db, request.user!, links, {
        status: 'all',
        importId: saved.id,
        page: request.query.page,
      });
      return reply.render('invitations/imported', {
        saved,
        result,
        pageUrl: `/invitations/import/${saved.id}`,
        outcome: importOutcome(db, saved.id, saved.rows.length),
      });
    },
  );

  app.post(
    '/invitations/import/:id/confirm',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      confirmImport(db, mailer, links, request.user!, request.params.id);
      return reply.redirect(`/invitations/import/${request.params.id}`, 303);
    },
  );

  app.get(
    '/invitations/import/:id/links.csv',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      const saved = getImport(db, request.user!, request.params.id);
      const csv = linksCsv(pendingLinks(db, request.user!, links, { importId: saved.id }), request.t);
      return asDownload(reply, 'text/csv; charset=utf-8', `invitations-liste-${saved.id}.csv`).send(csv);
    },
  );
}

// Certificates and skills: the member's skills page and certificates (PDF, Open Badges
// credential), revocation by the national team, and the public verification page. A cycle's
// certificate rules, manual issuing and bulk downloads, for its trainers, are in cycle-routes.ts.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Certificate, REVOCATION_CAUSES } from '../db/schema.ts';
import { asDownload } from '../lib/download.ts';
import { NotFoundError, RuleError } from '../lib/errors.ts';
import { fieldErrors, fields, keptValues, msg, params, type ZodTypeProvider } from '../lib/forms.ts';
import { formatCalendarDate, formatDay } from '../lib/time.ts';
import { mayRevokeCertificate } from '../policy/policy.ts';
import { rules } from '../policy/route-rules.ts';
import { certificateFileName, certificatePdf } from './certificate-pdf.ts';
import {
  findByCode,
  getCertificateFor,
  normalizeCode,
  revocationCauseLabel,
  revokeCertificate,
} from './certificates.ts';
import cycleCertificateRoutes from './cycle-routes.ts';
import { certificatesOverview } from './earning.ts';
import { certificateCredential, signCredential } from './openbadges.ts';
import { skillsProgress } from './progress.ts';

const revokeBody = z.object({
  _csrf: fields.csrf(),
  /** The published reason: one of a short list. */
  cause: z.enum(REVOCATION_CAUSES, { error: msg('certificate.field.causeRequired') }),
  /** The national team's own words, if any: internal, never on the verification page. */
  note: fields.optionalText(300),
});
/** What the revocation form shows: its choices and their words. */
const revokeForm = { causes: REVOCATION_CAUSES, causeLabel: revocationCauseLabel };
const verifyQuery = z.object({ code: z.string().max(100).optional().catch(undefined) });

/** What was typed, to show it back: no control characters (a NUL breaks the HTML), 40 characters. */
function shownCode(typed: string): string {
  return [...typed.replace(/[\p{Cc}\p{Cs}]/gu, '')].slice(0, 40).join('');
}

export default async function certificateRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const baseUrl = config.baseUrl;
  const verifyLimiter = app.createRateLimit({
    max: 30,
    timeWindow: 60_000,
    keyGenerator: (request) => `verify:${request.ip}`,
  });

  const verifyUrl = (code: string) => `${baseUrl}/verify/${code}`;

  // Form routes let a failed check through to re-show the form: a bad id in the URL is still 404.
  app.addHook('preHandler', async (request) => {
    if (request.validationError?.validationContext === 'params') throw new NotFoundError();
  });
  // A cycle's rules, learners and certificates (its trainers, the national team), under this hook.
  await app.register(cycleCertificateRoutes);

  // ——— The member's skills and certificates ———

  app.get('/skills', { config: { access: rules.own } }, async (request, reply) => {
    return reply.render('certificates/skills', { skills: skillsProgress(db, request.user!.id), who: null });
  });

  app.get('/certificates', { config: { access: rules.own } }, async (request, reply) => {
    return reply.render('certificates/index', {
      ...certificatesOverview(db, request.user!),
      formatCalendarDate,
    });
  });

  app.get(
    '/certificates/:id',
    { schema: { params: params.id() }, config: { access: rules.certificateReaders } },
    async (request, reply) => {
      const user = request.user!;
      const { certificate, cycle } = getCertificateFor(db, user, request.params.id);
      return reply.render('certificates/show', {
        certificate,
        cycle,
        verifyUrl: verifyUrl(certificate.code),
        mine: certificate.userId === user.id,
        canRevoke: mayRevokeCertificate(user) && !certificate.revokedAt,
        values: { cause: '', note: '' },
        errors: {},
        ...revokeForm,
        formatCalendarDate,
        formatDay,
      });
    },
  );

  app.get(
    '/certificates/:id/attestation.pdf',
    { schema: { params: params.id() }, config: { access: rules.certificateReaders } },
    async (request, reply) => {
      const { certificate } = getCertificateFor(db, request.user!, request.params.id);
      // A revoked attestation is not handed out again: the verification page says it is revoked.
      if (certificate.revokedAt) throw new RuleError('certificate.error.revokedPdf');
      const pdf = await certificatePdf({
        snapshot: certificate.snapshot,
        code: certificate.code,
        verifyUrl: verifyUrl(certificate.code),
      });
      return asDownload(reply, 'application/pdf', certificateFileName(certificate.snapshot)).send(pdf);
    },
  );

  app.get(
    '/certificates/:id/credential.jwt',
    { schema: { params: params.id() }, config: { access: rules.certificateReaders } },
    async (request, reply) => {
      const { certificate } = getCertificateFor(db, request.user!, request.params.id);
      // A revoked certificate is no longer handed out as a signed badge.
      if (certificate.revokedAt) throw new RuleError('certificate.error.revokedBadge');
      // The cycle's achievement as /ob/achievements serves it; signed with the key of SIGNING_KEY_PATH.
      const credential = certificateCredential(db, baseUrl, certificate);
      const jwt = await signCredential(db, config.signingKeyPath, credential);
      return asDownload(reply, 'application/jwt; charset=utf-8', `open-badge-${certificate.code}.jwt`).send(
        jwt,
      );
    },
  );

  app.post(
    '/certificates/:id/revoke',
    {
      schema: { params: params.id(), body: revokeBody },
      attachValidation: true,
      config: { access: rules.national },
    },
    async (request, reply) => {
      const user = request.user!;
      const { certificate, cycle } = getCertificateFor(db, user, (request.params as { id: number }).id);
      if (request.validationError) {
        return reply.render(
          'certificates/show',
          {
            certificate,
            cycle,
            verifyUrl: verifyUrl(certificate.code),
            mine: certificate.userId === user.id,
            canRevoke: !certificate.revokedAt,
            values: keptValues(request.body, ['cause', 'note']),
            errors: fieldErrors(request.validationError, request.t),
            ...revokeForm,
            formatCalendarDate,
            formatDay,
          },
          { status: 422 },
        );
      }
      revokeCertificate(db, user, certificate, { cause: request.body.cause, note: request.body.note });
      reply.flash('certificate.flash.revoked');
      return reply.redirect(`/certificates/${certificate.id}`, 303);
    },
  );

  // ——— Public verification ———

  app.get(
    '/verify',
    { schema: { querystring: verifyQuery }, config: { access: 'public' } },
    async (request, reply) => {
      const typed = request.query.code;
      if (typed !== undefined) {
        const code = normalizeCode(typed);
        if (code) return reply.redirect(`/verify/${code}`, 303);
        return reply.code(422).render('certificates/verify-form', { value: shownCode(typed), error: true });
      }
      return reply.render('certificates/verify-form', { value: '', error: false });
    },
  );

  app.get(
    '/verify/:code',
    { schema: { params: z.object({ code: z.string().max(100) }) }, config: { access: 'public' } },
    async (request, reply) => {
      const limit = await verifyLimiter(request);
      if (!limit.isAllowed && limit.isExceeded) {
        reply.header('Retry-After', String(limit.ttlInSeconds || 60));
        return reply.code(429).render('certificates/verify-form', { value: '', error: false, tooMany: true });
      }
      const certificate: Certificate | null = findByCode(db, request.params.code);
      reply.header('X-Robots-Tag', 'noindex').header('Cache-Control', 'no-store');
      if (!certificate) {
        return reply
          .code(404)
          .render('certificates/verify-unknown', { code: shownCode(request.params.code) });
      }
      // Once revoked, the page names nobody and gives the published cause only (verify.eta).
      return reply.render('certificates/verify', {
        certificate,
        causeLabel: certificate.revokedAt ? revocationCauseLabel(certificate.revokedCause) : '',
        formatCalendarDate,
        statusUrl: `${baseUrl}/ob/status/${certificate.code}`,
      });
    },
  );
}

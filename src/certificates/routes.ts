// Certificates and skills: the member's skills page and certificates (PDF, Open Badges
// credential), the cycle's certificate rules and manual issuing for its trainers, bulk downloads,
// revocation by the national team, and the public verification page.

import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { getManagedCycle, isEnrolled, listLearners } from '../cycles/cycles.ts';
import { type Certificate, type Cycle, cycles, REVOCATION_CAUSES } from '../db/schema.ts';
import { listGatherings } from '../gatherings/gatherings.ts';
import { catalog } from '../learning/catalog.ts';
import { asDownload } from '../lib/download.ts';
import { NotFoundError, RuleError } from '../lib/errors.ts';
import { fieldErrors, fields, keptValues, msg, params, type ZodTypeProvider } from '../lib/forms.ts';
import { formatCalendarDate, formatDay, today } from '../lib/time.ts';
import { mayRevokeCertificate } from '../policy/policy.ts';
import { rules } from '../policy/route-rules.ts';
import { certificateRegisterCsv, zipFiles } from './bundle.ts';
import { certificateFileName, certificatePdf } from './certificate-pdf.ts';
import {
  findByCode,
  getCertificateFor,
  issueCertificate,
  listCycleCertificates,
  liveCertificate,
  normalizeCode,
  revocationCauseLabel,
  revokeCertificate,
} from './certificates.ts';
import { certificatesOverview } from './earning.ts';
import { certificateCredential, signCredential } from './openbadges.ts';
import { evaluateRules, skillsProgress } from './progress.ts';

const learnerParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  userId: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});
const revokeBody = z.object({
  _csrf: fields.csrf(),
  /** The published reason: one of a short list. */
  cause: z.enum(REVOCATION_CAUSES, { error: msg('certificate.field.causeRequired') }),
  /** The national team's own words, if any: internal, never on the verification page. */
  note: fields.optionalText(300),
});
/** What the revocation form shows: its choices and their words. */
const revokeForm = { causes: REVOCATION_CAUSES, causeLabel: revocationCauseLabel };
const issueBody = z.object({
  _csrf: fields.csrf(),
  userId: fields.requiredId(),
  reason: fields.requiredText(300, 'certificate.field.issueReasonRequired'),
});
const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => [v ?? []].flat());
const rulesBody = z.object({
  _csrf: fields.csrf(),
  courseIds: idList,
  passMark: z
    .string()
    .trim()
    .regex(/^(\d{1,3})?$/, { error: msg('certificate.field.passMarkInvalid') })
    .transform((v) => (v === '' ? null : Number(v)))
    .refine((v) => v === null || (v >= 1 && v <= 100), { error: msg('certificate.field.passMarkInvalid') }),
  minGatherings: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, { error: msg('certificate.field.minGatheringsInvalid') })
    .transform(Number),
  gatheringIds: idList,
});
const verifyQuery = z.object({ code: z.string().max(100).optional().catch(undefined) });

/** What was typed, to show it back: no control characters (a NUL breaks the HTML), 40 characters. */
function shownCode(typed: string): string {
  return [...typed.replace(/[\p{Cc}\p{Cs}]/gu, '')].slice(0, 40).join('');
}

export default async function certificateRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;
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

  // ——— A cycle's rules, learners and certificates (its trainers, the national team) ———

  function rulesValues(cycle: Cycle): Record<string, string | string[]> {
    const r = cycle.certificateRules;
    return {
      courseIds: r.courseIds,
      passMark: r.passMark === null ? '' : String(r.passMark),
      minGatherings: String(r.minGatherings),
      gatheringIds: r.gatheringIds.map(String),
    };
  }

  function renderRules(
    reply: FastifyReply,
    cycle: Cycle,
    values: Record<string, string | string[]>,
    errors = {},
    status?: number,
  ) {
    return reply.render(
      'certificates/rules',
      {
        cycle,
        values,
        errors,
        courses: catalog(db).courses.map((c) => ({ id: c.id, title: c.title })),
        gatherings: listGatherings(db, cycle.id, reply.request.user!.id)
          .filter((g) => !g.cancelledAt)
          .map((g) => ({ id: String(g.id), title: g.title, date: formatDay(g.startsAt, g.timeZone) })),
      },
      { status },
    );
  }

  app.get(
    '/cycles/:id/rules',
    { schema: { params: params.id() }, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const cycle = getManagedCycle(db, request.user!, request.params.id);
      return renderRules(reply, cycle, rulesValues(cycle));
    },
  );

  app.post(
    '/cycles/:id/rules',
    {
      schema: { params: params.id(), body: rulesBody },
      attachValidation: true,
      config: { access: rules.cycleRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const cycle = getManagedCycle(db, user, (request.params as { id: number }).id);
      const raw = (request.body ?? {}) as Record<string, unknown>;
      const values = {
        courseIds: [raw.courseIds ?? []].flat().map(String),
        passMark: typeof raw.passMark === 'string' ? raw.passMark : '',
        minGatherings: typeof raw.minGatherings === 'string' ? raw.minGatherings : '',
        gatheringIds: [raw.gatheringIds ?? []].flat().map(String),
      };
      if (request.validationError)
        return renderRules(reply, cycle, values, fieldErrors(request.validationError, request.t), 422);
      const body = request.body;
      const known = new Set(catalog(db).courses.map((c) => c.id));
      const gatheringIds = new Set(listGatherings(db, cycle.id, user.id).map((g) => g.id));
      const chosenGatherings = body.gatheringIds.map(Number);
      if (body.courseIds.some((id) => !known.has(id)) || chosenGatherings.some((id) => !gatheringIds.has(id)))
        return renderRules(reply, cycle, values, { _form: request.t('form.invalidChoice') }, 422);
      if (body.courseIds.length === 0 && body.minGatherings === 0 && chosenGatherings.length === 0)
        return renderRules(
          reply,
          cycle,
          values,
          { courseIds: request.t('certificate.error.emptyRules') },
          422,
        );
      db.update(cycles)
        .set({
          certificateRules: {
            courseIds: catalog(db)
              .courses.map((c) => c.id)
              .filter((id) => body.courseIds.includes(id)),
            passMark: body.passMark,
            minGatherings: body.minGatherings,
            gatheringIds: chosenGatherings,
          },
        })
        .where(eq(cycles.id, cycle.id))
        .run();
      reply.flash('certificate.flash.rules');
      return reply.redirect(`/cycles/${cycle.id}#attestations`, 303);
    },
  );

  function learnerPage(
    reply: FastifyReply,
    cycle: Cycle,
    userId: number,
    state: { values?: Record<string, string>; errors?: Record<string, string>; status?: number } = {},
  ) {
    const learner = listLearners(db, cycle).find((l) => l.id === userId);
    if (!learner) throw new NotFoundError();
    return reply.render(
      'certificates/learner',
      {
        cycle,
        learner,
        skills: skillsProgress(db, userId),
        rules: evaluateRules(db, cycle, userId),
        certificate: liveCertificate(db, cycle.id, userId),
        formatCalendarDate,
        values: state.values ?? { reason: '' },
        errors: state.errors ?? {},
      },
      { status: state.status },
    );
  }

  app.get(
    '/cycles/:id/learners/:userId',
    { schema: { params: learnerParams }, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const cycle = getManagedCycle(db, request.user!, request.params.id);
      return learnerPage(reply, cycle, request.params.userId);
    },
  );

  app.post(
    '/cycles/:id/certificates',
    {
      schema: { params: params.id(), body: issueBody },
      attachValidation: true,
      config: { access: rules.cycleRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const cycle = getManagedCycle(db, user, (request.params as { id: number }).id);
      const raw = (request.body ?? {}) as Record<string, unknown>;
      const userId = Number(typeof raw.userId === 'string' ? raw.userId : Number.NaN);
      if (request.validationError) {
        if (!Number.isInteger(userId) || !isEnrolled(db, cycle.id, userId)) throw new NotFoundError();
        return learnerPage(reply, cycle, userId, {
          values: keptValues(request.body, ['reason']),
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      }
      if (!isEnrolled(db, cycle.id, request.body.userId))
        throw new RuleError('certificate.error.notEnrolled');
      const { certificate, created } = issueCertificate(db, {
        cycle,
        userId: request.body.userId,
        how: 'manual',
        by: user,
        reason: request.body.reason,
        mailer,
        baseUrl,
      });
      void mailer.flush();
      reply.flash(created ? 'certificate.flash.issued' : 'certificate.flash.alreadyIssued');
      return reply.redirect(`/certificates/${certificate.id}`, 303);
    },
  );

  function cycleBundle(cycleId: number, user: Parameters<typeof getManagedCycle>[1]) {
    const cycle = getManagedCycle(db, user, cycleId);
    return { cycle, list: listCycleCertificates(db, cycle.id) };
  }

  app.get(
    '/cycles/:id/certificates.zip',
    { schema: { params: params.id() }, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const { cycle, list } = cycleBundle(request.params.id, request.user!);
      const live = list.filter((c) => !c.revokedAt);
      const files = [];
      for (const c of live) {
        const data = await certificatePdf({
          snapshot: c.snapshot,
          code: c.code,
          verifyUrl: verifyUrl(c.code),
        });
        files.push({ name: certificateFileName(c.snapshot), data });
      }
      return asDownload(reply, 'application/zip', `attestations-cycle-${cycle.id}.zip`).send(
        Buffer.from(zipFiles(files)),
      );
    },
  );

  app.get(
    '/cycles/:id/certificates.csv',
    { schema: { params: params.id() }, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const { cycle, list } = cycleBundle(request.params.id, request.user!);
      const csv = certificateRegisterCsv(
        list.map((c) => ({
          code: c.code,
          name: c.snapshot.name,
          cycleName: c.snapshot.cycleName,
          collectiveName: c.snapshot.collectiveName ?? '',
          issuedOn: c.snapshot.issuedOn,
          issuedHow: c.issuedHow,
          hours: c.snapshot.hours,
          skills: c.snapshot.skills.map((s) => s.title).join(', '),
          status: c.revokedAt ? 'révoquée' : 'valide',
          revokedOn: c.revokedAt ? today('Europe/Paris', c.revokedAt) : '',
          revokedCause: c.revokedAt ? revocationCauseLabel(c.revokedCause) : '',
          revokedNote: c.revokedReason ?? '',
        })),
      );
      return asDownload(reply, 'text/csv; charset=utf-8', `registre-attestations-cycle-${cycle.id}.csv`).send(
        csv,
      );
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

// A cycle's certificates, for its trainers (and the national team): the certificate rules, each
// learner's standing against them and manual issuing, and the bulk downloads (attestations in a
// zip, the register as CSV). Registered by routes.ts, under its hook that turns a bad id into a 404.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { getManagedCycle, isEnrolled, listLearners } from '../cycles/cycles.ts';
import type { Cycle } from '../db/schema.ts';
import { asDownload } from '../lib/download.ts';
import { NotFoundError, RuleError } from '../lib/errors.ts';
import {
  fieldErrors,
  fields,
  keptValues,
  msg,
  params,
  ruleErrors,
  type ZodTypeProvider,
} from '../lib/forms.ts';
import { formatCalendarDate } from '../lib/time.ts';
import { rules } from '../policy/route-rules.ts';
import { cycleAttestationsZip, cycleRegisterCsv } from './bundle.ts';
import { rulesChoices, rulesValues, saveCertificateRules } from './certificate-rules.ts';
import { issueCertificate, listCycleCertificates, liveCertificate } from './certificates.ts';
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
    .string({ error: msg('certificate.field.passMarkInvalid') })
    .trim()
    .regex(/^(\d{1,3})?$/, { error: msg('certificate.field.passMarkInvalid') })
    .transform((v) => (v === '' ? null : Number(v)))
    .refine((v) => v === null || (v >= 1 && v <= 100), { error: msg('certificate.field.passMarkInvalid') }),
  minGatherings: z
    .string({ error: msg('certificate.field.minGatheringsInvalid') })
    .trim()
    .regex(/^\d{1,2}$/, { error: msg('certificate.field.minGatheringsInvalid') })
    .transform(Number),
  gatheringIds: idList,
  projectReady: fields.checkbox(),
});

export default async function cycleCertificateRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;
  const baseUrl = config.baseUrl;
  const verifyUrl = (code: string) => `${baseUrl}/verify/${code}`;

  function renderRules(
    reply: FastifyReply,
    cycle: Cycle,
    values: Record<string, string | string[]>,
    errors = {},
    status?: number,
  ) {
    return reply.render(
      'certificates/rules',
      { cycle, values, errors, ...rulesChoices(db, cycle, reply.request.user!.id) },
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
        projectReady: raw.projectReady === 'on' ? 'on' : '',
      };
      if (request.validationError)
        return renderRules(reply, cycle, values, fieldErrors(request.validationError, request.t), 422);
      const { courseIds, passMark, minGatherings, gatheringIds, projectReady } = request.body;
      try {
        saveCertificateRules(db, user, cycle, {
          courseIds,
          passMark,
          minGatherings,
          gatheringIds: gatheringIds.map(Number),
          projectReady,
        });
      } catch (error) {
        const rule = ruleErrors(error, request.t);
        if (!rule) throw error;
        return renderRules(reply, cycle, values, rule, 422);
      }
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
      const zip = await cycleAttestationsZip(list, verifyUrl);
      return asDownload(reply, 'application/zip', `attestations-cycle-${cycle.id}.zip`).send(
        Buffer.from(zip),
      );
    },
  );

  app.get(
    '/cycles/:id/certificates.csv',
    { schema: { params: params.id() }, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const { cycle, list } = cycleBundle(request.params.id, request.user!);
      const csv = cycleRegisterCsv(list);
      return asDownload(reply, 'text/csv; charset=utf-8', `registre-attestations-cycle-${cycle.id}.csv`).send(
        csv,
      );
    },
  );
}

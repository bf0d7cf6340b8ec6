// Séances over HTTP: scheduling one in a cycle, editing and cancelling it (with the emails to the
// people signed up), and its compte-rendu. The séance page with its sign-ups is signup-routes.ts,
// registered here. Access: every route is for signed-in people; what each may see or do is checked
// against the séance's cycle (gatherings.ts) — outside it, 404.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { getManagedCycle } from '../cycles/cycles.ts';
import type { Cycle, Gathering } from '../db/schema.ts';
import { catalog } from '../learning/catalog.ts';
import { RuleError } from '../lib/errors.ts';
import { isoDate, longText, notFoundOnBadParams, optionalLine, wallTime } from '../lib/form-fields.ts';
import {
  fieldErrors,
  fields,
  keptValues,
  msg,
  params,
  ruleErrors,
  type ZodTypeProvider,
} from '../lib/forms.ts';
import { formatRange, timeZoneIds, timeZones } from '../lib/time.ts';
import { rules } from '../policy/route-rules.ts';
import { gatheringValues, newGatheringValues, readGathering } from './gathering-form.ts';
import {
  cancelGathering,
  createGathering,
  facilitatorChoices,
  getManagedGathering,
  saveReport,
  signedUpPeople,
  updateGathering,
} from './gatherings.ts';
import signupRoutes from './signup-routes.ts';

const gatheringBody = z.object({
  _csrf: fields.csrf(),
  title: fields.requiredText(120, 'gathering.field.titleRequired'),
  courseId: z
    .string({ error: msg('form.invalidChoice') })
    .trim()
    .max(80, { error: msg('form.invalidChoice') })
    .optional()
    .transform((v) => (v ? v : null)),
  theme: optionalLine(200),
  facilitatorId: fields.requiredId(),
  date: isoDate('gathering.field.dateRequired'),
  startTime: wallTime('gathering.field.startRequired'),
  endTime: wallTime('gathering.field.endRequired'),
  timeZone: z.enum(timeZoneIds as [string, ...string[]], { error: msg('form.invalidChoice') }),
  mode: z.enum(['in_person', 'online', 'hybrid'], { error: msg('form.chooseOne') }),
  placeName: optionalLine(120),
  address: optionalLine(200),
  town: optionalLine(80),
  placeInQpv: fields.checkbox(),
  videoUrl: z
    .string({ error: msg('gathering.field.videoUrlInvalid') })
    .trim()
    .max(500, { error: msg('form.tooLong', { max: 500 }) })
    .refine((v) => v === '' || /^https:\/\/[^\s<>"]+$/.test(v), {
      error: msg('gathering.field.videoUrlInvalid'),
    })
    .optional()
    .transform((v) => v ?? ''),
  capacity: z
    .string({ error: msg('gathering.field.capacityRequired') })
    .trim()
    .regex(/^\d{1,4}$/, { error: msg('gathering.field.capacityInvalid') })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, { error: msg('gathering.field.capacityInvalid') }),
  agenda: longText(2000),
  confirmOverlap: fields.checkbox(),
});
const gatheringFormFields = [
  'title',
  'courseId',
  'theme',
  'facilitatorId',
  'date',
  'startTime',
  'endTime',
  'timeZone',
  'mode',
  'placeName',
  'address',
  'town',
  'placeInQpv',
  'videoUrl',
  'capacity',
  'agenda',
] as const;

const cancelBody = z.object({
  _csrf: fields.csrf(),
  reason: fields.requiredText(300, 'gathering.field.reasonRequired'),
});
const reportBody = z.object({
  _csrf: fields.csrf(),
  report: longText(6000, 'gathering.field.reportRequired'),
});

export default async function gatheringRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;
  const baseUrl = config.baseUrl;
  app.addHook('preHandler', notFoundOnBadParams);
  // The séance page and its sign-ups live in their own file (under this hook).
  await app.register(signupRoutes);

  function renderGatheringForm(
    reply: FastifyReply,
    cycle: Cycle,
    state: {
      gathering?: Gathering;
      values: Record<string, string>;
      errors?: Record<string, string>;
      overlaps?: Array<{ title: string; when: string }>;
      status?: number;
    },
  ) {
    return reply.render(
      'gatherings/form',
      {
        cycle,
        gathering: state.gathering ?? null,
        values: state.values,
        errors: state.errors ?? {},
        overlaps: state.overlaps ?? [],
        facilitators: facilitatorChoices(db, cycle),
        courses: catalog(db).courses.map((c) => ({ id: c.id, name: c.title })),
        timeZones: timeZones.map((z) => ({
          id: z.id,
          name: reply.request.t('time.zoneOption', { name: z.name }),
        })),
      },
      { status: state.status },
    );
  }

  app.get(
    '/cycles/:id/gatherings/new',
    { schema: { params: params.id() }, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const cycle = getManagedCycle(db, request.user!, request.params.id);
      return renderGatheringForm(reply, cycle, {
        values: newGatheringValues(request.user!),
      });
    },
  );

  app.post(
    '/cycles/:id/gatherings',
    {
      schema: { params: params.id(), body: gatheringBody },
      attachValidation: true,
      config: { access: rules.cycleRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const cycle = getManagedCycle(db, user, (request.params as { id: number }).id);
      const values = keptValues(request.body, gatheringFormFields);
      if (request.validationError)
        return renderGatheringForm(reply, cycle, {
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      const read = readGathering(db, request.t, request.body);
      if ('errors' in read) return renderGatheringForm(reply, cycle, { values, ...read, status: 422 });
      try {
        const id = createGathering(db, user, cycle, read.input);
        reply.flash('gathering.flash.created', { title: read.input.title });
        return reply.redirect(`/gatherings/${id}`, 303);
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        return renderGatheringForm(reply, cycle, { values, errors, status: 422 });
      }
    },
  );

  app.get(
    '/gatherings/:id/edit',
    { schema: { params: params.id() }, config: { access: rules.seanceRunners } },
    async (request, reply) => {
      const { gathering, cycle } = getManagedGathering(db, request.user!, request.params.id);
      if (gathering.cancelledAt) throw new RuleError('gathering.error.cancelled');
      return renderGatheringForm(reply, cycle, { gathering, values: gatheringValues(gathering) });
    },
  );

  app.post(
    '/gatherings/:id',
    {
      schema: { params: params.id(), body: gatheringBody },
      attachValidation: true,
      config: { access: rules.seanceRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const { gathering, cycle } = getManagedGathering(db, user, (request.params as { id: number }).id);
      const values = keptValues(request.body, gatheringFormFields);
      if (request.validationError)
        return renderGatheringForm(reply, cycle, {
          gathering,
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      const read = readGathering(db, request.t, request.body, gathering.id);
      if ('errors' in read)
        return renderGatheringForm(reply, cycle, { gathering, values, ...read, status: 422 });
      try {
        updateGathering(db, mailer, baseUrl, user, cycle, gathering, read.input);
        reply.flash('gathering.flash.updated');
        return reply.redirect(`/gatherings/${gathering.id}`, 303);
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        return renderGatheringForm(reply, cycle, { gathering, values, errors, status: 422 });
      }
    },
  );

  app.get(
    '/gatherings/:id/cancel',
    { schema: { params: params.id() }, config: { access: rules.seanceRunners } },
    async (request, reply) => {
      const { gathering, cycle } = getManagedGathering(db, request.user!, request.params.id);
      return reply.render('gatherings/cancel', {
        gathering,
        cycle,
        when: formatRange(gathering.startsAt, gathering.endsAt, gathering.timeZone),
        people: signedUpPeople(db, gathering.id).length,
        values: { reason: '' },
        errors: {},
      });
    },
  );

  app.post(
    '/gatherings/:id/cancel',
    {
      schema: { params: params.id(), body: cancelBody },
      attachValidation: true,
      config: { access: rules.seanceRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const { gathering, cycle } = getManagedGathering(db, user, (request.params as { id: number }).id);
      if (request.validationError) {
        return reply.render(
          'gatherings/cancel',
          {
            gathering,
            cycle,
            when: formatRange(gathering.startsAt, gathering.endsAt, gathering.timeZone),
            people: signedUpPeople(db, gathering.id).length,
            values: keptValues(request.body, ['reason']),
            errors: fieldErrors(request.validationError, request.t),
          },
          { status: 422 },
        );
      }
      cancelGathering(db, mailer, baseUrl, user, cycle, gathering, request.body.reason);
      reply.flash('gathering.flash.cancelled');
      return reply.redirect(`/gatherings/${gathering.id}`, 303);
    },
  );

  app.post(
    '/gatherings/:id/summary',
    {
      schema: { params: params.id(), body: reportBody },
      attachValidation: true,
      config: { access: rules.seanceRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const { gathering, cycle } = getManagedGathering(db, user, (request.params as { id: number }).id);
      if (request.validationError) {
        reply.code(422);
        const errors = fieldErrors(request.validationError, request.t);
        return reply.render(
          'gatherings/report',
          { gathering, cycle, values: keptValues(request.body, ['report']), errors },
          { status: 422 },
        );
      }
      saveReport(db, gathering, request.body.report);
      reply.flash('gathering.flash.report');
      return reply.redirect(`/gatherings/${gathering.id}#compte-rendu`, 303);
    },
  );

  app.get(
    '/gatherings/:id/summary',
    { schema: { params: params.id() }, config: { access: rules.seanceRunners } },
    async (request, reply) => {
      const { gathering, cycle } = getManagedGathering(db, request.user!, request.params.id);
      return reply.render('gatherings/report', {
        gathering,
        cycle,
        values: { report: gathering.report ?? '' },
        errors: {},
      });
    },
  );
}

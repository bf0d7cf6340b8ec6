// Cycles over HTTP: the list, opening and editing a cycle, its page (séances, learners, fiches,
// certificates), enrolling oneself or by the coordination, withdrawing. Access: every route is for
// signed-in people; what each may see or do is checked against the cycle (cycles.ts) — outside it, 404.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { hasCertificate, listCycleCertificates, liveCertificate } from '../certificates/certificates.ts';
import { evaluateRules } from '../certificates/progress.ts';
import type { Cycle } from '../db/schema.ts';
import { canWriteExperience, listCycleExperiences } from '../experiences/experiences.ts';
import { listGatherings } from '../gatherings/gatherings.ts';
import { cancelUpcomingSignups } from '../gatherings/signups.ts';
import { ForbiddenError } from '../lib/errors.ts';
import { isoDate, notFoundOnBadParams } from '../lib/form-fields.ts';
import {
  fieldErrors,
  fields,
  keptValues,
  msg,
  params,
  ruleErrors,
  type ZodTypeProvider,
} from '../lib/forms.ts';
import { formatCalendarDate, formatRange, zoneName } from '../lib/time.ts';
import type { CurrentUser } from '../people/users.ts';
import { cycleCreationScope, mayManageCycle, mayOpenCycles } from '../policy/policy.ts';
import { rules } from '../policy/route-rules.ts';
import {
  type CycleInput,
  canEnrolSelf,
  collectiveChoices,
  collectiveNameOf,
  createCycle,
  describeRules,
  enrolMember,
  enrolSelf,
  getCycleFor,
  getManagedCycle,
  isEnrolled,
  listCyclesFor,
  listEnrollable,
  listLearners,
  updateCycle,
  withdraw,
} from './cycles.ts';

const cycleBody = z.object({
  _csrf: fields.csrf(),
  name: fields.requiredText(120, 'cycle.field.nameRequired'),
  collectiveId: fields.optionalId(),
  startsOn: isoDate('cycle.field.startsOnRequired'),
  endsOn: isoDate('cycle.field.endsOnRequired'),
  enrolment: z.enum(['open', 'invitation'], { error: msg('form.invalidChoice') }),
});
const cycleFormFields = ['name', 'collectiveId', 'startsOn', 'endsOn', 'enrolment'] as const;
const enrolBody = z.object({ _csrf: fields.csrf(), userId: fields.requiredId() });

export default async function cycleRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;
  const baseUrl = config.baseUrl;
  app.addHook('preHandler', notFoundOnBadParams);

  app.get('/cycles', { config: { access: rules.signedIn } }, async (request, reply) => {
    const user = request.user!;
    return reply.render('cycles/index', {
      cycles: listCyclesFor(db, user),
      canCreate: mayOpenCycles(user),
      formatCalendarDate,
    });
  });

  function renderCycleForm(
    reply: FastifyReply,
    state: {
      cycle?: Cycle;
      values: Record<string, string>;
      errors?: Record<string, string>;
      status?: number;
    },
  ) {
    const user = reply.request.user!;
    return reply.render(
      'cycles/form',
      {
        cycle: state.cycle ?? null,
        values: state.values,
        errors: state.errors ?? {},
        collectives: collectiveChoices(db, user),
        national: cycleCreationScope(user) === null,
      },
      { status: state.status },
    );
  }

  function requireCreator(user: CurrentUser) {
    if (!mayOpenCycles(user)) throw new ForbiddenError('cycle.error.notRunner');
  }

  app.get('/cycles/new', { config: { access: rules.cycleRunners } }, async (request, reply) => {
    const user = request.user!;
    requireCreator(user);
    const choices = collectiveChoices(db, user);
    const year = new Date().getFullYear();
    return renderCycleForm(reply, {
      values: {
        name: '',
        collectiveId: cycleCreationScope(user) === null ? '' : String(choices[0]?.id ?? ''),
        startsOn: '',
        endsOn: '',
        enrolment: 'open',
        yearHint: String(year),
      },
    });
  });

  app.post(
    '/cycles',
    { schema: { body: cycleBody }, attachValidation: true, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const user = request.user!;
      requireCreator(user);
      const values = keptValues(request.body, cycleFormFields);
      if (request.validationError)
        return renderCycleForm(reply, {
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      try {
        const id = createCycle(db, user, request.body as CycleInput);
        reply.flash('cycle.flash.created', { name: request.body.name });
        return reply.redirect(`/cycles/${id}`, 303);
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        return renderCycleForm(reply, { values, errors, status: 422 });
      }
    },
  );

  app.get(
    '/cycles/:id',
    { schema: { params: params.id() }, config: { access: rules.cycleReaders } },
    async (request, reply) => {
      const user = request.user!;
      const cycle = getCycleFor(db, user, request.params.id);
      const manager = mayManageCycle(user, cycle);
      const enrolled = isEnrolled(db, cycle.id, user.id);
      const gatheringsList = listGatherings(db, cycle.id, user.id);
      return reply.render('cycles/show', {
        cycle,
        collectiveName: collectiveNameOf(db, cycle),
        manager,
        enrolled,
        canEnrolSelf: canEnrolSelf(db, user, cycle),
        gatherings: gatheringsList.map((g) => ({
          ...g,
          when: formatRange(g.startsAt, g.endsAt, g.timeZone),
          zone: zoneName(g.timeZone),
          past: g.endsAt < new Date(),
        })),
        learners: manager ? listLearners(db, cycle) : [],
        enrollable: manager ? listEnrollable(db, cycle) : [],
        experiences: manager || enrolled ? listCycleExperiences(db, cycle.id) : [],
        canWriteExperience: canWriteExperience(db, user, cycle),
        rules: enrolled && !hasCertificate(db, cycle.id, user.id) ? evaluateRules(db, cycle, user.id) : null,
        myRevoked:
          enrolled && !liveCertificate(db, cycle.id, user.id) && hasCertificate(db, cycle.id, user.id),
        myCertificate: enrolled ? liveCertificate(db, cycle.id, user.id) : null,
        certificates: manager ? listCycleCertificates(db, cycle.id) : [],
        rulesText: describeRules(db, cycle, request.t),
        formatCalendarDate,
      });
    },
  );

  app.get(
    '/cycles/:id/edit',
    { schema: { params: params.id() }, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const cycle = getManagedCycle(db, request.user!, request.params.id);
      return renderCycleForm(reply, {
        cycle,
        values: {
          name: cycle.name,
          collectiveId: String(cycle.collectiveId ?? ''),
          startsOn: cycle.startsOn,
          endsOn: cycle.endsOn,
          enrolment: cycle.enrolment,
        },
      });
    },
  );

  app.post(
    '/cycles/:id',
    {
      schema: { params: params.id(), body: cycleBody },
      attachValidation: true,
      config: { access: rules.cycleRunners },
    },
    async (request, reply) => {
      const user = request.user!;
      const { id } = request.params as { id: number };
      const cycle = getManagedCycle(db, user, id);
      const values = keptValues(request.body, cycleFormFields);
      if (request.validationError)
        return renderCycleForm(reply, {
          cycle,
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      try {
        updateCycle(db, user, cycle, request.body as CycleInput);
        reply.flash('cycle.flash.updated');
        return reply.redirect(`/cycles/${cycle.id}`, 303);
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        return renderCycleForm(reply, { cycle, values, errors, status: 422 });
      }
    },
  );

  app.post(
    '/cycles/:id/enrol',
    { schema: { params: params.id() }, config: { access: rules.cycleFollowers } },
    async (request, reply) => {
      const cycle = getCycleFor(db, request.user!, request.params.id);
      enrolSelf(db, request.user!, cycle);
      reply.flash('cycle.flash.enrolled', { name: cycle.name });
      return reply.redirect(`/cycles/${cycle.id}`, 303);
    },
  );

  app.post(
    '/cycles/:id/withdraw',
    { schema: { params: params.id() }, config: { access: rules.own } },
    async (request, reply) => {
      const cycle = getCycleFor(db, request.user!, request.params.id);
      withdraw(db, cycle, request.user!.id);
      cancelUpcomingSignups(db, mailer, baseUrl, cycle.id, request.user!.id);
      reply.flash('cycle.flash.withdrawn', { name: cycle.name });
      return reply.redirect(`/cycles/${cycle.id}`, 303);
    },
  );

  app.post(
    '/cycles/:id/members',
    { schema: { params: params.id(), body: enrolBody }, config: { access: rules.cycleRunners } },
    async (request, reply) => {
      const user = request.user!;
      const cycle = getManagedCycle(db, user, request.params.id);
      enrolMember(db, cycle, request.body.userId, user.id);
      reply.flash('cycle.flash.memberEnrolled');
      return reply.redirect(`/cycles/${cycle.id}#apprenants`, 303);
    },
  );
}

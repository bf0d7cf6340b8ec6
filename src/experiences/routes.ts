// Fiches d'expérience over HTTP: writing one (a learner who attended a séance of the cycle),
// reading it (the cycle's people, or the network when its author shares it), the network's list,
// and editing by its author only.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { getCycleFor } from '../cycles/cycles.ts';
import type { Cycle } from '../db/schema.ts';
import { ForbiddenError } from '../lib/errors.ts';
import { longText, notFoundOnBadParams, optionalLine } from '../lib/form-fields.ts';
import { fieldErrors, fields, keptValues, params, type ZodTypeProvider } from '../lib/forms.ts';
import { rules } from '../policy/route-rules.ts';
import {
  canWriteExperience,
  createExperience,
  type ExperienceInput,
  experienceFields,
  experienceValues,
  getExperienceFor,
  getOwnExperience,
  listSharedExperiences,
  updateExperience,
} from './experiences.ts';

const experienceBody = z.object({
  _csrf: fields.csrf(),
  title: fields.requiredText(120, 'experience.field.titleRequired'),
  what: longText(4000, 'experience.field.whatRequired'),
  town: optionalLine(80),
  inQpv: fields.checkbox(),
  qpvName: optionalLine(120),
  audience: longText(2000),
  partners: longText(2000),
  cofunding: longText(2000),
  results: longText(4000),
  difficulties: longText(4000),
  advice: longText(4000),
  sharedWithNetwork: fields.checkbox(),
});

export default async function experienceRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  app.addHook('preHandler', notFoundOnBadParams);

  const experienceKept = [...experienceFields, 'inQpv', 'sharedWithNetwork'] as const;

  function renderExperienceForm(
    reply: FastifyReply,
    cycle: Cycle,
    state: { id?: number; values: Record<string, string>; errors?: Record<string, string>; status?: number },
  ) {
    return reply.render(
      'experiences/form',
      { cycle, id: state.id ?? null, values: state.values, errors: state.errors ?? {} },
      { status: state.status },
    );
  }

  app.get(
    '/cycles/:id/experiences/new',
    { schema: { params: params.id() }, config: { access: rules.cycleReaders } },
    async (request, reply) => {
      const cycle = getCycleFor(db, request.user!, request.params.id);
      if (!canWriteExperience(db, request.user!, cycle))
        throw new ForbiddenError('experience.error.notAttended');
      const values = Object.fromEntries(experienceKept.map((f) => [f, ''])) as Record<string, string>;
      return renderExperienceForm(reply, cycle, { values });
    },
  );

  app.post(
    '/cycles/:id/experiences',
    {
      schema: { params: params.id(), body: experienceBody },
      attachValidation: true,
      config: { access: rules.cycleReaders },
    },
    async (request, reply) => {
      const user = request.user!;
      const cycle = getCycleFor(db, user, (request.params as { id: number }).id);
      if (!canWriteExperience(db, user, cycle)) throw new ForbiddenError('experience.error.notAttended');
      const values = keptValues(request.body, experienceKept);
      if (request.validationError)
        return renderExperienceForm(reply, cycle, {
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      const id = createExperience(db, user, cycle, request.body as ExperienceInput);
      reply.flash('experience.flash.created');
      return reply.redirect(`/experiences/${id}`, 303);
    },
  );

  app.get('/experiences', { config: { access: rules.signedIn } }, async (request, reply) => {
    return reply.render('experiences/index', { experiences: listSharedExperiences(db, request.user!.id) });
  });

  app.get(
    '/experiences/:id',
    { schema: { params: params.id() }, config: { access: rules.cycleReaders } },
    async (request, reply) => {
      const experience = getExperienceFor(db, request.user!, request.params.id);
      return reply.render('experiences/show', { experience, mine: experience.authorId === request.user!.id });
    },
  );

  app.get(
    '/experiences/:id/edit',
    { schema: { params: params.id() }, config: { access: rules.own } },
    async (request, reply) => {
      const experience = getOwnExperience(db, request.user!, request.params.id);
      const cycle = getCycleFor(db, request.user!, experience.cycleId);
      return renderExperienceForm(reply, cycle, { id: experience.id, values: experienceValues(experience) });
    },
  );

  app.post(
    '/experiences/:id',
    {
      schema: { params: params.id(), body: experienceBody },
      attachValidation: true,
      config: { access: rules.own },
    },
    async (request, reply) => {
      const user = request.user!;
      const experience = getOwnExperience(db, user, (request.params as { id: number }).id);
      const cycle = getCycleFor(db, user, experience.cycleId);
      const values = keptValues(request.body, experienceKept);
      if (request.validationError)
        return renderExperienceForm(reply, cycle, {
          id: experience.id,
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      updateExperience(db, experience.id, request.body as ExperienceInput);
      reply.flash('experience.flash.updated');
      return reply.redirect(`/experiences/${experience.id}`, 303);
    },
  );
}

// Fiches d'expérience over HTTP: writing one (a learner who attended a séance of the cycle),
// reading it (the cycle's people, or the network when its author shares it), the network's list,
// and editing by its author only.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { getCycleFor } from '../cycles/cycles.ts';
import type { Cycle } from '../db/schema.ts';
import { ForbiddenError } from '../lib/errors.ts';
import { longText, notFoundOnBadParams, optionalLine } from '../lib/form-fields.ts';
import { fieldErrors, fields, params, type ZodTypeProvider } from '../lib/forms.ts';
import { mayPublishExperience } from '../policy/policy.ts';
import { rules } from '../policy/route-rules.ts';
import { FUNDER_KIND_KEYS } from '../projects/budget.ts';
import { isRegionCode, REGION_CODES, REGIONS } from '../showcase/regions.ts';
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
import { EXPERIENCE_DOMAINS, EXPERIENCE_PUBLICS, ficheFactsFields, monthInWords } from './fiche-facts.ts';
import { ficheCollective } from './publication.ts';

const experienceBody = z.object({
  _csrf: fields.csrf(),
  title: fields.requiredText(120, 'experience.field.titleRequired'),
  what: longText(4000, 'experience.field.whatRequired'),
  objectives: longText(2000),
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
  ...ficheFactsFields(REGION_CODES),
});

const LISTS = ['publics', 'cofunders'] as const;

/** What the fiche's form offers. */
export const FICHE_CHOICES = {
  domains: EXPERIENCE_DOMAINS,
  publics: EXPERIENCE_PUBLICS,
  regions: REGION_CODES.map((id) => ({ id, name: REGIONS[id] })),
  funderKinds: FUNDER_KIND_KEYS.filter((k) => k !== 'sales'),
};
const FACTS = ['domain', 'region', 'periodStart', 'periodEnd', 'volunteers', 'participants'] as const;

/** What was typed, to refill the form: ticked boxes as a comma-separated list. */
function typedExperience(body: unknown): Record<string, string> {
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  // Whole texts (a fiche's are up to 4,000 characters): nothing typed is lost on an error.
  for (const name of [...experienceFields, 'inQpv', 'sharedWithNetwork', ...FACTS]) {
    const v = record[name];
    values[name] = typeof v === 'string' ? v.slice(0, 20_000) : '';
  }
  for (const list of LISTS)
    values[list] = [record[list] ?? []]
      .flat()
      .filter((v) => typeof v === 'string')
      .join(',');
  return values;
}

export default async function experienceRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  app.addHook('preHandler', notFoundOnBadParams);

  const experienceKept = [...experienceFields, 'inQpv', 'sharedWithNetwork', ...FACTS, ...LISTS] as const;

  function renderExperienceForm(
    reply: FastifyReply,
    cycle: Cycle,
    state: { id?: number; values: Record<string, string>; errors?: Record<string, string>; status?: number },
  ) {
    return reply.render(
      'experiences/form',
      { cycle, id: state.id ?? null, values: state.values, errors: state.errors ?? {}, ...FICHE_CHOICES },
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
      const values = typedExperience(request.body);
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
      return reply.render('experiences/show', {
        experience,
        mine: experience.authorId === request.user!.id,
        regionName: experience.region && isRegionCode(experience.region) ? REGIONS[experience.region] : null,
        month: monthInWords,
        // Someone else reviews one's own fiche.
        mayPublish:
          experience.authorId !== request.user!.id &&
          mayPublishExperience(request.user!, ficheCollective(db, experience)),
      });
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
      const values = typedExperience(request.body);
      if (request.validationError)
        return renderExperienceForm(reply, cycle, {
          id: experience.id,
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      const { backToReview } = updateExperience(db, experience, request.body as ExperienceInput);
      reply.flash(backToReview ? 'fiche.flash.updatedBackToReview' : 'experience.flash.updated');
      return reply.redirect(`/experiences/${experience.id}`, 303);
    },
  );
}

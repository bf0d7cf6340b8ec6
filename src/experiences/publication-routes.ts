// A fiche's publication over HTTP: the author asks and withdraws (from the fiche's page); the
// national team and the collective's coordinators find the requests (« Fiches à publier »), review
// a fiche — correcting its texts — and publish it or send it back.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ForbiddenError, RuleError } from '../lib/errors.ts';
import { longText, notFoundOnBadParams, optionalLine } from '../lib/form-fields.ts';
import {
  type FieldErrors,
  fieldErrors,
  fields,
  msg,
  params,
  ruleErrors,
  type ZodTypeProvider,
} from '../lib/forms.ts';
import { mayPublishExperience } from '../policy/policy.ts';
import { rules } from '../policy/route-rules.ts';
import { isRegionCode, REGIONS } from '../showcase/regions.ts';
import { type ExperienceView, getExperienceFor, getOwnExperience } from './experiences.ts';
import { monthInWords } from './fiche-facts.ts';
import {
  declinePublication,
  ficheCollective,
  publicationHistory,
  publicationRequests,
  publishExperience,
  REVIEWED_TEXTS,
  type ReviewedTexts,
  requestPublication,
  withdrawPublication,
} from './publication.ts';

const reviewBody = z.object({
  _csrf: fields.csrf(),
  title: fields.requiredText(120, 'experience.field.titleRequired'),
  what: longText(4000, 'experience.field.whatRequired'),
  objectives: longText(2000),
  town: optionalLine(80),
  qpvName: optionalLine(120),
  audience: longText(2000),
  partners: longText(2000),
  cofunding: longText(2000),
  results: longText(4000),
  difficulties: longText(4000),
  advice: longText(4000),
  seen: z
    .string({ error: msg('form.invalid') })
    .regex(/^\d{1,15}$/, { error: msg('form.invalid') })
    .transform(Number),
});

export default async function experiencePublicationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  app.addHook('preHandler', notFoundOnBadParams);

  /** Where a step of publication is said: back on the fiche, the message shown once there. */
  function done(reply: FastifyReply, id: number, message: Parameters<FastifyReply['flash']>[0]) {
    reply.flash(message);
    return reply.redirect(`/experiences/${id}#publication`, 303);
  }

  /** A rule broken (already asked, no longer asked…): said on the fiche. */
  function refused(request: FastifyRequest, reply: FastifyReply, id: number, error: unknown) {
    const errors = ruleErrors(error, request.t);
    if (!errors) throw error;
    reply.flash('fiche.flash.refused', { reason: Object.values(errors)[0]! }, 'error');
    return reply.redirect(`/experiences/${id}#publication`, 303);
  }

  app.post(
    '/experiences/:id/publication/request',
    { schema: { params: params.id() }, config: { access: rules.own } },
    async (request, reply) => {
      const experience = getOwnExperience(db, request.user!, request.params.id);
      try {
        requestPublication(db, request.user!, experience);
      } catch (error) {
        return refused(request, reply, experience.id, error);
      }
      return done(reply, experience.id, 'fiche.flash.requested');
    },
  );

  app.post(
    '/experiences/:id/publication/withdraw',
    { schema: { params: params.id() }, config: { access: rules.fichePublication } },
    async (request, reply) => {
      const experience = getExperienceFor(db, request.user!, request.params.id);
      try {
        withdrawPublication(db, request.user!, experience);
      } catch (error) {
        return refused(request, reply, experience.id, error);
      }
      return done(reply, experience.id, 'fiche.flash.withdrawn');
    },
  );

  app.get('/experiences/to-publish', { config: { access: rules.managers } }, async (request, reply) => {
    return reply.render('experiences/to-publish', { requests: publicationRequests(db, request.user!) });
  });

  function renderReview(
    _request: FastifyRequest,
    reply: FastifyReply,
    experience: ExperienceView,
    state: { values: Record<string, string>; errors: FieldErrors; status?: number },
  ) {
    return reply.render(
      'experiences/review',
      {
        experience,
        values: state.values,
        errors: state.errors,
        history: publicationHistory(db, experience.id),
        regionName: experience.region && isRegionCode(experience.region) ? REGIONS[experience.region] : null,
        month: monthInWords,
      },
      { status: state.status },
    );
  }

  /** A fiche a publisher may review: 404 beyond what they may read, 403 outside their collectives. */
  function reviewable(request: FastifyRequest, id: number) {
    const experience = getExperienceFor(db, request.user!, id);
    if (!mayPublishExperience(request.user!, ficheCollective(db, experience)))
      throw new ForbiddenError('fiche.error.notPublisher');
    return experience;
  }

  app.get(
    '/experiences/:id/publication',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      const experience = reviewable(request, request.params.id);
      const values = Object.fromEntries(REVIEWED_TEXTS.map((f) => [f, experience[f]]));
      return renderReview(request, reply, experience, { values, errors: {} });
    },
  );

  app.post(
    '/experiences/:id/publication',
    {
      schema: { params: params.id(), body: reviewBody },
      attachValidation: true,
      config: { access: rules.managers },
    },
    async (request, reply) => {
      const experience = reviewable(request, (request.params as { id: number }).id);
      const raw = (request.body ?? {}) as Record<string, unknown>;
      const values = Object.fromEntries(
        REVIEWED_TEXTS.map((f) => [f, typeof raw[f] === 'string' ? (raw[f] as string).slice(0, 20_000) : '']),
      );
      if (request.validationError)
        return renderReview(request, reply, experience, {
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      const { _csrf, seen, ...texts } = request.body;
      try {
        publishExperience(db, request.user!, experience, texts as ReviewedTexts, new Date(), seen);
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        // Changed by its author meanwhile: the review starts again from their new version.
        const changed = error instanceof RuleError && error.key === 'fiche.error.changed';
        const fresh = Object.fromEntries(REVIEWED_TEXTS.map((f) => [f, experience[f]]));
        return renderReview(request, reply, experience, {
          values: changed ? fresh : values,
          errors,
          status: 422,
        });
      }
      return done(reply, experience.id, 'fiche.flash.published');
    },
  );

  app.post(
    '/experiences/:id/publication/decline',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      const experience = reviewable(request, request.params.id);
      try {
        declinePublication(db, request.user!, experience);
      } catch (error) {
        return refused(request, reply, experience.id, error);
      }
      return done(reply, experience.id, 'fiche.flash.declined');
    },
  );
}

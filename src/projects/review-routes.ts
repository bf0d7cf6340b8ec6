// Review by peers over HTTP: comments on a section or the whole project (and the authors' answers),
// and the rubric a reviewer fills. Both only once the project is shared with a cycle.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { rubricAnswers } from '../db/schema.ts';
import type { Translate } from '../i18n/index.ts';
import { longText, notFoundOnBadParams } from '../lib/form-fields.ts';
import {
  type FieldErrors,
  fieldErrors,
  fields,
  msg,
  params,
  ruleErrors,
  type ZodTypeProvider,
} from '../lib/forms.ts';
import { rules } from '../policy/route-rules.ts';
import { projectPage, sectionPage } from './project-page.ts';
import { getProjectFor, type ProjectView } from './projects.ts';
import { addComment, listReviews, RUBRIC, type RubricKey, saveReview } from './reviews.ts';
import { isSectionKey, type SectionKey } from './sections.ts';

const COMMENT_MAX = 2000;

const commentBody = z.object({
  _csrf: fields.csrf(),
  section: z
    .string({ error: msg('form.invalidChoice') })
    .optional()
    .transform((v) => v ?? '')
    .refine((v) => v === '' || isSectionKey(v), { error: msg('form.invalidChoice') }),
  replyTo: fields.optionalId(),
  body: longText(COMMENT_MAX, 'project.error.commentRequired'),
});

const answer = z.enum(rubricAnswers, { error: msg('project.error.rubricRequired') });
const reviewBody = z.object({
  _csrf: fields.csrf(),
  ...(Object.fromEntries(RUBRIC.map((c) => [c.key, answer])) as Record<RubricKey, typeof answer>),
  comment: longText(COMMENT_MAX),
});

/** A criterion left unanswered is named in the message (the summary at the top lists them). */
function rubricErrors(errors: FieldErrors, t: Translate): FieldErrors {
  for (const c of RUBRIC)
    if (errors[c.key])
      errors[c.key] = t('project.error.rubricRequired', { criterion: t(`project.rubric.${c.key}`) });
  return errors;
}

export default async function projectReviewRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  app.addHook('preHandler', notFoundOnBadParams);

  /** Where a comment is read: its section's page, or the project's page. */
  const placeOf = (project: ProjectView, section: string) =>
    section ? `/projects/${project.id}/sections/${section}#comments` : `/projects/${project.id}#comments`;

  app.post(
    '/projects/:id/comments',
    {
      schema: { params: params.id(), body: commentBody },
      attachValidation: true,
      config: { access: rules.projectReviewers },
    },
    async (request, reply) => {
      const project = getProjectFor(db, request.user!, (request.params as { id: number }).id);
      const raw = (request.body ?? {}) as Record<string, unknown>;
      const section = typeof raw.section === 'string' && isSectionKey(raw.section) ? raw.section : '';
      let rejectedReply = false;
      let errors: FieldErrors | null = request.validationError
        ? fieldErrors(request.validationError, request.t)
        : null;
      if (!errors) {
        try {
          addComment(db, request.user!, project, {
            section: (request.body.section || null) as SectionKey | null,
            body: request.body.body,
            replyTo: request.body.replyTo,
          });
        } catch (error) {
          errors = ruleErrors(error, request.t);
          if (!errors) throw error;
          // An answer refused (its comment gone, or itself an answer): said at the new comment's box.
          rejectedReply = true;
        }
      }
      if (errors) {
        // Shown again where it was written, with what was typed and the reason next to the box.
        const comment = {
          values: {
            body: typeof raw.body === 'string' ? raw.body.slice(0, 10_000) : '',
            replyTo: typeof raw.replyTo === 'string' && !rejectedReply ? raw.replyTo.slice(0, 12) : '',
          },
          errors,
        };
        if (section)
          return reply.render('projects/section', sectionPage(db, request.t, project, section, { comment }), {
            status: 422,
          });
        return reply.render(
          'projects/show',
          projectPage(db, request.user!, project, { errors: {}, comment }),
          {
            status: 422,
          },
        );
      }
      reply.flash('project.flash.commentAdded');
      return reply.redirect(placeOf(project, section), 303);
    },
  );

  function renderReview(
    _request: FastifyRequest,
    reply: FastifyReply,
    project: ProjectView,
    state: { values: Record<string, string>; errors: FieldErrors; status?: number },
  ) {
    return reply.render(
      'projects/review',
      { project, rubric: RUBRIC, answers: rubricAnswers, values: state.values, errors: state.errors },
      { status: state.status },
    );
  }

  app.get(
    '/projects/:id/review',
    { schema: { params: params.id() }, config: { access: rules.projectReviewers } },
    async (request, reply) => {
      const project = getProjectFor(db, request.user!, request.params.id);
      if (!project.rights.review) return reply.redirect(`/projects/${project.id}`, 303);
      const mine = listReviews(db, project.id).find((r) => r.reviewerId === request.user!.id);
      const values: Record<string, string> = { comment: '' };
      for (const c of RUBRIC) values[c.key] = mine?.answers[c.key] ?? '';
      return renderReview(request, reply, project, { values, errors: {} });
    },
  );

  app.post(
    '/projects/:id/review',
    {
      schema: { params: params.id(), body: reviewBody },
      attachValidation: true,
      config: { access: rules.projectReviewers },
    },
    async (request, reply) => {
      const project = getProjectFor(db, request.user!, (request.params as { id: number }).id);
      const raw = (request.body ?? {}) as Record<string, unknown>;
      const values: Record<string, string> = {};
      for (const name of [...RUBRIC.map((c) => c.key), 'comment'])
        values[name] = typeof raw[name] === 'string' ? (raw[name] as string).slice(0, 10_000) : '';
      if (request.validationError)
        return renderReview(request, reply, project, {
          values,
          errors: rubricErrors(fieldErrors(request.validationError, request.t), request.t),
          status: 422,
        });
      const { _csrf, comment, ...answers } = request.body;
      saveReview(db, request.user!, project, answers, comment);
      reply.flash('project.flash.reviewSaved');
      return reply.redirect(`/projects/${project.id}#review`, 303);
    },
  );
}

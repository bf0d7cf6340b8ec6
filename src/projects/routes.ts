// « Mon projet » over HTTP: the list, starting a project, its page (sections, sharing, co-authors,
// review summary, « prêt à déposer »), and its exports. The sections' forms are in
// section-routes.ts, comments and the rubric in review-routes.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { MessageKey } from '../i18n/index.ts';
import { asDownload } from '../lib/download.ts';
import { ForbiddenError } from '../lib/errors.ts';
import { notFoundOnBadParams } from '../lib/form-fields.ts';
import { fieldErrors, fields, keptValues, params, ruleErrors, type ZodTypeProvider } from '../lib/forms.ts';
import type { CurrentUser } from '../people/users.ts';
import { mayStartProjects } from '../policy/policy.ts';
import { rules } from '../policy/route-rules.ts';
import { recordProgress } from '../progress/record-progress.ts';
import { budgetCsv } from './budget-csv.ts';
import { projectPage } from './project-page.ts';
import { projectFileName, projectPdf } from './project-pdf.ts';
import { budgetOf, sectionOf } from './project-sections.ts';
import {
  addCoAuthor,
  createProject,
  getEditableProject,
  getProjectFor,
  listProjectsFor,
  type ProjectView,
  projectOsimChoices,
  shareProject,
} from './projects.ts';

const newProjectBody = z.object({
  _csrf: fields.csrf(),
  title: fields.requiredText(120, 'project.error.titleRequired'),
  organizationId: fields.requiredId(),
});

const shareBody = z.object({
  _csrf: fields.csrf(),
  cycleId: fields.optionalId(),
  national: fields.checkbox(),
});

const authorBody = z.object({ _csrf: fields.csrf(), userId: fields.requiredId() });
const readyBody = z.object({ _csrf: fields.csrf(), ready: z.enum(['0', '1']) });

export default async function projectRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;
  app.addHook('preHandler', notFoundOnBadParams);

  app.get('/projects', { config: { access: rules.projectReaders } }, async (request, reply) => {
    const user = request.user!;
    return reply.render('projects/index', { ...listProjectsFor(db, user), mayStart: mayStartProjects(user) });
  });

  function renderNew(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values: Record<string, string>; errors?: Record<string, string>; status?: number },
  ) {
    // A member of no OSIM is told why there is no form (the page, not a refusal: the role is right).
    const osims = projectOsimChoices(request.user!);
    return reply.render(
      'projects/new',
      { osims, values: state.values, errors: state.errors ?? {} },
      { status: state.status },
    );
  }

  app.get('/projects/new', { config: { access: rules.projectAuthors } }, async (request, reply) => {
    const osims = projectOsimChoices(request.user!);
    return renderNew(request, reply, { values: { title: '', organizationId: String(osims[0]?.id ?? '') } });
  });

  app.post(
    '/projects',
    { schema: { body: newProjectBody }, attachValidation: true, config: { access: rules.projectAuthors } },
    async (request, reply) => {
      const values = keptValues(request.body, ['title', 'organizationId']);
      if (request.validationError)
        return renderNew(request, reply, {
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      try {
        const id = createProject(db, request.user!, request.body);
        reply.flash('project.flash.created');
        return reply.redirect(`/projects/${id}`, 303);
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        return renderNew(request, reply, { values, errors, status: 422 });
      }
    },
  );

  app.get(
    '/projects/:id',
    { schema: { params: params.id() }, config: { access: rules.projectReaders } },
    async (request, reply) => {
      const project = getProjectFor(db, request.user!, request.params.id);
      return reply.render('projects/show', projectPage(db, request.user!, project, { errors: {} }));
    },
  );

  /** The project page again, with a form's errors (sharing, co-author, ready). */
  function renderShowWithErrors(
    request: FastifyRequest,
    reply: FastifyReply,
    projectId: number,
    errors: Record<string, string>,
  ) {
    const project = getProjectFor(db, request.user!, projectId);
    return reply.render('projects/show', projectPage(db, request.user!, project, { errors }), {
      status: 422,
    });
  }

  /**
   * A form of the project page its authors send (sharing, a co-author): done, then back to its
   * place on the page; a bad value or a broken rule shows the page again with the message.
   */
  function authorForm<Body extends z.ZodType>(
    path: string,
    body: Body,
    act: (project: ProjectView, input: z.output<Body>, user: CurrentUser) => MessageKey,
    anchor: string,
  ) {
    app.post(
      `/projects/:id/${path}`,
      {
        schema: { params: params.id(), body },
        attachValidation: true,
        config: { access: rules.projectAuthors },
      },
      async (request, reply) => {
        const id = (request.params as { id: number }).id;
        const project = getEditableProject(db, request.user!, id);
        if (request.validationError)
          return renderShowWithErrors(request, reply, id, fieldErrors(request.validationError, request.t));
        let flash: MessageKey;
        try {
          flash = act(project, request.body as z.output<Body>, request.user!);
        } catch (error) {
          const errors = ruleErrors(error, request.t);
          if (!errors) throw error;
          return renderShowWithErrors(request, reply, id, errors);
        }
        reply.flash(flash);
        return reply.redirect(`/projects/${id}#${anchor}`, 303);
      },
    );
  }

  authorForm(
    'share',
    shareBody,
    (project, input, user) => {
      shareProject(db, user, project, input);
      return input.cycleId === null ? 'project.flash.unshared' : 'project.flash.shared';
    },
    'sharing',
  );

  authorForm(
    'authors',
    authorBody,
    (project, input, user) => {
      addCoAuthor(db, user, project, input.userId);
      return 'project.flash.coAuthorAdded';
    },
    'authors',
  );

  app.post(
    '/projects/:id/ready',
    {
      schema: { params: params.id(), body: readyBody },
      attachValidation: true,
      config: { access: rules.projectTrainers },
    },
    async (request, reply) => {
      const project = getProjectFor(db, request.user!, (request.params as { id: number }).id);
      if (!project.rights.markReady) throw new ForbiddenError('project.error.notTrainer');
      if (request.validationError)
        return renderShowWithErrors(request, reply, project.id, {
          ready: request.t('project.error.readyInvalid'),
        });
      const ready = request.body.ready === '1';
      try {
        recordProgress(db, mailer, config.baseUrl, { kind: 'project', by: request.user!, project, ready });
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        return renderShowWithErrors(request, reply, project.id, {
          ready: errors._form ?? Object.values(errors)[0]!,
        });
      }
      reply.flash(ready ? 'project.flash.ready' : 'project.flash.notReady');
      return reply.redirect(`/projects/${project.id}#ready`, 303);
    },
  );

  app.get(
    '/projects/:id/projet.pdf',
    { schema: { params: params.id() }, config: { access: rules.projectReaders } },
    async (request, reply) => {
      const project = getProjectFor(db, request.user!, request.params.id);
      const pdf = await projectPdf(db, project, request.t);
      return asDownload(reply, 'application/pdf', projectFileName(project, 'projet', 'pdf')).send(pdf);
    },
  );

  app.get(
    '/projects/:id/budget.csv',
    { schema: { params: params.id() }, config: { access: rules.projectReaders } },
    async (request, reply) => {
      const project = getProjectFor(db, request.user!, request.params.id);
      const csv = budgetCsv(project, budgetOf(sectionOf(db, project.id, 'budget')), request.t);
      return asDownload(reply, 'text/csv; charset=utf-8', projectFileName(project, 'budget', 'csv')).send(
        csv,
      );
    },
  );
}

// A project's sections over HTTP: each section's page (its form for the authors, its text for the
// others, the lessons that teach it, its comments), saving it (htmx swaps the form in place; without
// JavaScript the same form posts and the page comes back), and its history of versions.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFoundOnBadParams } from '../lib/form-fields.ts';
import { fieldErrors, parseForm, type ZodTypeProvider } from '../lib/forms.ts';
import { rules } from '../policy/route-rules.ts';
import { formatEuros } from './budget.ts';
import { postedRows, readBudgetForm } from './budget-form.ts';
import { type SectionFormState, sectionPage } from './project-page.ts';
import {
  budgetOf,
  isReady,
  SectionConflict,
  saveSection,
  sectionHistory,
  textOf,
} from './project-sections.ts';
import { getEditableProject, getProjectFor, type ProjectView } from './projects.ts';
import {
  isSectionKey,
  SECTIONS,
  type SectionKey,
  type TextSectionKey,
  textSectionSchema,
  versionOf,
} from './sections.ts';

const sectionParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  section: z.string().refine(isSectionKey),
});

/** Texts as typed, to refill the form: long texts kept whole (up to a sane bound). */
function typedValues(body: unknown, key: TextSectionKey): Record<string, string> {
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(
    SECTIONS[key].fields.map((f) => {
      const v = record[f.name];
      return [f.name, typeof v === 'string' ? v.slice(0, 20_000) : ''];
    }),
  );
}

export default async function projectSectionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  app.addHook('preHandler', notFoundOnBadParams);

  function render(
    request: FastifyRequest,
    reply: FastifyReply,
    project: ProjectView,
    key: SectionKey,
    state: SectionFormState,
    status?: number,
  ) {
    return reply.render('projects/section', sectionPage(db, request.t, project, key, state), {
      status,
      fragment: 'projects/_section-form',
    });
  }

  app.get(
    '/projects/:id/sections/:section',
    { schema: { params: sectionParams }, attachValidation: true, config: { access: rules.projectReaders } },
    async (request, reply) => {
      const project = getProjectFor(db, request.user!, request.params.id);
      const key = request.params.section as SectionKey;
      // The session ended while this page's form was being filled: what was typed comes back here
      // (auth/resume.ts), to be checked and sent again — never saved behind the person's back.
      const resumed = reply.takeResumedForm();
      if (!resumed) return render(request, reply, project, key, {});
      if (typeof resumed.body === 'string') {
        const replyTo = typeof resumed.replyTo === 'string' ? resumed.replyTo : '';
        return render(request, reply, project, key, {
          resumed: true,
          comment: { values: { body: resumed.body, replyTo }, errors: {} },
        });
      }
      if (!project.rights.edit) return render(request, reply, project, key, {});
      const version = versionOf(resumed.version) ?? undefined;
      return render(request, reply, project, key, {
        resumed: true,
        version,
        ...(key === 'budget' ? { rows: postedRows(resumed) } : { values: typedValues(resumed, key) }),
      });
    },
  );

  app.post(
    '/projects/:id/sections/:section',
    { schema: { params: sectionParams }, attachValidation: true, config: { access: rules.projectAuthors } },
    async (request, reply) => {
      const user = request.user!;
      const project = getEditableProject(db, user, request.params.id);
      const key = request.params.section as SectionKey;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const version = versionOf(body.version);
      let content: Record<string, unknown>;
      let typed: SectionFormState;
      if (key === 'budget') {
        const { budget, errors, rows } = readBudgetForm(body);
        typed = { rows };
        if (Object.keys(errors).length > 0 || version === null)
          return render(
            request,
            reply,
            project,
            key,
            {
              rows,
              budgetErrors: errors,
              errors: version === null ? { _form: request.t('error.400.text') } : {},
              version: version ?? undefined,
            },
            422,
          );
        content = { ...budget };
      } else {
        const values = typedValues(body, key);
        typed = { values };
        const parsed = parseForm(textSectionSchema(key), body);
        if (!parsed.success || version === null)
          return render(
            request,
            reply,
            project,
            key,
            {
              values,
              errors:
                version === null || parsed.success
                  ? { _form: request.t('error.400.text') }
                  : fieldErrors(parsed.error, request.t),
              version: version ?? undefined,
            },
            422,
          );
        const { _csrf, ...texts } = parsed.data as Record<string, unknown>;
        content = texts;
      }
      try {
        const saved = saveSection(db, user, project, key, content, version!);
        const readyLost = project.readyAt !== null && !isReady(db, project.id);
        if (request.htmx.partial)
          return render(request, reply, project, key, { savedVersion: saved, readyLost });
        reply.flash(readyLost ? 'project.flash.sectionSavedReadyLost' : 'project.flash.sectionSaved');
        return reply.redirect(`/projects/${project.id}/sections/${key}`, 303);
      } catch (error) {
        if (!(error instanceof SectionConflict)) throw error;
        // Nothing is overwritten: the form keeps what was typed, now based on the version saved
        // meanwhile, and shows that version.
        return render(
          request,
          reply,
          project,
          key,
          { ...typed, conflict: error.current, version: error.current.version },
          409,
        );
      }
    },
  );

  app.get(
    '/projects/:id/sections/:section/history',
    { schema: { params: sectionParams }, attachValidation: true, config: { access: rules.projectReaders } },
    async (request, reply) => {
      const project = getProjectFor(db, request.user!, request.params.id);
      const key = request.params.section as SectionKey;
      const versions = sectionHistory(db, project.id, key).map((v) => ({
        ...v,
        text: key === 'budget' ? null : textOf(v, key),
        budget: key === 'budget' ? budgetOf(v) : null,
      }));
      return reply.render('projects/history', {
        project,
        key,
        fields: SECTIONS[key].fields,
        versions,
        formatEuros,
      });
    },
  );
}

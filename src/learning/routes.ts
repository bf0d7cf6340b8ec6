// The learning pages: the path, a course, a lesson ("j'ai terminé cette leçon" with htmx or a
// plain form), a quiz (all answers sent together, feedback per question, every attempt kept),
// and the course's resources and images, served from courses/.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { coursesRoot } from '../content/paths.ts';
import { renderResource } from '../content/render.ts';
import { asDownload } from '../lib/download.ts';
import { NotFoundError } from '../lib/errors.ts';
import { fields, type ZodTypeProvider } from '../lib/forms.ts';
import { rules } from '../policy/route-rules.ts';
import { recordProgress } from '../progress/record-progress.ts';
import { answerOrder, inOrder, nextRound, roundOf } from './answer-order.ts';
import { catalog } from './catalog.ts';
import {
  courseFolder,
  courseProgressOf,
  getAttempt,
  getQuiz,
  gradeQuiz,
  isCourseFolder,
  lessonView,
  openLesson,
  pathProgress,
  setTaskDone,
} from './progress.ts';

const contentId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/);
const lessonParams = z.object({ lessonId: contentId });
const courseParams = z.object({ courseId: contentId });
const quizParams = z.object({ quizId: contentId });
const attemptParams = z.object({
  quizId: contentId,
  attemptId: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});
const fileParams = z.object({ '*': z.string().max(300) });
const taskBody = z.object({ _csrf: fields.csrf(), done: z.enum(['0', '1']).catch('1') });
/** Checkboxes with the same name arrive as an array, a single one as a string. */
const quizBody = z.record(z.string(), z.union([z.string().max(100), z.array(z.string().max(100)).max(20)]));

const mediaTypes: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

export default async function learningRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;

  app.get('/learn', { config: { access: rules.signedIn } }, async (request, reply) => {
    return reply.renderKept('learn/path', () => ({ learning: pathProgress(db, request.user!.id) }));
  });

  /** "Continuer" — the first lesson not finished, or the quiz to pass. */
  app.get('/learn/continue', { config: { access: rules.signedIn } }, async (request, reply) => {
    const next = pathProgress(db, request.user!.id)?.next;
    if (!next) return reply.redirect('/learn', 303);
    return reply.redirect(
      next.kind === 'lesson' ? `/learn/lessons/${next.id}` : `/learn/quizzes/${next.id}`,
      303,
    );
  });

  app.get(
    '/learn/courses/:courseId',
    { schema: { params: courseParams }, config: { access: rules.signedIn } },
    async (request, reply) => {
      return reply.renderKept('learn/course', () => {
        const course = pathProgress(db, request.user!.id)?.courses.find(
          (c) => c.id === request.params.courseId,
        );
        if (!course) throw new NotFoundError();
        return { course };
      });
    },
  );

  app.get(
    '/learn/lessons/:lessonId',
    { schema: { params: lessonParams }, config: { access: rules.signedIn } },
    async (request, reply) => {
      const userId = request.user!.id;
      return reply.renderKept('learn/lesson', () => openLesson(db, userId, request.params.lessonId));
    },
  );

  // The lesson's « À faire maintenant » task, ticked or unticked (htmx swaps the task's block).
  app.post(
    '/learn/lessons/:lessonId/task',
    { schema: { params: lessonParams, body: taskBody }, config: { access: rules.own } },
    async (request, reply) => {
      const userId = request.user!.id;
      const done = request.body.done === '1';
      setTaskDone(db, userId, request.params.lessonId, done);
      if (request.htmx.partial)
        return reply.render('learn/_lesson-task', lessonView(db, userId, request.params.lessonId));
      reply.flash(done ? 'learn.flash.taskDone' : 'learn.flash.taskUndone');
      return reply.redirect(`/learn/lessons/${request.params.lessonId}#task`, 303);
    },
  );

  app.post(
    '/learn/lessons/:lessonId/complete',
    { schema: { params: lessonParams }, config: { access: rules.own } },
    async (request, reply) => {
      const userId = request.user!.id;
      // The last step of a cycle's rules: its certificate is issued at once.
      const { lessonId } = request.params;
      const earned =
        recordProgress(db, mailer, config.baseUrl, { kind: 'lesson', userId, lessonId }).earned[0] ?? null;
      if (request.htmx.partial) {
        const view = lessonView(db, userId, request.params.lessonId);
        return reply.render('learn/_lesson-done', { ...view, earned });
      }
      reply.flash(earned ? 'certificate.flash.earned' : 'learn.flash.done');
      return reply.redirect(`/learn/lessons/${request.params.lessonId}#progression`, 303);
    },
  );

  function renderQuiz(
    reply: FastifyReply,
    quizId: string,
    userId: number,
    state: {
      round?: number;
      answers?: Record<string, string[]>;
      missing?: string[];
      resumed?: boolean;
      status?: number;
    } = {},
  ) {
    const { quiz, course } = getQuiz(db, quizId);
    const round = state.round ?? nextRound(db, userId, quizId);
    return reply.render(
      'learn/quiz',
      {
        quiz,
        course,
        round,
        questions: inOrder(quiz.questions, answerOrder(quiz.questions, quizId, userId, round)),
        answers: state.answers ?? {},
        missing: state.missing ?? [],
        resumed: state.resumed ?? false,
      },
      { status: state.status },
    );
  }

  /**
   * A quiz form's answers by question, and the round whose order it showed (answer-order.ts); also
   * for a form sent as the session ended (src/auth/resume.ts).
   */
  function answersOf(quizId: string, userId: number, raw: Record<string, string | string[]>) {
    const { quiz } = getQuiz(db, quizId);
    const answers: Record<string, string[]> = {};
    for (const q of quiz.questions) {
      const value = raw[`q-${q.id}`];
      answers[q.id] = value === undefined ? [] : [value].flat();
    }
    return { quiz, answers, round: roundOf(db, userId, quizId, raw.round) };
  }

  app.get(
    '/learn/quizzes/:quizId',
    { schema: { params: quizParams }, config: { access: rules.signedIn } },
    async (request, reply) => {
      const userId = request.user!.id;
      const resumed = reply.takeResumedForm();
      if (!resumed) return renderQuiz(reply, request.params.quizId, userId);
      const { answers, round } = answersOf(request.params.quizId, userId, resumed);
      return renderQuiz(reply, request.params.quizId, userId, { answers, round, resumed: true });
    },
  );

  app.post(
    '/learn/quizzes/:quizId',
    { schema: { params: quizParams, body: quizBody }, attachValidation: true, config: { access: rules.own } },
    async (request, reply) => {
      const { quizId } = request.params as { quizId: string };
      const raw = (request.validationError ? {} : request.body) as Record<string, string | string[]>;
      const userId = request.user!.id;
      const { quiz, answers, round } = answersOf(quizId, userId, raw);
      const missing = quiz.questions.filter((q) => answers[q.id]!.length === 0).map((q) => q.id);
      if (missing.length > 0)
        return renderQuiz(reply, quizId, userId, { answers, round, missing, status: 422 });
      const order = answerOrder(quiz.questions, quizId, userId, round);
      const { attempt, earned } = recordProgress(db, mailer, config.baseUrl, {
        kind: 'quiz',
        userId,
        quizId,
        answers,
        answerOrder: order,
      });
      if (earned.length > 0) reply.flash('certificate.flash.earned');
      return reply.redirect(`/learn/quizzes/${quizId}/attempts/${attempt.id}`, 303);
    },
  );

  app.get(
    '/learn/quizzes/:quizId/attempts/:attemptId',
    { schema: { params: attemptParams }, config: { access: rules.own } },
    async (request, reply) => {
      const { quizId, attemptId } = request.params;
      const { quiz, course } = getQuiz(db, quizId);
      const { attempt, history, best } = getAttempt(db, request.user!.id, quizId, attemptId);
      const { results } = gradeQuiz(quiz.questions, attempt.answers);
      const progress = courseProgressOf(db, request.user!.id, course.id);
      // The answers in the order this attempt showed them.
      const questions = inOrder(quiz.questions, attempt.answerOrder);
      return reply.render('learn/quiz-result', {
        quiz,
        questions,
        course,
        attempt,
        results,
        history,
        best,
        progress,
      });
    },
  );

  /** A file of a course, by its path under the course's folder — only those the content declares. */
  function courseFile(folder: string, file: string, allowed: (relativePath: string) => boolean) {
    const relativePath = normalize(file);
    if (relativePath.startsWith('..') || relativePath.includes('\0') || !allowed(relativePath))
      throw new NotFoundError();
    const full = join(coursesRoot, folder, relativePath);
    if (!existsSync(full) || !statSync(full).isFile()) throw new NotFoundError();
    return full;
  }

  app.get(
    '/learn/resources/:courseId/*',
    {
      schema: {
        params: courseParams.extend(fileParams.shape),
        querystring: z.object({ download: z.string().optional().catch(undefined) }),
      },
      config: { access: rules.signedIn },
    },
    async (request, reply) => {
      const { courseId } = request.params;
      const course = catalog(db).coursesById.get(courseId);
      if (!course) throw new NotFoundError();
      const resource = course.resources.find((r) => normalize(r.file) === normalize(request.params['*']));
      if (!resource) throw new NotFoundError();
      const full = courseFile(courseFolder(db, courseId), resource.file, () => true);
      const name = resource.file.split('/').pop()!;
      if (extname(name) === '.md' && request.query.download === undefined) {
        return reply.render('learn/resource', {
          course,
          resource,
          html: renderResource(readFileSync(full, 'utf8')),
        });
      }
      const type = extname(name) === '.csv' ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8';
      return asDownload(reply, type, name, 'private, max-age=3600').send(createReadStream(full));
    },
  );

  // Lesson images: `/learn/media/<course folder>/images/<file>` (see content/render.ts).
  app.get(
    '/learn/media/:folder/*',
    {
      schema: { params: z.object({ folder: contentId }).extend(fileParams.shape) },
      config: { access: rules.signedIn },
    },
    async (request, reply) => {
      const { folder } = request.params;
      if (!isCourseFolder(db, folder)) throw new NotFoundError();
      const full = courseFile(
        folder,
        request.params['*'],
        (p) => p.startsWith('images/') && extname(p) in mediaTypes,
      );
      return reply
        .header('Content-Type', mediaTypes[extname(full)]!)
        .header('Cache-Control', 'private, max-age=86400')
        .send(createReadStream(full));
    },
  );
}

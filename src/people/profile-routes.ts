// "Mon profil": every signed-in person edits their name and language, changes their email (by a
// link sent to the new address) and their password, and sees their organizations and roles.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.ts';
import { locales } from '../i18n/index.ts';
import { RuleError } from '../lib/errors.ts';
import { fieldErrors, fields, keptValues, msg, type ZodTypeProvider } from '../lib/forms.ts';
import { changePassword, confirmEmailChange, requestEmailChange, updateProfile } from './profile.ts';

const profileBody = z.object({
  _csrf: fields.csrf(),
  displayName: fields.name(),
  locale: z.enum(locales, { error: msg('form.chooseOne') }),
});
const emailBody = z.object({ _csrf: fields.csrf(), email: fields.email() });
const passwordBody = z
  .object({
    _csrf: fields.csrf(),
    current: fields.passwordEntered(),
    password: fields.newPassword(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH),
    confirm: z.string({ error: msg('form.passwordRequired') }).max(PASSWORD_MAX_LENGTH + 1),
  })
  .refine((d) => d.password === d.confirm, { error: msg('form.passwordMismatch'), path: ['confirm'] });
const tokenParams = z.object({ token: z.string().max(200) });

type Section = 'profile' | 'email' | 'password';

export default async function profileRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;

  function renderProfile(
    reply: FastifyReply,
    state: {
      section?: Section;
      values?: Record<string, string>;
      errors?: Record<string, string>;
      status?: number;
    } = {},
  ) {
    const user = reply.request.user!;
    const values = { displayName: user.displayName, locale: user.locale, email: '', ...(state.values ?? {}) };
    return reply.render(
      'profile/show',
      { section: state.section ?? null, values, errors: state.errors ?? {}, minLength: PASSWORD_MIN_LENGTH },
      { status: state.status },
    );
  }

  app.get('/profile', { config: { access: 'signed-in' } }, async (_request, reply) => renderProfile(reply));

  app.post(
    '/profile',
    { schema: { body: profileBody }, attachValidation: true, config: { access: 'signed-in' } },
    async (request, reply) => {
      if (request.validationError) {
        return renderProfile(reply, {
          section: 'profile',
          values: keptValues(request.body, ['displayName', 'locale']),
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      }
      updateProfile(db, request.user!.id, request.body);
      reply.flash('profile.flash.saved');
      return reply.redirect('/profile', 303);
    },
  );

  app.post(
    '/profile/email',
    { schema: { body: emailBody }, attachValidation: true, config: { access: 'signed-in' } },
    async (request, reply) => {
      const values = keptValues(request.body, ['email']);
      if (request.validationError) {
        return renderProfile(reply, {
          section: 'email',
          values,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      }
      try {
        requestEmailChange(db, mailer, config.baseUrl, request.user!.id, request.body.email);
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        return renderProfile(reply, {
          section: 'email',
          values,
          errors: { email: request.t(error.key) },
          status: 422,
        });
      }
      reply.flash('profile.flash.emailSent', { email: request.body.email }, 'info');
      return reply.redirect('/profile', 303);
    },
  );

  // Opened from the email: works signed in or not (the token is the proof).
  app.get(
    '/profile/email/:token',
    { schema: { params: tokenParams }, config: { access: 'public' } },
    async (request, reply) => {
      const userId = confirmEmailChange(db, request.params.token);
      if (userId === null) {
        return reply.render('auth/link-invalid', { kind: 'email', reason: 'expired' }, { status: 410 });
      }
      reply.flash('profile.flash.emailChanged');
      return reply.redirect(request.user ? '/profile' : '/login', 303);
    },
  );

  app.post(
    '/profile/password',
    { schema: { body: passwordBody }, attachValidation: true, config: { access: 'signed-in' } },
    async (request, reply) => {
      if (request.validationError) {
        return renderProfile(reply, {
          section: 'password',
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      }
      const userId = request.user!.id;
      try {
        await changePassword(db, userId, request.body);
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        return renderProfile(reply, {
          section: 'password',
          errors: { current: request.t(error.key) },
          status: 422,
        });
      }
      // Every session ended with the change: this one starts afresh.
      reply.signIn(userId);
      reply.flash('profile.flash.passwordChanged');
      return reply.redirect('/profile', 303);
    },
  );
}

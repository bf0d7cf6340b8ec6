// "Mon profil": every signed-in person edits their name and language, changes their email (current
// password asked; a link sent to the new address, an undo link to the old one) and their password,
// and sees their organizations and roles. Current passwords are checked through one throttle per
// account (auth/current-password.ts); new passwords through auth/password-strength.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { currentPasswordChecker } from '../auth/current-password.ts';
import { passwordWeakness } from '../auth/password-strength.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.ts';
import { createThrottle } from '../auth/throttle.ts';
import { type Locale, offeredLocales } from '../i18n/index.ts';
import { RuleError } from '../lib/errors.ts';
import {
  type FieldErrors,
  fieldErrors,
  fields,
  keptValues,
  msg,
  type ZodTypeProvider,
} from '../lib/forms.ts';
import { formatDate } from '../lib/time.ts';
import { rules } from '../policy/route-rules.ts';
import { confirmEmailChange, findEmailUndo, requestEmailChange, undoEmailChange } from './email-change.ts';
import { changePassword, updateProfile } from './profile.ts';

const profileBody = z.object({
  _csrf: fields.csrf(),
  displayName: fields.name(),
  /** Only a language that is offered (complete); absent when French is the only one. */
  locale: z.enum(offeredLocales as [Locale, ...Locale[]], { error: msg('form.chooseOne') }).optional(),
});
const emailBody = z.object({
  _csrf: fields.csrf(),
  email: fields.email(),
  emailPassword: fields.passwordEntered(),
});
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

/** Asking to change the address sends a mail: five requests an hour per account at most. */
const EMAIL_CHANGE_LIMIT = { max: 5, windowMs: 60 * 60_000 };

export default async function profileRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;
  const checkCurrentPassword = currentPasswordChecker(app);
  const emailChangeThrottle = createThrottle(app, 'email-change', { perAccount: EMAIL_CHANGE_LIMIT });

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
      {
        section: state.section ?? null,
        values,
        errors: state.errors ?? {},
        minLength: PASSWORD_MIN_LENGTH,
        locales: offeredLocales,
      },
      { status: state.status },
    );
  }

  /** The current password typed in `field`: null when right, else the error and the status to answer. */
  async function currentPasswordError(request: FastifyRequest, field: string, password: string) {
    const check = await checkCurrentPassword(request, request.user!.id, password);
    if (check.ok) return null;
    if (check.wait === undefined)
      return { errors: { [field]: request.t('profile.error.wrongPassword') }, status: 422 };
    return {
      errors: { [field]: request.t('password.tooManyChecks', { count: Math.ceil(check.wait / 60) }) },
      status: 429,
      wait: check.wait,
    };
  }

  app.get('/profile', { config: { access: rules.own } }, async (_request, reply) => renderProfile(reply));

  app.post(
    '/profile',
    { schema: { body: profileBody }, attachValidation: true, config: { access: rules.own } },
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
    { schema: { body: emailBody }, attachValidation: true, config: { access: rules.own } },
    async (request, reply) => {
      const values = keptValues(request.body, ['email']);
      const fail = (errors: FieldErrors, status: number) =>
        renderProfile(reply, { section: 'email', values, errors, status });
      if (request.validationError) return fail(fieldErrors(request.validationError, request.t), 422);
      const userId = request.user!.id;
      const wrong = await currentPasswordError(request, 'emailPassword', request.body.emailPassword);
      if (wrong) {
        if (wrong.wait) reply.header('Retry-After', String(wrong.wait));
        return fail(wrong.errors, wrong.status);
      }
      const blocked = await emailChangeThrottle.check(request, String(userId));
      if (blocked) {
        reply.header('Retry-After', String(blocked.wait));
        return fail({ email: request.t('profile.error.tooManyEmailChanges') }, 429);
      }
      try {
        requestEmailChange(db, mailer, config.baseUrl, userId, request.body.email);
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        return fail({ email: request.t(error.key) }, 422);
      }
      await emailChangeThrottle.hit(request, String(userId));
      // The same answer whether or not another account uses the address (email-change.ts).
      reply.flash('profile.flash.emailRequested', { email: request.body.email }, 'info');
      // The form's address ends in #h-email (an error answer shows that section): the flash is on top.
      return reply.redirect('/profile#main', 303);
    },
  );

  function renderInvalidLink(
    reply: FastifyReply,
    kind: 'email' | 'email-undo',
    state: 'expired' | 'unknown',
  ) {
    return reply.render(
      'auth/link-invalid',
      { kind, reason: state },
      { status: state === 'unknown' ? 404 : 410 },
    );
  }

  // Opened from the email: works signed in or not (the token is the proof).
  app.get(
    '/profile/email/:token',
    { schema: { params: tokenParams }, config: { access: 'public' } },
    async (request, reply) => {
      const session = request.session ? { id: request.session.id, userId: request.session.userId } : null;
      const result = confirmEmailChange(db, mailer, config.baseUrl, request.params.token, session);
      if (result.state === 'taken') {
        return reply.render('profile/email-taken', { email: result.email }, { status: 409 });
      }
      if (result.state !== 'done') return renderInvalidLink(reply, 'email', result.state);
      reply.flash('profile.flash.emailConfirmed');
      return reply.redirect(request.user?.id === result.userId ? '/profile' : '/login', 303);
    },
  );

  // Opened from the notice sent to the old address: a page first (mail scanners follow links), then
  // a post that restores the address, ends every session and leads to choosing a new password.
  app.get(
    '/profile/email/undo/:token',
    { schema: { params: tokenParams }, config: { access: 'public' } },
    async (request, reply) => {
      const found = findEmailUndo(db, request.params.token);
      if (found.state !== 'valid') return renderInvalidLink(reply, 'email-undo', found.state);
      reply.header('Referrer-Policy', 'same-origin');
      return reply.render('profile/email-undo', {
        token: request.params.token,
        previousEmail: found.previousEmail,
        newEmail: found.newEmail,
        date: formatDate(found.changedAt, request.user?.timeZone),
      });
    },
  );

  app.post(
    '/profile/email/undo/:token',
    { schema: { params: tokenParams }, config: { access: 'public' } },
    async (request, reply) => {
      const result = undoEmailChange(db, request.params.token);
      if (result.state === 'expired' || result.state === 'unknown') {
        return renderInvalidLink(reply, 'email-undo', result.state);
      }
      // Whoever was signed in here is signed out too: the account's sessions all ended.
      reply.signOut();
      if (result.state === 'taken') {
        return reply.render('profile/email-undo-taken', { email: result.email }, { status: 409 });
      }
      reply.flash('email.undo.done', { email: result.email }, 'info');
      return reply.redirect(`/password/reset/${result.resetToken}`, 303);
    },
  );

  app.post(
    '/profile/password',
    { schema: { body: passwordBody }, attachValidation: true, config: { access: rules.own } },
    async (request, reply) => {
      const user = request.user!;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const errors = request.validationError ? fieldErrors(request.validationError, request.t) : {};
      let status = 422;
      if (!errors.password && typeof body.password === 'string') {
        const weakness = await passwordWeakness(body.password, [user.email, user.displayName]);
        if (weakness) errors.password = `${request.t(weakness)} ${request.t('password.weak.advice')}`;
      }
      if (!errors.current && typeof body.current === 'string') {
        const wrong = await currentPasswordError(request, 'current', body.current);
        if (wrong) {
          Object.assign(errors, wrong.errors);
          status = wrong.status;
          if (wrong.wait) reply.header('Retry-After', String(wrong.wait));
        }
      }
      if (Object.keys(errors).length > 0)
        return renderProfile(reply, { section: 'password', errors, status });
      await changePassword(db, user.id, request.body.password);
      // Every session ended with the change: this one starts afresh.
      reply.signIn(user.id);
      reply.flash('profile.flash.passwordChanged');
      return reply.redirect('/profile#main', 303);
    },
  );
}

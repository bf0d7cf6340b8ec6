// Sign-in, sign-out, forgotten password and invitation links. Plain HTML forms: they work the
// same with JavaScript off.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fieldErrors, fields, keptValues, msg, parseForm, type ZodTypeProvider } from '../lib/forms.ts';
import { findUserByEmail } from '../people/users.ts';
import { rules } from '../policy/route-rules.ts';
import { acceptInvitation, findInvitation } from './invitations.ts';
import {
  findPasswordReset,
  RESET_TTL_MINUTES,
  requestPasswordReset,
  resetPassword,
} from './password-reset.ts';
import { passwordWeakness, preloadPasswordStrength } from './password-strength.ts';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from './passwords.ts';
import { createThrottle } from './throttle.ts';

/**
 * Only a path of this site, as a Location header can carry it: one `/` then printable ASCII (a
 * browser sends anything else %-encoded) — never `//evil.example`, a backslash (read as `/`), a
 * space or a control character, nor `/。evil`, which Node refuses to write in a header. Anything
 * else gives null: the caller goes home.
 */
const SAFE_NEXT = /^\/(?!\/)[\x21-\x5b\x5d-\x7e]*$/;
export function safeNext(next: string | undefined): string | null {
  return typeof next === 'string' && next.length <= 500 && SAFE_NEXT.test(next) ? next : null;
}

/**
 * Failed sign-ins per account from any address: above the per-address budget (10 a minute), so one
 * attacker's address never blocks the owner elsewhere; across many addresses, 80 guesses an hour.
 */
const LOGIN_ACCOUNT_LIMIT = { max: 20, windowMs: 15 * 60_000 };

const nextQuery = z.object({ next: z.string().max(500).optional().catch(undefined) });
const tokenParams = z.object({ token: z.string().max(200) });
const loginBody = z.object({
  email: fields.email(),
  password: fields.passwordEntered(),
  _csrf: fields.csrf(),
});
const forgotBody = z.object({ email: fields.email(), _csrf: fields.csrf() });
const newPassword = {
  password: fields.newPassword(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH),
  confirm: z.string({ error: msg('form.passwordRequired') }).max(PASSWORD_MAX_LENGTH + 1),
};
const passwordsMatch = (d: { password: string; confirm: string }) => d.password === d.confirm;
const mismatch = { error: msg('form.passwordMismatch'), path: ['confirm'] };
const resetBody = z.object({ ...newPassword, _csrf: fields.csrf() }).refine(passwordsMatch, mismatch);
const invitationBody = z
  .object({ displayName: fields.name(), ...newPassword, _csrf: fields.csrf() })
  .refine(passwordsMatch, mismatch);
/** Accepting with an existing account sends nothing but the CSRF token. */
const invitationAnyBody = z.record(z.string(), z.unknown());

export default async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;
  const loginThrottle = createThrottle(app, 'login', {
    perAddressAndAccount: { max: 10, windowMs: 60_000 },
    perAddress: { max: 100, windowMs: 60_000 },
    perAccount: LOGIN_ACCOUNT_LIMIT,
  });
  const forgotThrottle = createThrottle(app, 'forgot', {
    perAddressAndAccount: { max: 3, windowMs: 15 * 60_000 },
    perAddress: { max: 30, windowMs: 60_000 },
  });

  /** The new password's error, if it is common or guessable (password-strength.ts). */
  async function weakPasswordError(
    request: FastifyRequest,
    password: string,
    personal: Array<string | null | undefined>,
  ) {
    const weakness = await passwordWeakness(password, personal);
    return weakness ? `${request.t(weakness)} ${request.t('password.weak.advice')}` : null;
  }

  function renderLogin(
    reply: FastifyReply,
    next: string | null,
    state: {
      errors?: Record<string, string>;
      values?: Record<string, string>;
      formError?: string;
      status?: number;
    } = {},
  ) {
    return reply.render(
      'auth/login',
      { next, errors: state.errors ?? {}, values: state.values ?? { email: '' }, formError: state.formError },
      { status: state.status },
    );
  }

  app.get(
    '/login',
    { schema: { querystring: nextQuery }, config: { access: 'public' } },
    async (request, reply) => {
      const next = safeNext(request.query.next);
      if (request.user) return reply.redirect(next ?? '/', 303);
      // The same for every visitor (their CSRF token aside): kept as rendered (plugins/kept-pages.ts).
      // With `next`, it shows part of the address it was given: made afresh, with a fresh token.
      if (next !== null) return renderLogin(reply, next);
      return reply.renderKept('auth/login', () => ({
        next: null,
        errors: {},
        values: { email: '' },
        formError: undefined,
      }));
    },
  );

  app.post(
    '/login',
    {
      schema: { querystring: nextQuery, body: loginBody },
      attachValidation: true,
      config: { access: 'public' },
    },
    async (request, reply) => {
      const next = safeNext((request.query as { next?: string } | undefined)?.next);
      if (request.validationError) {
        return renderLogin(reply, next, {
          errors: fieldErrors(request.validationError, reply.request.t),
          values: keptValues(request.body, ['email']),
          status: 422,
        });
      }
      const { email, password } = request.body;
      const blocked = await loginThrottle.check(request, email);
      if (blocked) {
        reply.header('Retry-After', String(blocked.wait));
        return renderLogin(reply, next, {
          formError:
            blocked.scope === 'account'
              ? reply.request.t('login.tooManyAccount', { count: Math.ceil(blocked.wait / 60) })
              : reply.request.t('login.tooMany'),
          values: { email },
          status: 429,
        });
      }
      const user = findUserByEmail(db, email);
      const ok = await verifyPassword(user?.passwordHash ?? null, password);
      if (!user || !ok) {
        await loginThrottle.hit(request, email);
        return renderLogin(reply, next, {
          formError: reply.request.t('login.invalid'),
          values: { email },
          status: 401,
        });
      }
      if (user.disabledAt) {
        return renderLogin(reply, next, {
          formError: reply.request.t('login.disabled'),
          values: { email },
          status: 403,
        });
      }
      reply.signIn(user.id);
      return reply.redirect(next ?? '/', 303);
    },
  );

  app.post('/logout', { config: { access: rules.own } }, async (_request, reply) => {
    reply.signOut();
    reply.flash('logout.done', undefined, 'info');
    return reply.redirect('/login', 303);
  });

  function renderForgot(
    reply: FastifyReply,
    state: { errors?: Record<string, string>; email?: string; formError?: string; status?: number } = {},
  ) {
    return reply.render(
      'auth/forgot',
      { errors: state.errors ?? {}, values: { email: state.email ?? '' }, formError: state.formError },
      { status: state.status },
    );
  }

  app.get('/password/forgot', { config: { access: 'public' } }, async (_request, reply) =>
    renderForgot(reply),
  );

  app.post(
    '/password/forgot',
    { schema: { body: forgotBody }, attachValidation: true, config: { access: 'public' } },
    async (request, reply) => {
      if (request.validationError) {
        return renderForgot(reply, {
          errors: fieldErrors(request.validationError, reply.request.t),
          email: keptValues(request.body, ['email']).email,
          status: 422,
        });
      }
      const { email } = request.body;
      const blocked = await forgotThrottle.check(request, email);
      if (blocked) {
        reply.header('Retry-After', String(blocked.wait));
        return renderForgot(reply, { formError: reply.request.t('forgot.tooMany'), email, status: 429 });
      }
      await forgotThrottle.hit(request, email);
      requestPasswordReset(db, mailer, email, config.baseUrl);
      return reply.render('auth/forgot-sent', { email, minutes: RESET_TTL_MINUTES });
    },
  );

  function renderInvalidLink(
    reply: FastifyReply,
    kind: 'reset' | 'invitation',
    reason: 'unknown' | 'expired',
  ) {
    return reply.render('auth/link-invalid', { kind, reason }, { status: reason === 'unknown' ? 404 : 410 });
  }

  function renderReset(
    reply: FastifyReply,
    token: string,
    email: string,
    errors: Record<string, string> = {},
    status?: number,
  ) {
    return reply.render('auth/reset', { token, email, errors, minLength: PASSWORD_MIN_LENGTH }, { status });
  }

  app.get(
    '/password/reset/:token',
    { schema: { params: tokenParams }, config: { access: 'public' } },
    async (request, reply) => {
      const found = findPasswordReset(db, request.params.token);
      if (found.state !== 'valid') return renderInvalidLink(reply, 'reset', found.state);
      preloadPasswordStrength();
      reply.header('Referrer-Policy', 'same-origin');
      return renderReset(reply, request.params.token, found.email);
    },
  );

  app.post(
    '/password/reset/:token',
    {
      schema: { params: tokenParams, body: resetBody },
      attachValidation: true,
      config: { access: 'public' },
    },
    async (request, reply) => {
      const token = (request.params as { token: string }).token;
      const found = findPasswordReset(db, token);
      if (found.state !== 'valid') return renderInvalidLink(reply, 'reset', found.state);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const errors = request.validationError ? fieldErrors(request.validationError, reply.request.t) : {};
      if (!errors.password && typeof body.password === 'string') {
        const weak = await weakPasswordError(request, body.password, [found.email]);
        if (weak) errors.password = weak;
      }
      if (Object.keys(errors).length > 0) return renderReset(reply, token, found.email, errors, 422);
      const userId = resetPassword(db, token, await hashPassword(request.body.password));
      if (userId === null) return renderInvalidLink(reply, 'reset', 'expired');
      reply.signIn(userId);
      reply.flash('reset.done');
      return reply.redirect('/', 303);
    },
  );

  app.get(
    '/invitation/:token',
    { schema: { params: tokenParams }, config: { access: 'public' } },
    async (request, reply) => {
      const invitation = findInvitation(db, request.params.token);
      if (invitation.state !== 'valid') return renderInvalidLink(reply, 'invitation', invitation.state);
      if (invitation.existingUserId === null) preloadPasswordStrength();
      reply.header('Referrer-Policy', 'same-origin');
      return reply.render('auth/invitation', {
        token: request.params.token,
        invitation,
        errors: {},
        values: { displayName: invitation.displayName },
        minLength: PASSWORD_MIN_LENGTH,
      });
    },
  );

  app.post(
    '/invitation/:token',
    { schema: { params: tokenParams, body: invitationAnyBody }, config: { access: 'public' } },
    async (request, reply) => acceptInvitationRoute(request, reply),
  );

  async function acceptInvitationRoute(
    request: FastifyRequest<{ Params: { token: string } }>,
    reply: FastifyReply,
  ) {
    const token = request.params.token;
    const invitation = findInvitation(db, token);
    if (invitation.state !== 'valid') return renderInvalidLink(reply, 'invitation', invitation.state);

    if (invitation.existingUserId !== null) {
      // The person already has an account: they accept while signed in as that account.
      if (request.user?.id !== invitation.existingUserId) {
        return reply.redirect(`/login?next=${encodeURIComponent(`/invitation/${token}`)}`, 303);
      }
      const userId = acceptInvitation(db, token, { userId: invitation.existingUserId });
      if (userId === null) return renderInvalidLink(reply, 'invitation', 'expired');
      reply.flash('invitation.accepted', { organization: invitation.organizationName });
      return reply.redirect('/', 303);
    }

    const parsed = parseForm(invitationBody, request.body);
    const errors = parsed.success ? {} : fieldErrors(parsed.error, reply.request.t);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!errors.password && typeof body.password === 'string') {
      const name = typeof body.displayName === 'string' ? body.displayName : invitation.displayName;
      const weak = await weakPasswordError(request, body.password, [invitation.email, name]);
      if (weak) errors.password = weak;
    }
    if (!parsed.success || Object.keys(errors).length > 0) {
      return reply.render(
        'auth/invitation',
        {
          token,
          invitation,
          errors,
          values: keptValues(request.body, ['displayName']),
          minLength: PASSWORD_MIN_LENGTH,
        },
        { status: 422 },
      );
    }
    const passwordHash = await hashPassword(parsed.data.password);
    const userId = acceptInvitation(db, token, {
      newAccount: { displayName: parsed.data.displayName, passwordHash },
    });
    if (userId === null) return renderInvalidLink(reply, 'invitation', 'expired');
    reply.signIn(userId);
    reply.flash('invitation.done', { name: parsed.data.displayName });
    return reply.redirect('/', 303);
  }
}

// The person's rights on their data: see and download all of it (/me/data, /me/data.json), delete
// their account after confirming with their password (/me/delete); the national team deletes an
// account on someone's request (/people/:id/erase). The privacy notice is public (/confidentialite).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { currentPasswordChecker } from '../auth/current-password.ts';
import { revocationCauseLabel } from '../certificates/certificates.ts';
import { asDownload } from '../lib/download.ts';
import { NotFoundError } from '../lib/errors.ts';
import { fieldErrors, fields, msg, params, ruleErrors, type ZodTypeProvider } from '../lib/forms.ts';
import { rules } from '../policy/route-rules.ts';
import { erasableAccount, eraseAccount } from './erase.ts';
import { personalData } from './export.ts';
import { readablePersonalData } from './readable.ts';
import { retentionPolicy } from './retention.ts';

const deleteBody = z.object({
  _csrf: fields.csrf(),
  password: fields.passwordEntered(),
  understood: z.literal('on', { error: msg('privacy.error.understood') }),
});
const eraseBody = z.object({
  _csrf: fields.csrf(),
  email: z.string({ error: msg('privacy.error.confirmEmail') }).max(320),
});

export default async function privacyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, mailer, config } = app.deps;
  const checkCurrentPassword = currentPasswordChecker(app);

  app.get('/confidentialite', { config: { access: 'public' } }, async (_request, reply) =>
    reply.render('privacy/notice', {
      policy: retentionPolicy,
      erasedReason: revocationCauseLabel('holder_request'),
    }),
  );

  app.get('/me/data', { config: { access: rules.own } }, async (request, reply) => {
    const data = personalData(db, request.user!.id, request.t)!;
    return reply
      .header('Cache-Control', 'private, no-store')
      .render('privacy/data', { sections: readablePersonalData(db, data, request.t) });
  });

  app.get('/me/data.json', { config: { access: rules.own } }, async (request, reply) => {
    const data = personalData(db, request.user!.id, request.t)!;
    return asDownload(reply, 'application/json; charset=utf-8', 'mes-donnees-passerelle.json').send(
      JSON.stringify(data, null, 2),
    );
  });

  app.get('/me/delete', { config: { access: rules.own } }, async (_request, reply) =>
    reply.render('privacy/delete', { errors: {}, understood: false }),
  );

  app.post(
    '/me/delete',
    { schema: { body: deleteBody }, attachValidation: true, config: { access: rules.own } },
    async (request, reply) => {
      const user = request.user!;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const errors = request.validationError ? fieldErrors(request.validationError, request.t) : {};
      const password = typeof body.password === 'string' ? body.password : '';
      let status = 422;
      if (!errors.password) {
        // Throttled per account with the profile's password checks (auth/current-password.ts).
        const check = await checkCurrentPassword(request, user.id, password);
        if (!check.ok && check.wait) {
          errors.password = request.t('password.tooManyChecks', { count: Math.ceil(check.wait / 60) });
          reply.header('Retry-After', String(check.wait));
          status = 429;
        } else if (!check.ok) errors.password = request.t('privacy.error.password');
      }
      if (Object.keys(errors).length > 0)
        return reply.render('privacy/delete', { errors, understood: body.understood === 'on' }, { status });
      try {
        eraseAccount(db, user.id, { mailer, baseUrl: config.baseUrl, actorId: user.id });
      } catch (error) {
        const rule = ruleErrors(error, request.t);
        if (!rule) throw error;
        return reply.render('privacy/delete', { errors: rule, understood: true }, { status: 422 });
      }
      reply.signOut();
      return reply.redirect('/me/deleted', 303);
    },
  );

  app.get('/me/deleted', { config: { access: 'public' } }, async (_request, reply) =>
    reply.render('privacy/deleted', {}),
  );

  // The national team, on a person's written request (the email typed again to confirm).
  function person(id: number) {
    const account = erasableAccount(db, id);
    if (!account) throw new NotFoundError();
    return account;
  }

  app.get(
    '/people/:id/erase',
    { schema: { params: params.id() }, config: { access: rules.national } },
    async (request, reply) =>
      reply.render('privacy/erase', { person: person(request.params.id), errors: {}, email: '' }),
  );

  app.post(
    '/people/:id/erase',
    {
      schema: { params: params.id(), body: eraseBody },
      attachValidation: true,
      config: { access: rules.national },
    },
    async (request, reply) => {
      if (request.validationError?.validationContext === 'params') throw new NotFoundError();
      const target = person((request.params as { id: number }).id);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const typed = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
      const errors: Record<string, string> = request.validationError
        ? fieldErrors(request.validationError, request.t)
        : typed !== target.email.toLowerCase()
          ? { email: request.t('privacy.error.confirmEmail') }
          : {};
      if (Object.keys(errors).length === 0) {
        try {
          eraseAccount(db, target.id, { mailer, baseUrl: config.baseUrl, actorId: request.user!.id });
          reply.flash('privacy.flash.erased');
          return reply.redirect('/people', 303);
        } catch (error) {
          const rule = ruleErrors(error, request.t);
          if (!rule) throw error;
          Object.assign(errors, rule);
        }
      }
      return reply.render(
        'privacy/erase',
        { person: target, errors, email: typeof body.email === 'string' ? body.email.slice(0, 320) : '' },
        { status: 422 },
      );
    },
  );
}

// `request.t`: the message catalogue in the signed-in person's language (French otherwise).
import fp from 'fastify-plugin';
import { type Locale, pickLocale, type Translate, translator } from '../i18n/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
  }
}

export default fp(
  async (app) => {
    app.decorateRequest('locale', 'fr');
    app.decorateRequest('t', null as unknown as Translate);
    app.addHook('onRequest', (request, _reply, done) => {
      request.locale = pickLocale(request.user?.locale);
      request.t = translator(request.locale);
      done();
    });
  },
  { name: 'i18n', dependencies: ['session'] },
);

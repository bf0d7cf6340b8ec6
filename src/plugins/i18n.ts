// `request.t`: the message catalogue in the signed-in person's language (French otherwise).
import fp from 'fastify-plugin';
import { type Locale, pickLocale, type Translate, translator } from '../i18n/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
  }
}

const french = translator('fr');

export default fp(
  async (app) => {
    app.decorateRequest('locale', 'fr');
    app.decorateRequest('t', null as unknown as Translate);
    app.addHook('onRequest', async (request) => {
      request.locale = pickLocale(request.user?.locale);
      request.t = request.locale === 'fr' ? french : translator(request.locale);
    });
  },
  { name: 'i18n', dependencies: ['session'] },
);

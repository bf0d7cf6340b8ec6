// The one place that decides page or fragment (tf2pickup's htmx middleware): a partial htmx
// request gets the fragment, everything else — plain navigation, history restore, htmx requests
// that swap the whole body — gets the full page. `Vary: HX-Request` keeps caches from mixing them.
import fp from 'fastify-plugin';

export interface HtmxInfo {
  /** The request comes from htmx. */
  request: boolean;
  /** Answer with the fragment for the target, not the page. */
  partial: boolean;
  /** `tag#id` of the swap target, when htmx sent one. */
  target: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    htmx: HtmxInfo;
  }
}

export default fp(
  async (app) => {
    app.decorateRequest('htmx', null as unknown as HtmxInfo);
    app.addHook('onRequest', (request, reply, done) => {
      const h = request.headers;
      const isHtmx = h['hx-request'] === 'true';
      const restoring = h['hx-history-restore-request'] === 'true';
      request.htmx = {
        request: isHtmx,
        partial: isHtmx && !restoring && h['hx-request-type'] !== 'full',
        target: typeof h['hx-target'] === 'string' ? h['hx-target'] : null,
      };
      reply.header('Vary', 'HX-Request');
      done();
    });
  },
  { name: 'htmx' },
);

// Eta templates through @fastify/view, and `reply.render()`: the page, or only its fragment when
// htmx asks for a partial swap (see plugins/htmx.ts). Every template gets the same locals: `t`,
// `user`, `csrfToken`, `flash`, `asset()`, `path`.
import { fileURLToPath } from 'node:url';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { translator } from '../i18n/index.ts';

export const viewsDir = fileURLToPath(new URL('../../views', import.meta.url));

export interface RenderOptions {
  /** Template rendered without layout when htmx asks for a partial swap. */
  fragment?: string;
  status?: number;
}

declare module 'fastify' {
  interface FastifyReply {
    render(template: string, data?: Record<string, unknown>, options?: RenderOptions): Promise<FastifyReply>;
    /** The locals every template receives (also used by the error pages). */
    viewLocals(): Record<string, unknown>;
  }
}

/**
 * Eta resolves a template's path (JSON key, path.join, path.relative) on every render and include;
 * with cached templates the answer never changes, so it is memoized — a third of a small page's
 * rendering time otherwise (measured in `npm run bench`).
 */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function memoizeResolvePath(eta: Eta): void {
  const original = eta.resolvePath;
  if (!original) return;
  const resolved = new Map<string, string>();
  eta.resolvePath = function (template, options) {
    if (!this.config.cache) return original.call(this, template, options);
    const key = `${options?.filepath ?? ''}\0${template}`;
    let path = resolved.get(key);
    if (path === undefined) {
      path = original.call(this, template, options);
      resolved.set(key, path);
    }
    return path;
  };
}

export default fp(
  async (app, opts: { cache: boolean }) => {
    // rmWhitespace drops the templates' indentation (interpolated values keep theirs): smaller pages.
    const eta = new Eta({
      views: viewsDir,
      cache: opts.cache,
      autoEscape: true,
      autoTrim: [false, 'nl'],
      rmWhitespace: true,
    });
    memoizeResolvePath(eta);
    await app.register(fastifyView, { engine: { eta }, templates: viewsDir, production: opts.cache });

    const asset = (name: string) => app.assetUrl(name);
    app.decorateReply('viewLocals', function (this: FastifyReply) {
      const request = this.request;
      return {
        t: request.t ?? translator('fr'),
        lang: request.locale ?? 'fr',
        user: request.user,
        csrfToken: this.generateCsrf(),
        flash: this.takeFlash(),
        asset,
        path: pathOf(request.url),
      };
    });

    app.decorateReply(
      'render',
      async function (
        this: FastifyReply,
        template: string,
        data: Record<string, unknown> = {},
        options: RenderOptions = {},
      ) {
        const partial = options.fragment !== undefined && this.request.htmx.partial;
        const html = await this.viewAsync(partial ? options.fragment! : template, {
          ...this.viewLocals(),
          ...data,
        });
        if (options.status) this.code(options.status);
        return this.type('text/html; charset=utf-8').send(html);
      },
    );
  },
  { name: 'view', dependencies: ['assets', 'flash', 'htmx', '@fastify/csrf-protection'] },
);

// Error and "not found" pages: in the layout, in French, with the right status, never a stack
// trace. An htmx request gets the same message swapped into #main.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { MessageKey } from '../i18n/index.ts';
import { ForbiddenError, RuleError } from '../lib/errors.ts';
import { AccessError } from './access.ts';
import { ForeignOriginError } from './security.ts';

interface ErrorView {
  status: number;
  title: MessageKey;
  text: MessageKey;
  params?: Record<string, string | number>;
}

const known: Record<number, ErrorView> = {
  400: { status: 400, title: 'error.400.title', text: 'error.400.text' },
  401: { status: 401, title: 'error.401.title', text: 'error.401.text' },
  403: { status: 403, title: 'error.403.title', text: 'error.403.text' },
  404: { status: 404, title: 'error.404.title', text: 'error.404.text' },
  405: { status: 405, title: 'error.405.title', text: 'error.405.text' },
  413: { status: 413, title: 'error.413.title', text: 'error.413.text' },
  415: { status: 415, title: 'error.415.title', text: 'error.415.text' },
  422: { status: 422, title: 'error.422.title', text: 'error.400.text' },
  429: { status: 429, title: 'error.429.title', text: 'error.429.text' },
  500: { status: 500, title: 'error.500.title', text: 'error.500.text' },
};

export function errorView(error: Partial<FastifyError> & { statusCode?: number }): ErrorView {
  if (error instanceof ForeignOriginError)
    return { status: 403, title: 'error.403.title', text: 'error.origin.text' };
  if (error instanceof AccessError) return known[error.statusCode]!;
  if (error instanceof ForbiddenError) return { status: 403, title: 'error.403.title', text: error.key };
  if (error instanceof RuleError) {
    return { status: 422, title: 'error.422.title', text: error.key, params: error.params };
  }
  if (typeof error.code === 'string' && error.code.startsWith('FST_CSRF_')) {
    return { status: 403, title: 'error.csrf.title', text: 'error.csrf.text' };
  }
  // A broken multipart body (cut short, no boundary) is the client's: busboy says so with a bare Error.
  if (error.statusCode === undefined && /[\\/]@fastify[\\/]busboy[\\/]/.test(error.stack ?? ''))
    return known[400]!;
  // A URL whose ids do not fit names no page: "not found", as for an unknown id.
  if (error.code === 'FST_ERR_VALIDATION' && error.validationContext === 'params') return known[404]!;
  const status = error.statusCode ?? 500;
  if (status >= 500) return known[500]!;
  return known[status] ?? known[400]!;
}

export async function renderError(request: FastifyRequest, reply: FastifyReply, view: ErrorView) {
  reply.code(view.status);
  const data = Object.assign(reply.viewLocals(), {
    status: view.status,
    titleKey: view.title,
    textKey: view.text,
    textParams: view.params,
  });
  if (request.htmx?.request) {
    reply.header('HX-Retarget', '#main').header('HX-Reswap', 'outerHTML');
    return reply.type('text/html; charset=utf-8').send(await reply.viewAsync('errors/_error', data));
  }
  return reply.type('text/html; charset=utf-8').send(await reply.viewAsync('errors/error', data));
}

export default fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const view = errorView(error);
      if (view.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code: error.code, status: view.status }, error.message);
      try {
        return await renderError(request, reply, view);
      } catch (renderFailure) {
        // The error page itself failed (broken template, closed database): plain text, no details.
        request.log.error({ err: renderFailure }, 'error page failed');
        return reply.code(view.status).type('text/plain; charset=utf-8').send('Une erreur est survenue.');
      }
    });
    app.setNotFoundHandler(async (request, reply) => renderError(request, reply, known[404]!));
  },
  { name: 'errors', dependencies: ['view'] },
);

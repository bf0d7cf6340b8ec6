// Error and "not found" pages: in the layout, in French, with the right status, never a stack
// trace and never the URL asked for. An htmx request gets the same message swapped into #main.
// Three ways in: the error handler (errors of routes and hooks), the not-found handler, and the two
// answers Fastify and Node give before any route — `frameworkErrors` (a URL that cannot be decoded,
// a parameter over maxParamLength) and `clientErrorHandler` (a request Node cannot even parse).
import { type IncomingMessage, STATUS_CODES, validateHeaderValue } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type MessageKey, translator } from '../i18n/index.ts';
import { ForbiddenError, RuleError } from '../lib/errors.ts';
import type { ErrorPage } from '../views.ts';
import { AccessError } from './access.ts';
import { ForeignOriginError } from './security.ts';

interface ErrorView {
  status: number;
  /** The page's <title>, and its heading unless `heading` says otherwise. */
  title: MessageKey;
  heading?: MessageKey;
  text: MessageKey;
  params?: Record<string, string | number>;
}

const known: Record<number, ErrorView> = {
  400: { status: 400, title: 'error.400.title', text: 'error.400.text' },
  401: { status: 401, title: 'error.401.title', text: 'error.401.text' },
  403: { status: 403, title: 'error.403.title', text: 'error.403.text' },
  404: { status: 404, title: 'error.404.title', heading: 'error.404.heading', text: 'error.404.text' },
  405: { status: 405, title: 'error.405.title', text: 'error.405.text' },
  408: { status: 408, title: 'error.408.title', text: 'error.408.text' },
  413: { status: 413, title: 'error.413.title', text: 'error.413.text' },
  414: { status: 414, title: 'error.414.title', text: 'error.414.text' },
  415: { status: 415, title: 'error.415.title', text: 'error.415.text' },
  422: { status: 422, title: 'error.422.title', text: 'error.400.text' },
  429: { status: 429, title: 'error.429.title', text: 'error.429.text' },
  431: { status: 431, title: 'error.431.title', text: 'error.431.text' },
  500: { status: 500, title: 'error.500.title', text: 'error.500.text' },
};
const badUrl: ErrorView = { status: 400, title: 'error.badUrl.title', text: 'error.badUrl.text' };

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
  // A URL with a broken %-escape: the link was cut or mangled on its way.
  if (error.code === 'FST_ERR_BAD_URL') return badUrl;
  // A header value Node refuses (a redirect to a target with characters a header cannot carry) can
  // only come from what the visitor sent: their request is wrong, not the server.
  if (error.code === 'ERR_INVALID_CHAR' || error.code === 'ERR_HTTP_INVALID_HEADER_VALUE') return known[400]!;
  // A URL whose ids do not fit names no page: "not found", as for an unknown id.
  if (error.code === 'FST_ERR_VALIDATION' && error.validationContext === 'params') return known[404]!;
  const status = error.statusCode ?? 500;
  if (status >= 500) return known[500]!;
  return known[status] ?? known[400]!;
}

/** Headers of the answer that failed which an error page must not keep: a redirect, a download. */
const NOT_ON_AN_ERROR_PAGE = ['location', 'content-disposition', 'hx-redirect', 'hx-location', 'hx-push-url'];

/** Drops what the failed answer had set that would send the error page elsewhere or break it. */
function clearFailedAnswerHeaders(reply: FastifyReply) {
  for (const name of NOT_ON_AN_ERROR_PAGE) reply.removeHeader(name);
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    try {
      for (const one of [value ?? ''].flat()) validateHeaderValue(name, String(one));
    } catch {
      reply.removeHeader(name);
    }
  }
}

export async function renderError(request: FastifyRequest, reply: FastifyReply, view: ErrorView) {
  clearFailedAnswerHeaders(reply);
  reply.code(view.status);
  const data = Object.assign(reply.viewLocals(), {
    status: view.status,
    titleKey: view.title,
    headingKey: view.heading ?? view.title,
    textKey: view.text,
    textParams: view.params,
  } satisfies ErrorPage);
  if (request.htmx?.request) {
    reply.header('HX-Retarget', '#main').header('HX-Reswap', 'outerHTML');
    return reply.type('text/html; charset=utf-8').send(await reply.viewAsync('errors/_error', data));
  }
  return reply.type('text/html; charset=utf-8').send(await reply.viewAsync('errors/error', data));
}

/**
 * What Fastify refused before routing, by request. Fastify hands `frameworkErrors` a bare reply — no
 * hooks have run, no decorator (views, cookies) is there — so the request is routed again, to a path
 * no route has: the not-found handler then answers it through every hook (session, language,
 * security headers, compression) with the error kept here.
 */
const refusedBeforeRouting = new WeakMap<IncomingMessage, ErrorView>();
const REFUSED_PATH = '/.refused';

export function frameworkErrors(app: () => FastifyInstance) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    refusedBeforeRouting.set(request.raw, errorView(error));
    request.log.info({ code: error.code }, 'request refused before routing');
    request.raw.url = REFUSED_PATH;
    app().routing(request.raw, reply.raw);
  };
}

const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A request Node cannot parse (broken request line or headers, headers over 16 KB, too slow) never
 * reaches Fastify: `clientErrorHandler` writes on the socket itself. It answers the same French page
 * in a minimal form, the app's stylesheet linked, and closes the connection.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: NodeJS.ErrnoException,
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  this.log.debug({ code: error.code, status }, 'unparsable request');
  if (socket.writable) {
    const body = minimalErrorPage(
      status,
      this.hasDecorator('assetUrl') ? this.assetUrl('css/app.css') : null,
    );
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: text/html; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function minimalErrorPage(status: number, stylesheet: string | null): string {
  const t = translator('fr');
  const view = known[status] ?? known[400]!;
  const title = escapeHtml(t(view.title));
  return [
    '<!doctype html><html lang="fr"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title} — ${escapeHtml(t('app.name'))}</title>`,
    stylesheet ? `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">` : '',
    '</head><body><main id="main" class="wrap"><div class="error-page">',
    `<h1>${title}</h1><p class="lead">${escapeHtml(t(view.text))}</p>`,
    `<p><a class="button button--primary" href="/">${escapeHtml(t('error.backHome'))}</a></p>`,
    `<p class="muted error-page__reference">${escapeHtml(t('error.reference', { status }))}</p>`,
    '</div></main></body></html>',
  ].join('');
}

export default fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      // A request refused before routing keeps that answer whatever fails on its second way through.
      const view = refusedBeforeRouting.get(request.raw) ?? errorView(error);
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
    app.setNotFoundHandler(async (request, reply) =>
      renderError(request, reply, refusedBeforeRouting.get(request.raw) ?? known[404]!),
    );
  },
  { name: 'errors', dependencies: ['view'] },
);

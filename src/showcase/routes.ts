// The public showcase over HTTP, no account needed: /vitrine (filters in the URL, the map, the
// network's figures, the list), an action's page, the Atom feed, the sitemap and robots.txt. Only
// published fiches are read (showcase.ts). Nothing is cached anywhere: pages are `no-cache` (a
// withdrawn action is gone from the next request), the XML files too, with an ETag so that a feed
// reader asking again gets a 304 while nothing changed.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { monthInWords } from '../experiences/fiche-facts.ts';
import { translator } from '../i18n/index.ts';
import { params, type ZodTypeProvider } from '../lib/forms.ts';
import { rules } from '../policy/route-rules.ts';
import { actionPath, atomFeed, robotsTxt, showcaseHead, sitemap } from './feeds.ts';
import { franceMapSvg, REGIONS, type RegionCode } from './france-map.ts';
import {
  actionSummary,
  FILTER_CHOICES,
  feedActions,
  filterQuery,
  publishedAction,
  publishedActions,
  readFilters,
  type ShowcaseFilters,
  showcasePage,
} from './showcase.ts';

/** Pages: kept by nobody without asking again (the header may name the signed-in person). */
const PAGE_CACHE = 'private, no-cache';

const regionName = (code: RegionCode) => REGIONS[code];

/** An XML or text file, with an ETag of its bytes: 304 when the reader already has them. */
function sendFile(request: FastifyRequest, reply: FastifyReply, type: string, text: string) {
  const body = Buffer.from(text);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  // A response carrying a cookie (a session renewed on the way) is never for a shared cache.
  const shared = reply.getHeader('set-cookie') === undefined;
  reply
    .header('Cache-Control', `${shared ? 'public' : 'private'}, no-cache`)
    .header('ETag', etag)
    .type(type);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.send(body);
}

export default async function showcaseRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const base = config.baseUrl;
  const french = translator('fr');

  app.get('/vitrine', { config: { access: rules.public } }, async (request, reply) => {
    const t = request.t;
    const { filters, page, ignored } = readFilters(request.query as Record<string, unknown>);
    const data = showcasePage(db, filters, page);
    const link = (changes: Partial<ShowcaseFilters> = {}, toPage = 1) =>
      `/vitrine${filterQuery(filters, changes, toPage)}`;
    const mapSvg = franceMapSvg(data.regionCounts, {
      title: t('showcase.map.title'),
      description: t('showcase.map.description'),
      label: regionName,
      countLabel: (n) => (n === 0 ? t('showcase.map.none') : t('showcase.map.count', { count: n })),
      hrefFor: (code) => ((data.regionCounts[code] ?? 0) > 0 ? `${link({ region: code })}#actions` : null),
    });
    return reply.header('Cache-Control', PAGE_CACHE).render('showcase/index', {
      ...data,
      ignored,
      mapSvg,
      link,
      regionName,
      month: monthInWords,
      choices: FILTER_CHOICES,
      head: showcaseHead(t, {
        title: t('showcase.title'),
        description: t('showcase.description'),
        url: `${base}${link({}, page)}`,
        type: 'website',
      }),
    });
  });

  app.get(
    '/vitrine/actions/:id',
    { schema: { params: params.id() }, config: { access: rules.public } },
    async (request, reply) => {
      const action = publishedAction(db, request.params.id);
      return reply.header('Cache-Control', PAGE_CACHE).render('showcase/action', {
        action,
        regionName,
        month: monthInWords,
        head: showcaseHead(request.t, {
          title: action.title,
          description: actionSummary(action),
          url: `${base}${actionPath(action.id)}`,
          type: 'article',
          published: action.publishedAt,
        }),
      });
    },
  );

  app.get('/vitrine/feed.xml', { config: { access: rules.public } }, async (request, reply) =>
    sendFile(request, reply, 'application/atom+xml; charset=utf-8', atomFeed(base, feedActions(db), french)),
  );

  app.get('/sitemap.xml', { config: { access: rules.public } }, async (request, reply) =>
    sendFile(request, reply, 'application/xml; charset=utf-8', sitemap(base, publishedActions(db))),
  );

  app.get('/robots.txt', { config: { access: rules.public } }, async (request, reply) =>
    sendFile(request, reply, 'text/plain; charset=utf-8', robotsTxt(base)),
  );
}

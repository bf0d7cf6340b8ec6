// Calendars over HTTP: a séance's .ics download, and a person's private subscription feed — made
// (its address shown once), revoked, and read by calendar apps with its secret token.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getGatheringFor } from '../gatherings/gatherings.ts';
import { asDownload } from '../lib/download.ts';
import { params, type ZodTypeProvider } from '../lib/forms.ts';
import { rules } from '../policy/route-rules.ts';
import { feedEvents, feedOwner, gatheringEvent, hasFeed, renewFeed, revokeFeed } from './feeds.ts';
import { calendarIcs, organizerAddress } from './ics.ts';

const feedParams = z.object({ token: z.string().max(100) });

export default async function calendarRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const baseUrl = config.baseUrl;

  app.get(
    '/gatherings/:id/calendar.ics',
    { schema: { params: params.id() }, config: { access: rules.cycleReaders } },
    async (request, reply) => {
      const { gathering } = getGatheringFor(db, request.user!, request.params.id);
      const ics = calendarIcs({
        name: gathering.title,
        events: [gatheringEvent(db, gathering.id, baseUrl)],
        organizerEmail: organizerAddress(config.mailFrom),
      });
      return asDownload(
        reply,
        'text/calendar; charset=utf-8',
        `seance-${gathering.id}.ics`,
        'private, no-cache',
      ).send(ics);
    },
  );

  app.get('/calendar', { config: { access: rules.own } }, async (request, reply) => {
    return reply.render('calendar/index', { hasFeed: hasFeed(db, request.user!.id), feedUrl: null });
  });

  app.post('/calendar/feed', { config: { access: rules.own } }, async (request, reply) => {
    const token = renewFeed(db, request.user!.id);
    // Shown once: only its hash is kept.
    return reply.render('calendar/index', { hasFeed: true, feedUrl: `${baseUrl}/calendar/${token}.ics` });
  });

  app.post('/calendar/feed/revoke', { config: { access: rules.own } }, async (request, reply) => {
    revokeFeed(db, request.user!.id);
    reply.flash('calendar.flash.revoked');
    return reply.redirect('/calendar', 303);
  });

  // The subscription itself: public (a calendar app has no session), the secret token is the key.
  app.get(
    '/calendar/:token',
    { schema: { params: feedParams }, config: { access: 'public' } },
    async (request, reply) => {
      const token = request.params.token.replace(/\.ics$/, '');
      const owner = feedOwner(db, token);
      if (!owner)
        return reply.code(404).type('text/plain; charset=utf-8').send(request.t('calendar.feedNotFound'));
      const ics = calendarIcs({
        name: `Passerelle — ${owner.name}`,
        events: feedEvents(db, owner.id, baseUrl),
        organizerEmail: organizerAddress(config.mailFrom),
      });
      return reply
        .header('Content-Type', 'text/calendar; charset=utf-8')
        .header('Cache-Control', 'private, no-cache')
        .header('X-Robots-Tag', 'noindex')
        .send(ics);
    },
  );
}

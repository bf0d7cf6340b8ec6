// The app as a Fastify instance built from its dependencies: plugins first, then features.
// Tests build it on a fresh in-memory database and call `app.inject`; src/server.ts listens.
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import analysisRoutes from './analysis/routes.ts';
import attendanceRoutes from './attendance/routes.ts';
import auditRoutes from './audit/routes.ts';
import authRoutes from './auth/routes.ts';
import calendarRoutes from './calendar/routes.ts';
import openBadgesRoutes from './certificates/openbadges-routes.ts';
import certificateRoutes from './certificates/routes.ts';
import type { Config } from './config.ts';
import cycleRoutes from './cycles/routes.ts';
import dashboardRoutes from './dashboards/routes.ts';
import type { Db } from './db/client.ts';
import experiencePublicationRoutes from './experiences/publication-routes.ts';
import experienceRoutes from './experiences/routes.ts';
import gatheringRoutes from './gatherings/routes.ts';
import healthRoutes from './health/routes.ts';
import homeRoutes from './home/routes.ts';
import invitationRoutes from './invitations/routes.ts';
import learningRoutes from './learning/routes.ts';
import { compressOptions } from './lib/compression.ts';
import { zodValidatorCompiler } from './lib/forms.ts';
import type { Mailer } from './mail/mailer.ts';
import outboxRoutes from './mail/routes.ts';
import organizationRoutes from './organizations/routes.ts';
import profileRoutes from './people/profile-routes.ts';
import peopleRoutes from './people/routes.ts';
import access from './plugins/access.ts';
import assets from './plugins/assets.ts';
import errors, { clientErrorHandler, frameworkErrors } from './plugins/errors.ts';
import flash from './plugins/flash.ts';
import htmx from './plugins/htmx.ts';
import i18n from './plugins/i18n.ts';
import security from './plugins/security.ts';
import session from './plugins/session.ts';
import view from './plugins/view.ts';
import privacyRoutes from './privacy/routes.ts';
import projectReviewRoutes from './projects/review-routes.ts';
import projectRoutes from './projects/routes.ts';
import projectSectionRoutes from './projects/section-routes.ts';
import showcaseRoutes from './showcase/routes.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  mailer: Mailer;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/**
 * TRUST_PROXY for Fastify: the proxies' addresses as they are, a hop count as a function. Fastify 5.12
 * turned a bare number into "trust nobody" (a client reaching the app directly could otherwise claim
 * any address by sending enough X-Forwarded-For entries): a count is for an app only its proxies can
 * reach (HOST=127.0.0.1 or a private network), which the README says. Hop 0 is the socket's peer.
 */
function trustProxy(
  setting: Config['trustProxy'],
): false | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/** Form posts are small; a larger limit is given route by route (CSV imports). */
const BODY_LIMIT = 64 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db } = deps;
  const app: FastifyInstance = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    trustProxy: trustProxy(config.trustProxy),
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 200 },
    // What Fastify and Node refuse before any route answers the French error page too (plugins/errors.ts).
    frameworkErrors: frameworkErrors((): FastifyInstance => app),
    clientErrorHandler,
    // One line per request only when debugging: at the default level, logs carry problems only.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
  });
  app.decorate('deps', deps);
  app.setValidatorCompiler(zodValidatorCompiler);

  // Order matters: hooks run in registration order (cookies → htmx → session → access …).
  await app.register(compress, compressOptions);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  await app.register(rateLimit, { global: false });
  await app.register(htmx);
  await app.register(flash, { secure: config.secureCookies });
  await app.register(session, { db, secure: config.secureCookies });
  await app.register(i18n);
  await app.register(security, { baseUrl: config.baseUrl, secure: config.secureCookies });
  await app.register(access);
  await app.register(assets);
  await app.register(view, { cache: !config.devReload });
  await app.register(errors);

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(homeRoutes);
  await app.register(outboxRoutes);
  await app.register(organizationRoutes);
  await app.register(peopleRoutes);
  await app.register(profileRoutes);
  await app.register(invitationRoutes);
  await app.register(auditRoutes);
  await app.register(learningRoutes);
  await app.register(cycleRoutes);
  await app.register(gatheringRoutes);
  await app.register(attendanceRoutes);
  await app.register(experienceRoutes);
  await app.register(experiencePublicationRoutes);
  await app.register(calendarRoutes);
  await app.register(certificateRoutes);
  await app.register(openBadgesRoutes);
  await app.register(dashboardRoutes);
  await app.register(privacyRoutes);
  await app.register(projectRoutes);
  await app.register(projectSectionRoutes);
  await app.register(projectReviewRoutes);
  await app.register(showcaseRoutes);
  await app.register(analysisRoutes);
  return app;
}

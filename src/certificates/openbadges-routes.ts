// The public Open Badges 3.0 documents a verifier fetches (src/certificates/openbadges.ts):
//   GET /ob/issuer                      the issuer Profile (JSON-LD)
//   GET /ob/jwks.json                   the public signing keys (JWK Set)
//   GET /ob/keys/:kid                   one public key: what a credential's `kid` URL answers
//   GET /ob/achievements/cycle-:cycleId the Achievement of a cycle (JSON-LD)
//   GET /ob/status/:code                a certificate's revocation status (1EdTech Revocation List)
//   GET /ob/badge.png                   the badge's picture, the achievements' `image`
// Machines read these, from anywhere: JSON only, errors included (404 `{ "error": "not_found" }`,
// never an HTML page), and CORS open (they hold nothing that is not public).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { type ZodTypeProvider, zodValidatorCompiler } from '../lib/forms.ts';
import {
  achievementForCycle,
  certificateStatus,
  issuerProfile,
  OB_CONTEXT,
  publicJwk,
  publicJwks,
} from './openbadges.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const JSON_LD_TYPE = 'application/ld+json; charset=utf-8';
/** Read once: wallets fetch it for every badge they show, at a URL signed credentials hold. */
const badgePng = readFileSync(fileURLToPath(new URL('../../static/img/badge.png', import.meta.url)));
/** Profile, keys, achievements: change rarely. */
const STABLE = 'public, max-age=3600';
/** A revocation must be seen at once: caches revalidate every time. */
const FRESH = 'no-cache';

const cycleParams = z.object({
  cycleId: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});
const codeParams = z.object({
  code: z
    .string()
    .regex(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/i)
    .transform((code) => code.toUpperCase()),
});
/** A JWK thumbprint: SHA-256, base64url. */
const keyParams = z.object({ kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

function send(reply: FastifyReply, type: string, cache: string, body: unknown) {
  return reply
    .header('Content-Type', type)
    .header('Cache-Control', cache)
    .header('Access-Control-Allow-Origin', '*')
    .header('Cross-Origin-Resource-Policy', 'cross-origin')
    .send(body);
}

function notFound(reply: FastifyReply) {
  return send(reply.code(404), JSON_TYPE, 'no-store', { error: 'not_found' });
}

export default async function openBadgesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const { baseUrl } = config;
  const access = 'public' as const;

  // Self-contained: the same zod validator as the app's, and errors answered in JSON (this
  // plugin is encapsulated, so the app's HTML error pages stay for every other route).
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A URL whose parameters do not fit names nothing: "not found", as for an unknown one.
    if (error.code === 'FST_ERR_VALIDATION' || error.statusCode === 404) return notFound(reply);
    request.log.error({ err: error }, 'open badges request failed');
    return send(reply.code(500), JSON_TYPE, 'no-store', { error: 'internal_error' });
  });

  app.get('/ob/issuer', { config: { access } }, async (_request, reply) =>
    send(reply, JSON_LD_TYPE, STABLE, { '@context': [OB_CONTEXT], ...issuerProfile(baseUrl) }),
  );

  app.get('/ob/jwks.json', { config: { access } }, async (_request, reply) =>
    send(reply, JSON_TYPE, STABLE, await publicJwks(db, config.signingKeyPath, baseUrl)),
  );

  app.get('/ob/keys/:kid', { schema: { params: keyParams }, config: { access } }, async (request, reply) => {
    const jwk = publicJwk(db, baseUrl, request.params.kid);
    return jwk ? send(reply, JSON_TYPE, STABLE, jwk) : notFound(reply);
  });

  app.get(
    '/ob/achievements/cycle-:cycleId',
    { schema: { params: cycleParams }, config: { access } },
    async (request, reply) => {
      const achievement = achievementForCycle(db, baseUrl, request.params.cycleId);
      if (!achievement) return notFound(reply);
      return send(reply, JSON_LD_TYPE, STABLE, { '@context': [OB_CONTEXT], ...achievement });
    },
  );

  app.get('/ob/badge.png', { config: { access } }, async (_request, reply) =>
    send(reply, 'image/png', 'public, max-age=86400', badgePng),
  );

  app.get(
    '/ob/status/:code',
    { schema: { params: codeParams }, config: { access } },
    async (request, reply) => {
      const status = certificateStatus(db, baseUrl, request.params.code);
      if (!status) return notFound(reply);
      return send(reply, JSON_TYPE, FRESH, status);
    },
  );
}

// Throttles guessing on sign-in and password-reset forms. Only *failed* sign-ins count, keyed by
// client IP + email, so a burst of bad guesses is slowed down (429) while the real owner, from
// their own phone, is never locked out; a wider per-IP budget stops spraying many emails.
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface Throttle {
  /** Seconds to wait when blocked, or 0 when the attempt may go on. */
  check(request: FastifyRequest, email: string): Promise<number>;
  /** Counts one failure (or one attempt, for forms where every attempt counts). */
  hit(request: FastifyRequest, email: string): Promise<void>;
}

export function createThrottle(
  app: FastifyInstance,
  name: string,
  perAccount: { max: number; windowMs: number },
  perIp: { max: number; windowMs: number },
): Throttle {
  const keyOf = new WeakMap<FastifyRequest, string>();
  const account = app.createRateLimit({
    max: perAccount.max,
    timeWindow: perAccount.windowMs,
    keyGenerator: (request) => `${name}:${request.ip}:${keyOf.get(request) ?? ''}`,
  });
  const ip = app.createRateLimit({
    max: perIp.max,
    timeWindow: perIp.windowMs,
    keyGenerator: (request) => `${name}-ip:${request.ip}`,
  });
  return {
    async check(request, email) {
      keyOf.set(request, email);
      let wait = 0;
      for (const limiter of [account, ip]) {
        const state = await limiter(request, { increment: false });
        if (!state.isAllowed && state.remaining === 0) wait = Math.max(wait, state.ttlInSeconds || 60);
      }
      return wait;
    },
    async hit(request, email) {
      keyOf.set(request, email);
      await account(request);
      await ip(request);
    },
  };
}

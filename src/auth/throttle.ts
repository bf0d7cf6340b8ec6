// Throttles guessing on password forms. Only *failed* attempts count (or every attempt, for forms
// where each one sends a mail), in up to three budgets:
// - per client address and account: a burst of bad guesses from one place is slowed down (429);
// - per client address: spraying many accounts from one place;
// - per account, from any address: guesses spread over many addresses (a botnet, or a client that
//   rotates what it claims to be). Set above the first, so that one person mistyping, or one
//   attacker's address, never blocks the owner signing in from elsewhere; past it, the account
//   waits out the window — the forgotten-password link still works and signs the owner in.
// The client address is `request.ip`: the socket's, or what the proxies named by TRUST_PROXY say
// (src/config.ts); never the left-most X-Forwarded-For entry, which the client writes.
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface Limit {
  max: number;
  windowMs: number;
}

export interface ThrottleBlock {
  /** Seconds until the budget that blocked is renewed. */
  wait: number;
  /** Which budget blocked: the client's address, or the account whatever the address. */
  scope: 'address' | 'account';
}

export interface Throttle {
  /** Null when the attempt may go on; otherwise how long to wait. Counts nothing. */
  check(request: FastifyRequest, account: string): Promise<ThrottleBlock | null>;
  /** Counts one failure (or one attempt, for forms where every attempt counts). */
  hit(request: FastifyRequest, account: string): Promise<void>;
}

export function createThrottle(
  app: FastifyInstance,
  name: string,
  limits: { perAddressAndAccount?: Limit; perAddress?: Limit; perAccount?: Limit },
): Throttle {
  const accountOf = new WeakMap<FastifyRequest, string>();
  const account = (request: FastifyRequest) => accountOf.get(request) ?? '';
  const limiters: Array<{
    scope: ThrottleBlock['scope'];
    limit: ReturnType<FastifyInstance['createRateLimit']>;
  }> = [];
  const add = (
    scope: ThrottleBlock['scope'],
    limit: Limit | undefined,
    key: (r: FastifyRequest) => string,
  ) => {
    if (!limit) return;
    limiters.push({
      scope,
      limit: app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs, keyGenerator: key }),
    });
  };
  add('address', limits.perAddressAndAccount, (r) => `${name}:${r.ip}:${account(r)}`);
  add('address', limits.perAddress, (r) => `${name}-ip:${r.ip}`);
  add('account', limits.perAccount, (r) => `${name}-account:${account(r)}`);

  return {
    async check(request, key) {
      accountOf.set(request, key);
      let block: ThrottleBlock | null = null;
      for (const { scope, limit } of limiters) {
        const state = await limit(request, { increment: false });
        if (state.isAllowed || state.remaining > 0) continue;
        const wait = state.ttlInSeconds || Math.ceil(state.timeWindow / 1000);
        // The account's budget names the remedy (the forgotten-password link): it wins a tie.
        if (!block || wait > block.wait || scope === 'account') block = { wait, scope };
      }
      return block;
    },
    async hit(request, key) {
      accountOf.set(request, key);
      for (const { limit } of limiters) await limit(request);
    },
  };
}

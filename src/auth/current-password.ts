// The current password, asked again before changing the password or the e-mail address and before
// deleting the account. Wrong answers are counted per account, across those forms, whatever the
// session or address they come from: a stolen session cannot guess the password (without this,
// about 15 guesses a second).
import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.ts';
import { users } from '../db/schema.ts';
import { verifyPassword } from './passwords.ts';
import { createThrottle, type Throttle } from './throttle.ts';

/** Ten wrong current passwords per account in a quarter of an hour. */
export const CURRENT_PASSWORD_LIMIT = { max: 10, windowMs: 15 * 60_000 };

export type CurrentPasswordCheck = { ok: true } | { ok: false; wait?: number };

// One budget per app, shared by every route plugin that asks (each is its own Fastify context).
const throttles = new WeakMap<AppDeps, Throttle>();

export function currentPasswordChecker(app: FastifyInstance) {
  let throttle = throttles.get(app.deps);
  if (!throttle) {
    throttle = createThrottle(app, 'current-password', { perAccount: CURRENT_PASSWORD_LIMIT });
    throttles.set(app.deps, throttle);
  }
  const { db } = app.deps;
  const counter = throttle;
  /** `ok: false` with `wait` (seconds): too many wrong answers, the password was not even tried. */
  return async function checkCurrentPassword(
    request: FastifyRequest,
    userId: number,
    password: string,
  ): Promise<CurrentPasswordCheck> {
    const key = String(userId);
    const blocked = await counter.check(request, key);
    if (blocked) return { ok: false, wait: blocked.wait };
    const row = db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
    if (await verifyPassword(row?.hash ?? null, password)) return { ok: true };
    await counter.hit(request, key);
    return { ok: false };
  };
}

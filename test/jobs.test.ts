// Background jobs never fail silently (issue 14, finding 4): a run that throws or whose promise
// rejects reaches the logger and the next run happens anyway; every job the app starts (mail
// delivery and purge, reminders, séances that start, dashboard summaries, retention) reports to it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startJobs } from '../src/jobs.ts';
import { repeat } from '../src/lib/jobs.ts';
import { createTestApp, type TestContext } from './helpers.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('repeat', () => {
  it('reports a run that throws and one whose promise rejects, and runs again', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let runs = 0;
    const stop = repeat(
      () => {
        runs += 1;
        if (runs === 1) throw new Error('première');
        if (runs === 2) return Promise.reject(new Error('deuxième'));
        return undefined;
      },
      { firstAfterMs: 10, everyMs: 100 },
      (error) => errors.push(error),
    );
    await vi.advanceTimersByTimeAsync(250);
    stop();
    expect(runs).toBe(3);
    expect(errors.map((e) => (e as Error).message)).toEqual(['première', 'deuxième']);
  });
});

describe('the app’s jobs', () => {
  let ctx: TestContext;
  afterEach(() => ctx?.close());

  it('each report to the logger when the database refuses to write', async () => {
    ctx = await createTestApp({});
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const log = { error: vi.fn(), warn: vi.fn() };
    const stop = startJobs({ db: ctx.db, mailer: ctx.mailer, config: ctx.config }, log);
    // A mail waits; then the database can no longer be written (a full disk, a broken file).
    ctx.mailer.send({ to: 'awa@exemple.test', subject: 'Bonjour', text: 'Bonjour Awa' });
    ctx.db.$client.pragma('query_only = ON');
    try {
      await vi.advanceTimersByTimeAsync(61_000);
      await ctx.mailer.flush();
    } finally {
      stop();
      ctx.db.$client.pragma('query_only = OFF');
    }
    const messages = log.error.mock.calls.map(([, message]) => message as string);
    for (const job of ['retention job failed', 'dashboard summary job failed', 'outbox purge job failed'])
      expect(messages, job).toContain(job);
    // With the error itself, for the log to say what happened.
    for (const [details] of log.error.mock.calls)
      expect((details as { err: unknown }).err).toBeInstanceOf(Error);
    // The mail could not be marked sent: said too, as a delivery problem.
    expect(log.warn.mock.calls.map(([, message]) => message)).toContain('email delivery failed');
  });
});

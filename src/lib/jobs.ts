// A task the app runs by itself again and again (reminders, dashboard summaries, retention, mail):
// first after `firstAfterMs`, then every `everyMs`. It never keeps the process alive; a failed run —
// an exception, or a promise that rejects — is reported to `onError` and the next one happens anyway.
// Nothing here swallows an error: src/jobs.ts hands every job the app's logger.
export function repeat(
  task: () => unknown,
  timing: { firstAfterMs: number; everyMs: number },
  onError: (error: unknown) => void,
): () => void {
  const run = () => {
    try {
      const result = task();
      if (result instanceof Promise) result.catch(onError);
    } catch (error) {
      onError(error);
    }
  };
  const first = setTimeout(run, timing.firstAfterMs);
  const timer = setInterval(run, timing.everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

/** Where jobs report: the app's logger (pino's `error(details, message)`), or anything alike. */
export interface JobLog {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** For code run outside the app (a CLI, a test without a logger): standard error. */
export const consoleLog: JobLog = {
  error: (details, message) => console.error(message, details),
  warn: (details, message) => console.warn(message, details),
};

// A task the app runs by itself again and again (reminders, dashboard summaries, retention): first
// after `firstAfterMs`, then every `everyMs`. It never keeps the process alive; a failed run is
// reported and the next one happens anyway. Returns what stops it.
export function repeat(
  task: () => void,
  timing: { firstAfterMs: number; everyMs: number },
  onError: (error: unknown) => void,
): () => void {
  const run = () => {
    try {
      task();
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

// How the command-line tools write durations, in French.

/** "850 ms", "1,4 s". */
export function seconds(ms: number): string {
  return ms < 1000
    ? `${Math.round(ms)} ms`
    : `${(ms / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s`;
}

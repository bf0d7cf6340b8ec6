// Medians for the dashboards: of a list, and of a histogram (value → how many), which is how the
// summaries keep completion so that merging collectives keeps the median exact.

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The median of a histogram, the same as median() of the values it counts. */
export function histogramMedian(histogram: Map<number, number>): number | null {
  const entries = [...histogram].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const at = (index: number) => {
    let seen = 0;
    for (const [value, n] of entries) {
      seen += n;
      if (index < seen) return value;
    }
    return entries.at(-1)![0];
  };
  return Math.round((at((total - 1) >> 1) + at(total >> 1)) / 2);
}

export function addTo<K>(map: Map<K, number>, key: K, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

// The national generator's randomness and its small helpers: one seeded stream (Dice, over
// generate-network.ts's seededRandom) so the same seed gives the same network, the alphabets of
// certificate codes and séance uids, and how names become slugs, « de/d'/du Lyon » and shares.

export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function slug(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** "de Lyon", "d’Évreux", "du Havre", "des Abymes". */
export function ofTown(town: string): string {
  if (town.startsWith('Le ')) return `du ${town.slice(3)}`;
  if (town.startsWith('Les ')) return `des ${town.slice(4)}`;
  return /^[AEIOUYÉÈÎH]/.test(town) ? `d’${town}` : `de ${town}`;
}

/** Shares `total` out in proportion to `weights` (largest remainder). */
export function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  const order = exact
    .map((e, i) => ({ frac: e - Math.floor(e), i }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  let left = total - out.reduce((a, b) => a + b, 0);
  for (let k = 0; left > 0; k++, left--) out[order[k % order.length]!.i]! += 1;
  return out;
}

export class Dice {
  constructor(readonly next: () => number) {}
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
  exponential(): number {
    return -Math.log(1 - this.next());
  }
  /** An index drawn with the given weights. */
  weighted(weights: readonly number[]): () => number {
    const cumulative: number[] = [];
    let sum = 0;
    for (const w of weights) {
      sum += w;
      cumulative.push(sum);
    }
    return () => {
      const x = this.next() * sum;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > x) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
}

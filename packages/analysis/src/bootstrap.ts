import { createRng } from '@msae/core';

/** An estimate with its percentile bootstrap interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface BootstrapOptions {
  /** Resamples (default 1000). */
  resamples?: number;
  /** Coverage (default 0.95). */
  level?: number;
  seed?: number;
  /** Resample within each stratum (e.g. group), keeping the strata's sizes fixed. */
  strata?: Uint8Array;
}

/**
 * Percentile bootstrap: resample the rows with replacement (within strata when given), recompute every statistic
 * on each resample (statistic(weights): weights[r] = how often row r was drawn), and take the (1-level)/2 and
 * (1+level)/2 quantiles. Statistics that are NaN on a resample are left out of that statistic's quantiles.
 */
export function bootstrapIntervals(rows: number, statistics: (weights: Uint32Array) => number[], options: BootstrapOptions = {}): Interval[] {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const rng = createRng(options.seed ?? 12345);
  const all = new Uint32Array(rows).fill(1);
  const estimates = statistics(all);
  const draws = estimates.map(() => [] as number[]);
  const strata = strataRows(rows, options.strata);
  const weights = new Uint32Array(rows);
  for (let b = 0; b < resamples; b++) {
    weights.fill(0);
    for (const members of strata) for (let i = 0; i < members.length; i++) weights[members[rng.int(members.length)]]++;
    statistics(weights).forEach((v, s) => {
      if (!Number.isNaN(v)) draws[s].push(v);
    });
  }
  return estimates.map((estimate, s) => {
    const d = draws[s].sort((a, b) => a - b);
    return { estimate, low: quantile(d, (1 - level) / 2), high: quantile(d, (1 + level) / 2) };
  });
}

function strataRows(rows: number, strata?: Uint8Array): number[][] {
  if (!strata) return [Array.from({ length: rows }, (_, r) => r)];
  const groups = new Map<number, number[]>();
  for (let r = 0; r < rows; r++) {
    let g = groups.get(strata[r]);
    if (!g) groups.set(strata[r], (g = []));
    g.push(r);
  }
  return [...groups.values()];
}

/** Linear-interpolated quantile of sorted values (NaN when empty). */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = q * (sorted.length - 1);
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Thresholds a latent's best match must pass to be `named`. */
export interface NamingThresholds {
  /** Minimum z-score of the best cosine against all vocabulary cosines of that latent. */
  minZ: number;
  /** Minimum margin (cosine units) between the best and the second-best distinct concept. */
  minMargin: number;
}

/**
 * Defaults chosen on the planted-concept benchmark (`plantedBenchmark`, scripts/benchmark-naming.mjs,
 * README "Choosing the thresholds"): >= 90% of planted latents named correctly and >= 90% of random
 * latents unnamed in all four settings (dims 128-768, vocabularies 1k-20k) holds for z 5 with margins
 * 0-0.03; 0.02 is the middle of that range and keeps near-ties unnamed.
 */
export const DEFAULT_THRESHOLDS: NamingThresholds = { minZ: 5, minMargin: 0.02 };

export interface Confidence {
  /** best - second: how far the chosen concept is ahead of the runner-up. */
  margin: number;
  /** (best - mean) / std over all vocabulary cosines of the latent. */
  z: number;
}

/** Margin and z-score of a latent's best cosine (std 0 gives z 0). */
export function confidence(best: number, second: number, mean: number, std: number): Confidence {
  // margin = s_1 - s_2
  const margin = best - second;
  // z = (s_1 - mean_v s_v) / std_v s_v
  const z = std > 0 ? (best - mean) / std : 0;
  return { margin, z };
}

/** True when both confidence measures clear their thresholds. */
export function passesThresholds(c: Confidence, t: NamingThresholds): boolean {
  return c.z >= t.minZ && c.margin >= t.minMargin;
}

/** Mean and population standard deviation of a list of scores (used by tests and small callers). */
export function scoreStatistics(scores: ArrayLike<number>): { mean: number; std: number } {
  const n = scores.length;
  if (n === 0) return { mean: 0, std: 0 };
  let s = 0;
  for (let i = 0; i < n; i++) s += scores[i];
  // mu = sum_i s_i / n
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (scores[i] - mean) * (scores[i] - mean);
  // sigma = sqrt(sum_i (s_i - mu)^2 / n)
  return { mean, std: Math.sqrt(v / n) };
}

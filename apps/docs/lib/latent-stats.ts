import type { SparseCodes } from './worker-protocol.js';

/** Per-latent summary of a dataset's sparse codes. */
export interface LatentStats {
  dSae: number;
  rows: number;
  /** Fraction of rows where the latent is among the kept codes. */
  firingRate: Float32Array;
  /** Largest activation over the dataset. */
  maxActivation: Float32Array;
  /** Mean of the latent's non-zero activations (0 when it never fires). */
  meanActivation: Float32Array;
}

/** Firing rate and maximum activation of every latent: rate_j = #{rows with z_j > 0} / rows. */
export function latentStats(codes: SparseCodes, dSae: number): LatentStats {
  const fires = new Float32Array(dSae);
  const max = new Float32Array(dSae);
  const sum = new Float32Array(dSae);
  for (let e = 0; e < codes.index.length; e++) {
    const j = codes.index[e];
    if (j < 0) continue;
    fires[j] += 1;
    sum[j] += codes.value[e];
    if (codes.value[e] > max[j]) max[j] = codes.value[e];
  }
  // mean_j = sum of z_j over firing rows / #firing rows
  const mean = sum.map((s, j) => (fires[j] > 0 ? s / fires[j] : 0));
  for (let j = 0; j < dSae; j++) fires[j] /= Math.max(1, codes.rows);
  return { dSae, rows: codes.rows, firingRate: fires, maxActivation: max, meanActivation: mean };
}

/** Every row where `latent` fires, with its activation, strongest first. */
export function firingRows(codes: SparseCodes, latent: number): Array<{ row: number; value: number }> {
  const hits: Array<{ row: number; value: number }> = [];
  for (let r = 0; r < codes.rows; r++) {
    for (let i = 0; i < codes.k; i++) {
      const e = r * codes.k + i;
      if (codes.index[e] === latent) {
        hits.push({ row: r, value: codes.value[e] });
        break;
      }
    }
  }
  return hits.sort((a, b) => b.value - a.value);
}

/** The rows where `latent` fires, with their activation, strongest first (at most `n`). */
export function topItems(codes: SparseCodes, latent: number, n: number): Array<{ row: number; value: number }> {
  return firingRows(codes, latent).slice(0, n);
}

/** One band of a latent's firing rows by activation quantile (band 0 = the strongest). */
export interface QuantileBand {
  /** Quantile range of the band among the firing rows, e.g. [0.8, 1] for the top 20%. */
  quantiles: [number, number];
  /** Activation range of the band. */
  range: [number, number];
  /** Evenly spaced examples from the band, strongest first. */
  examples: Array<{ row: number; value: number }>;
}

/** Examples across the activation range: the firing rows split into `bands` equal-count quantile bands. */
export function quantileExamples(codes: SparseCodes, latent: number, bands: number, perBand: number): QuantileBand[] {
  const hits = firingRows(codes, latent);
  if (hits.length === 0) return [];
  const nb = Math.min(bands, hits.length);
  const out: QuantileBand[] = [];
  for (let b = 0; b < nb; b++) {
    const from = Math.floor((b * hits.length) / nb);
    const to = Math.floor(((b + 1) * hits.length) / nb);
    const band = hits.slice(from, to);
    const step = band.length / Math.min(perBand, band.length);
    const examples = Array.from({ length: Math.min(perBand, band.length) }, (_, i) => band[Math.floor(i * step)]);
    out.push({ quantiles: [1 - to / hits.length, 1 - from / hits.length], range: [band[band.length - 1].value, band[0].value], examples });
  }
  return out;
}

/**
 * The Matryoshka level of each latent: the smallest nesting budget k that holds the latent's median rank
 * among the active codes of the rows where it fires (codes sorted best first); -1 = never fires.
 */
export function latentLevels(codes: SparseCodes, dSae: number, nesting: number[]): Int32Array {
  const ranks: number[][] = Array.from({ length: dSae }, () => []);
  for (let r = 0; r < codes.rows; r++) {
    for (let i = 0; i < codes.k; i++) {
      const j = codes.index[r * codes.k + i];
      if (j >= 0) ranks[j].push(i);
    }
  }
  const levels = new Int32Array(dSae).fill(-1);
  const ks = [...nesting].sort((a, b) => a - b);
  for (let j = 0; j < dSae; j++) {
    const rs = ranks[j].sort((a, b) => a - b);
    if (rs.length === 0) continue;
    const median = rs[Math.floor(rs.length / 2)];
    const level = ks.findIndex((k) => median < k);
    levels[j] = level < 0 ? ks.length - 1 : level;
  }
  return levels;
}

/** Histogram of the latent's non-zero activations in `bins` equal bins over [0, max] (the chart draws counts on a log scale). */
export function activationHistogram(codes: SparseCodes, latent: number, bins: number): { edges: number[]; counts: number[] } {
  const values: number[] = [];
  for (let e = 0; e < codes.index.length; e++) if (codes.index[e] === latent) values.push(codes.value[e]);
  const max = values.reduce((m, v) => Math.max(m, v), 0) || 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v / max) * bins))]++;
  return { edges: Array.from({ length: bins + 1 }, (_, i) => (i * max) / bins), counts };
}

/** The `n` latents whose decoder rows are closest in cosine to `latent`'s: cos(W_dec[i], W_dec[j]). */
export function nearestDecoderLatents(W_dec: Float32Array, dSae: number, dIn: number, latent: number, n: number): Array<{ latent: number; cosine: number }> {
  const norms = new Float32Array(dSae);
  for (let j = 0; j < dSae; j++) {
    let s = 0;
    for (let d = 0; d < dIn; d++) s += W_dec[j * dIn + d] ** 2;
    norms[j] = Math.sqrt(s) || 1;
  }
  const o = latent * dIn;
  const out: Array<{ latent: number; cosine: number }> = [];
  for (let j = 0; j < dSae; j++) {
    if (j === latent) continue;
    let s = 0;
    for (let d = 0; d < dIn; d++) s += W_dec[o + d] * W_dec[j * dIn + d];
    out.push({ latent: j, cosine: s / (norms[latent] * norms[j]) });
  }
  out.sort((a, b) => b.cosine - a.cosine);
  return out.slice(0, n);
}

/** Each row's first `k` codes (codes are sorted best first, so this is the top-k code at budget k). */
export function truncateCodes(codes: SparseCodes, k: number): SparseCodes {
  if (k >= codes.k) return codes;
  const index = new Int32Array(codes.rows * k);
  const value = new Float32Array(codes.rows * k);
  for (let r = 0; r < codes.rows; r++) {
    index.set(codes.index.subarray(r * codes.k, r * codes.k + k), r * k);
    value.set(codes.value.subarray(r * codes.k, r * codes.k + k), r * k);
  }
  return { rows: codes.rows, k, index, value };
}

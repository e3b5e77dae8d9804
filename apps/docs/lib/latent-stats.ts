import type { SparseCodes } from './worker-protocol.js';

/** Per-latent summary of a dataset's sparse codes. */
export interface LatentStats {
  dSae: number;
  rows: number;
  /** Fraction of rows where the latent is among the kept codes. */
  firingRate: Float32Array;
  /** Largest activation over the dataset. */
  maxActivation: Float32Array;
}

/** Firing rate and maximum activation of every latent: rate_j = #{rows with z_j > 0} / rows. */
export function latentStats(codes: SparseCodes, dSae: number): LatentStats {
  const fires = new Float32Array(dSae);
  const max = new Float32Array(dSae);
  for (let e = 0; e < codes.index.length; e++) {
    const j = codes.index[e];
    if (j < 0) continue;
    fires[j] += 1;
    if (codes.value[e] > max[j]) max[j] = codes.value[e];
  }
  for (let j = 0; j < dSae; j++) fires[j] /= Math.max(1, codes.rows);
  return { dSae, rows: codes.rows, firingRate: fires, maxActivation: max };
}

/** The rows where `latent` fires, with their activation, strongest first (at most `n`). */
export function topItems(codes: SparseCodes, latent: number, n: number): Array<{ row: number; value: number }> {
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
  hits.sort((a, b) => b.value - a.value);
  return hits.slice(0, n);
}

/** Histogram of the latent's non-zero activations in `bins` equal bins over [0, max]. */
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

import { blockedMatmulABt, type MatmulABt, type Matrix, Rng } from '@msae/core';
import { cosineSearch } from './cosine-search.js';

/**
 * The null model of a decoder match: directions with the same spread as this checkpoint's decoder
 * rows but no particular concept, n ~ N(0, W_dec^T W_dec) (a Gaussian mix of all decoder rows), and
 * the best vocabulary cosine each one reaches. A latent's match is as rare as the share of null
 * directions that reach its score.
 */
export interface DecoderNull {
  /** Best vocabulary cosine of each null direction, ascending. */
  bestScores: Float64Array;
}

export interface DecoderNullOptions {
  /** Null directions drawn (default 8192; the smallest p-value is 1 / (samples + 1)). */
  samples?: number;
  seed?: number;
  matmul?: MatmulABt;
}

/** Lower Cholesky factor L of a symmetric positive-definite [n, n] matrix (row-major), A = L L^T. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      // L_ii = sqrt(A_ii - sum_k L_ik^2); L_ij = (A_ij - sum_k L_ik L_jk) / L_jj
      if (i === j) l[i * n + i] = Math.sqrt(Math.max(s, 1e-30));
      else l[i * n + j] = s / l[j * n + j];
    }
  }
  return l;
}

/** Draw `samples` directions n = L g, g ~ N(0, I), with L L^T = W^T W + ridge I. */
export async function nullDirections(decoder: Matrix, samples: number, seed: number, matmul: MatmulABt = blockedMatmulABt): Promise<Matrix> {
  const { rows, cols: d } = decoder;
  // C = W^T W (d x d) through A B^T with A = B = W^T
  const wt = new Float32Array(d * rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < d; c++) wt[c * rows + r] = decoder.data[r * d + c];
  const gram = await matmul({ data: wt, rows: d, cols: rows }, { data: wt, rows: d, cols: rows });
  let trace = 0;
  for (let i = 0; i < d; i++) trace += gram[i * d + i];
  const c = Float64Array.from(gram);
  // ridge 1e-6 * trace / d keeps C positive definite when W has rank < d
  for (let i = 0; i < d; i++) c[i * d + i] += (1e-6 * trace) / d + 1e-12;
  const l = cholesky(c, d);
  const rng = new Rng(seed);
  const g = new Float32Array(samples * d);
  rng.fillNormal(g);
  // n = g L^T: rows of G times L^T, i.e. A B^T with B = L
  const out = await matmul({ data: g, rows: samples, cols: d }, { data: Float32Array.from(l), rows: d, cols: d });
  return { data: out, rows: samples, cols: d };
}

/** The null distribution of best vocabulary cosines for a decoder and (already centred) concept keys. */
export async function decoderNull(decoder: Matrix, keys: Matrix, options: DecoderNullOptions = {}): Promise<DecoderNull> {
  const samples = Math.max(1, options.samples ?? 8192);
  const directions = await nullDirections(decoder, samples, options.seed ?? 20250227, options.matmul);
  const search = await cosineSearch(directions, keys, { keep: 1, matmul: options.matmul });
  const best = Float64Array.from(search.scores).sort();
  return { bestScores: best };
}

/** P(null best >= score) with the +1 correction: (1 + #{null >= score}) / (samples + 1). */
export function nullPValue(nul: DecoderNull, score: number): number {
  const s = nul.bestScores;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid] < score) lo = mid + 1;
    else hi = mid;
  }
  return (1 + s.length - lo) / (s.length + 1);
}

/**
 * Benjamini-Hochberg: adjusted p-values q_i = min_{j >= i} p_(j) m / j (sorted order), and the cutoff
 * p* = the largest p_(i) with p_(i) <= fdr i / m (-1 when none): rejecting every p <= p* keeps the
 * expected share of false discoveries <= fdr.
 */
export function benjaminiHochberg(pValues: ArrayLike<number>, fdr: number): { q: Float64Array; cutoff: number } {
  const m = pValues.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a] - pValues[b]);
  const q = new Float64Array(m);
  let running = 1;
  let cutoff = -1;
  for (let r = m - 1; r >= 0; r--) {
    const p = pValues[order[r]];
    // q_(r) = min(q_(r+1), p_(r) m / (r + 1))
    running = Math.min(running, (p * m) / (r + 1));
    q[order[r]] = running;
    if (cutoff < 0 && p <= (fdr * (r + 1)) / m) cutoff = p;
  }
  return { q, cutoff };
}

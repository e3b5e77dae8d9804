import { ArgumentError } from '@msae/core';
import type { Matrix } from '@msae/core';
import { munkres } from 'munkres';
import { rowDots } from './dot-products.js';

export interface AlignmentResult {
  /** mean over matched pairs of cos(w1_i, w2_pi(i)) */
  meanCosine: number;
  /** #{matched pairs with cosine > 0.7} / #pairs */
  fractionAbove07: number;
  /** Number of matched pairs: min(rows of sae1, rows of sae2). */
  pairs: number;
  /** matches[i] = index of the sae2 decoder row matched to sae1 row i (-1 when unmatched). */
  matches: Int32Array;
  /** cosines[i] = cosine of that pair (NaN when unmatched). */
  cosines: Float64Array;
}

/** Copy of the rows scaled to unit L2 norm (a zero row stays zero). */
function unitRows(m: Matrix): Matrix {
  const out = new Float32Array(m.data.length);
  const d = m.cols;
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let q = 0; q < d; q++) s += m.data[r * d + q] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let q = 0; q < d; q++) out[r * d + q] = m.data[r * d + q] * inv;
  }
  return { data: out, rows: m.rows, cols: d };
}

/**
 * Seed-stability alignment of two SAEs (Paulo & Belrose, "Sparse Autoencoders Trained on the Same Data Learn
 * Different Features"): match decoder rows one-to-one maximizing sum of cos(w1_i, w2_pi(i)) with the Hungarian
 * algorithm (`munkres` package) on cost = -cosine, then report the mean matched cosine and the fraction of pairs
 * with cosine > 0.7. Inputs: W_dec of each SAE, [dSae, dIn] (same dIn; dSae may differ).
 */
export function alignment(sae1WDec: Matrix, sae2WDec: Matrix): AlignmentResult {
  if (sae1WDec.cols !== sae2WDec.cols) {
    throw new ArgumentError(`alignment`, `decoder rows have ${sae1WDec.cols} vs ${sae2WDec.cols} dimensions`);
  }
  const n1 = sae1WDec.rows;
  const n2 = sae2WDec.rows;
  const cos = rowDots(unitRows(sae1WDec), unitRows(sae2WDec));
  const cost: Float64Array[] = new Array(n1);
  for (let i = 0; i < n1; i++) {
    const row = cos.slice(i * n2, (i + 1) * n2);
    for (let j = 0; j < n2; j++) row[j] = -row[j];
    cost[i] = row;
  }
  const pairs = munkres(cost);
  const matches = new Int32Array(n1).fill(-1);
  const cosines = new Float64Array(n1).fill(NaN);
  let sum = 0;
  let above = 0;
  for (const [i, j] of pairs) {
    const c = cos[i * n2 + j];
    matches[i] = j;
    cosines[i] = c;
    sum += c;
    if (c > 0.7) above++;
  }
  return { meanCosine: sum / pairs.length, fractionAbove07: above / pairs.length, pairs: pairs.length, matches, cosines };
}

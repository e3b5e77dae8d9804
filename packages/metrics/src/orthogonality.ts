import { ArgumentError } from '@msae/core';
import type { Matrix } from '@msae/core';
import { rowDots } from './dot-products.js';

/** Transpose of a row-major [rows, cols] matrix. */
function transpose(m: Matrix): Matrix {
  const out = new Float32Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) out[c * m.rows + r] = m.data[r * m.cols + c];
  return { data: out, rows: m.cols, cols: m.rows };
}

/**
 * decoderOrthogonality = sum_{i != j} (w_i . w_j)^2 / (dSae (dSae - 1)) for the rows w_i of W_dec [dSae, dIn]:
 * the mean squared off-diagonal entry of W_dec W_dec^T. Computed as (||W_dec^T W_dec||_F^2 - sum_i ||w_i||^4) /
 * (dSae (dSae - 1)), since ||W W^T||_F = ||W^T W||_F and the [dIn, dIn] Gram is far smaller than [dSae, dSae].
 */
export function decoderOrthogonality(wDec: Matrix): number {
  const dSae = wDec.rows;
  if (dSae < 2) throw new ArgumentError('', `decoderOrthogonality needs at least 2 decoder rows, got ${dSae}`);
  const wt = transpose(wDec);
  const small = rowDots(wt, wt, true);
  let frobenius = 0;
  for (let t = 0; t < small.length; t++) frobenius += small[t] * small[t];
  let diagonal = 0;
  const d = wDec.cols;
  for (let i = 0; i < dSae; i++) {
    let norm2 = 0;
    for (let q = 0; q < d; q++) {
      const v = wDec.data[i * d + q];
      norm2 += v * v;
    }
    diagonal += norm2 * norm2;
  }
  return Math.max(0, frobenius - diagonal) / (dSae * (dSae - 1));
}

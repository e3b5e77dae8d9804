import { ArgumentError } from '@msae/core';
import type { Matrix } from '@msae/core';
import type { SparseRows } from './sparse-rows.js';

/**
 * C = A B^T for dense row-major A [n1, d] and B [n2, d]: C[i][j] = sum_q A[i][q] B[j][q], as Float64Array [n1, n2].
 * Four rows of A share each load of a row of B (register blocking); accumulation in float64.
 * With `symmetric` (A === B) only j >= i is computed and mirrored.
 */
export function rowDots(a: Matrix, b: Matrix, symmetric = false): Float64Array {
  if (a.cols !== b.cols) throw new ArgumentError(`rowDots`, `${a.cols} columns vs ${b.cols}`);
  const n1 = a.rows;
  const n2 = b.rows;
  const d = a.cols;
  const A = a.data;
  const B = b.data;
  const out = new Float64Array(n1 * n2);
  const rowEnd = n1 - (n1 % 4);
  const colEnd = n2 - (n2 % 2);
  // 4 x 2 register tiles: 8 multiply-adds per 6 loads
  for (let i = 0; i < rowEnd; i += 4) {
    const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    for (let j = symmetric ? i : 0; j < colEnd; j += 2) {
      const b0 = j * d, b1 = b0 + d;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let q = 0; q < d; q++) {
        const y0 = B[b0 + q], y1 = B[b1 + q];
        let v = A[a0 + q];
        s00 += v * y0; s01 += v * y1;
        v = A[a1 + q];
        s10 += v * y0; s11 += v * y1;
        v = A[a2 + q];
        s20 += v * y0; s21 += v * y1;
        v = A[a3 + q];
        s30 += v * y0; s31 += v * y1;
      }
      let o = i * n2 + j;
      out[o] = s00; out[o + 1] = s01; o += n2;
      out[o] = s10; out[o + 1] = s11; o += n2;
      out[o] = s20; out[o + 1] = s21; o += n2;
      out[o] = s30; out[o + 1] = s31;
    }
  }
  // leftovers: the last rows of A (all columns) and the last column of B (all rows)
  const single = (i: number, j: number): void => {
    const ao = i * d, bo = j * d;
    let s = 0;
    for (let q = 0; q < d; q++) s += A[ao + q] * B[bo + q];
    out[i * n2 + j] = s;
  };
  for (let i = rowEnd; i < n1; i++) for (let j = symmetric ? i : 0; j < n2; j++) single(i, j);
  if (colEnd < n2) for (let i = 0; i < rowEnd; i++) single(i, colEnd);
  if (symmetric) {
    // tiles also filled a few entries below the diagonal; mirroring the upper triangle overwrites them identically
    for (let r = 0; r < n1; r++) for (let c = r + 1; c < n2; c++) out[c * n2 + r] = out[r * n2 + c];
  }
  return out;
}

/** Densify sparse rows. */
function toDense(m: SparseRows): Matrix {
  const data = new Float32Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) {
    for (let t = m.offsets[r]; t < m.offsets[r + 1]; t++) data[r * m.cols + m.indices[t]] = m.values[t];
  }
  return { data, rows: m.rows, cols: m.cols };
}

/**
 * Linear kernel K = A A^T (K[i][j] = a_i . a_j) of the rows of a dense matrix or of sparse rows, Float64Array [n, n].
 * Sparse rows below 25% density go column by column: K += z_c z_c^T over each latent c's non-zero rows, which costs
 * sum_c nnz_c^2 / 2 (density times less than the row-pair loop); denser codes use the dense tiled kernel.
 */
export function linearKernel(m: Matrix | SparseRows): Float64Array {
  if (!('offsets' in m)) return rowDots(m, m, true);
  const n = m.rows;
  const nnz = m.offsets[n];
  if (nnz > 0.25 * n * m.cols) return rowDots(toDense(m), toDense(m), true);
  // transpose CSR -> CSC (rows ascending within each column)
  const colStart = new Int32Array(m.cols + 1);
  for (let t = 0; t < nnz; t++) colStart[m.indices[t] + 1]++;
  for (let c = 0; c < m.cols; c++) colStart[c + 1] += colStart[c];
  const fill = colStart.slice(0, m.cols);
  const colRows = new Int32Array(nnz);
  const colValues = new Float64Array(nnz);
  for (let r = 0; r < n; r++) {
    for (let t = m.offsets[r]; t < m.offsets[r + 1]; t++) {
      const p = fill[m.indices[t]]++;
      colRows[p] = r;
      colValues[p] = m.values[t];
    }
  }
  const out = new Float64Array(n * n);
  for (let c = 0; c < m.cols; c++) {
    const end = colStart[c + 1];
    for (let p = colStart[c]; p < end; p++) {
      const o = colRows[p] * n;
      const v = colValues[p];
      for (let q = p; q < end; q++) out[o + colRows[q]] += v * colValues[q]; // upper triangle (row <= col)
    }
  }
  for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) out[c * n + r] = out[r * n + c];
  return out;
}

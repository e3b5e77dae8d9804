import { ArgumentError } from './errors.js';
import type { Matrix } from './matrix.js';

/**
 * C = A B^T for row-major A [m, d] and B [n, d], returned as row-major [m, n]; written into `out` (m * n values)
 * and `out` returned when it is given (lets a benchmark time the product without the allocation).
 * The matmul-provider contract (the native engine's `gemmABt` has it); heavy products in metrics, concepts and analysis go through
 * one of these so a caller can plug in a fast multi-threaded engine.
 */
export type MatmulABt = (a: Matrix, b: Matrix, out?: Float32Array) => Promise<Float32Array>;

/**
 * Plain-JS C = A B^T with 4x4 register blocking (16 dot products share each pass over d).
 * Correct everywhere (browser included) but single-threaded: pass `gemmABt` from @msae/backend-cpu
 * for large problems.
 */
export const blockedMatmulABt: MatmulABt = async (a, b, out) => {
  if (a.cols !== b.cols) {
    throw new ArgumentError(`matmul`, `inner dimensions differ (${a.rows}x${a.cols} times (${b.rows}x${b.cols})^T)`);
  }
  const m = a.rows;
  const n = b.rows;
  const d = a.cols;
  const A = a.data;
  const B = b.data;
  if (out && out.length !== m * n) throw new ArgumentError(`matmul`, `out has ${out.length} values, expected ${m}x${n}=${m * n}`);
  const C = out ?? new Float32Array(m * n); // every entry is assigned below
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * d;
    const a1 = a0 + d;
    const a2 = a1 + d;
    const a3 = a2 + d;
    for (let j = 0; j < n4; j += 4) {
      const b0 = j * d;
      const b1 = b0 + d;
      const b2 = b1 + d;
      const b3 = b2 + d;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0; k < d; k++) {
        const x0 = A[a0 + k], x1 = A[a1 + k], x2 = A[a2 + k], x3 = A[a3 + k];
        const y0 = B[b0 + k], y1 = B[b1 + k], y2 = B[b2 + k], y3 = B[b3 + k];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const r0 = i * n + j;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      C[r0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
      C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
      C[r2] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23;
      C[r3] = c30; C[r3 + 1] = c31; C[r3 + 2] = c32; C[r3 + 3] = c33;
    }
  }
  // Edges: rows past m4 against every column, and columns past n4 for the blocked rows.
  for (let i = 0; i < m; i++) {
    const jStart = i < m4 ? n4 : 0;
    const ai = i * d;
    for (let j = jStart; j < n; j++) {
      const bj = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) s += A[ai + k] * B[bj + k];
      C[i * n + j] = s;
    }
  }
  return C;
};

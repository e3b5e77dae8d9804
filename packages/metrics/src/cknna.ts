import { ArgumentError } from '@msae/core';
import type { Matrix } from '@msae/core';
import { linearKernel } from './dot-products.js';
import type { SparseRows } from './sparse-rows.js';

export interface CknnaOptions {
  /** Neighbours per row in the mutual-kNN mask (default 10). */
  topk?: number;
}

/** A linear kernel with each row's top-k neighbours (diagonal excluded, ties to the lower index). */
export interface KernelNeighbours {
  n: number;
  topk: number;
  /** K [n, n], K[i][j] = a_i . a_j */
  kernel: Float64Array;
  /** neighbours [n, topk]: row i's topk largest K[i][j], j != i */
  neighbours: Int32Array;
}

/** Each row's top-k column indices of an [n, n] kernel, skipping the diagonal; ties go to the lower index. */
function topNeighbours(kernel: Float64Array, n: number, topk: number): Int32Array {
  const out = new Int32Array(n * topk);
  const bestValues = new Float64Array(topk);
  const bestIndices = new Int32Array(topk);
  for (let i = 0; i < n; i++) {
    let filled = 0;
    const o = i * n;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const v = kernel[o + j];
      // keep a descending list; a later (higher) index with an equal value ranks after the earlier one
      if (filled === topk && !(v > bestValues[topk - 1])) continue;
      let p = filled < topk ? filled++ : topk - 1;
      while (p > 0 && v > bestValues[p - 1]) {
        bestValues[p] = bestValues[p - 1];
        bestIndices[p] = bestIndices[p - 1];
        p--;
      }
      bestValues[p] = v;
      bestIndices[p] = j;
    }
    out.set(bestIndices, i * topk);
  }
  return out;
}

/** Linear kernel of the rows plus each row's top-k neighbours; reusable across several cknna calls. */
export function kernelNeighbours(rows: Matrix | SparseRows, topk = 10): KernelNeighbours {
  const n = rows.rows;
  if (n < 4) throw new ArgumentError('', `cknna needs at least 4 rows, got ${n}`);
  if (!Number.isInteger(topk) || topk < 2) throw new ArgumentError('', `cknna needs topk >= 2, got ${topk}`);
  const k = Math.min(topk, n - 1);
  const kernel = linearKernel(rows);
  return { n, topk: k, kernel, neighbours: topNeighbours(kernel, n, k) };
}

/**
 * Unbiased HSIC (Song et al. 2012, eq. 5) of the kernels K, L restricted to the mutual neighbour mask M
 * (M_ij = 1 when j is among row i's top-k in both P and Q; diagonal never in M):
 * HSIC = [ sum_ij K~_ij L~_ji + (1^T K~ 1)(1^T L~ 1)/((m-1)(m-2)) - 2/(m-2) 1^T K~ L~ 1 ] / (m(m-3)),
 * K~ = M * K, L~ = M * L. M has at most topk entries per row, so this is O(n topk) after the kernels.
 */
function maskedHsic(p: KernelNeighbours, q: KernelNeighbours): number {
  const m = p.n;
  const topk = p.topk;
  const K = p.kernel;
  const L = q.kernel;
  // mutual mask as a row -> sorted columns list, plus a membership bitmap per row for the transpose lookups
  const maskOffsets = new Int32Array(m + 1);
  const maskCols = new Int32Array(m * topk);
  const marker = new Int32Array(m).fill(-1);
  let count = 0;
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < topk; t++) marker[q.neighbours[i * topk + t]] = i;
    for (let t = 0; t < topk; t++) {
      const j = p.neighbours[i * topk + t];
      if (marker[j] === i) maskCols[count++] = j;
    }
    maskOffsets[i + 1] = count;
  }
  const inMask = (i: number, j: number): boolean => {
    for (let t = maskOffsets[i]; t < maskOffsets[i + 1]; t++) if (maskCols[t] === j) return true;
    return false;
  };
  let trace = 0; // sum_ij K~_ij L~_ji
  let sumK = 0;
  let sumL = 0;
  const colSumK = new Float64Array(m); // 1^T K~
  const rowSumL = new Float64Array(m); // L~ 1
  for (let i = 0; i < m; i++) {
    for (let t = maskOffsets[i]; t < maskOffsets[i + 1]; t++) {
      const j = maskCols[t];
      const kij = K[i * m + j];
      const lij = L[i * m + j];
      sumK += kij;
      sumL += lij;
      colSumK[j] += kij;
      rowSumL[i] += lij;
      if (inMask(j, i)) trace += kij * L[j * m + i];
    }
  }
  let productSum = 0; // 1^T K~ L~ 1 = sum_r (1^T K~)_r (L~ 1)_r
  for (let r = 0; r < m; r++) productSum += colSumK[r] * rowSumL[r];
  return (trace + (sumK * sumL) / ((m - 1) * (m - 2)) - (2 * productSum) / (m - 2)) / (m * (m - 3));
}

/**
 * CKNNA from precomputed kernels (as in the Platonic Representation Hypothesis code):
 * cknna = HSIC_M(K, L) / (sqrt(HSIC_M(K, K) HSIC_M(L, L)) + 1e-6), each HSIC on its own mutual top-k mask.
 */
export function cknnaFromKernels(a: KernelNeighbours, b: KernelNeighbours): number {
  if (a.n !== b.n) throw new ArgumentError(`cknna`, `${a.n} rows vs ${b.n} rows`);
  if (a.topk !== b.topk) throw new ArgumentError(`cknna`, `topk ${a.topk} vs ${b.topk}`);
  const kl = maskedHsic(a, b);
  const kk = maskedHsic(a, a);
  const ll = maskedHsic(b, b);
  return kl / (Math.sqrt(kk * ll) + 1e-6);
}

/**
 * Centred kernel nearest-neighbour alignment between two representations of the same rows, on linear kernels
 * K = A A^T, L = B B^T with mutual top-k neighbour masks (diagonal excluded) and the unbiased HSIC estimator.
 * A and B may be dense matrices or sparse rows (SAE codes).
 */
export function cknna(a: Matrix | SparseRows, b: Matrix | SparseRows, options: CknnaOptions = {}): number {
  if (a.rows !== b.rows) throw new ArgumentError(`cknna`, `${a.rows} rows vs ${b.rows} rows`);
  const topk = options.topk ?? 10;
  return cknnaFromKernels(kernelNeighbours(a, topk), kernelNeighbours(b, topk));
}

import type { Matrix } from '@msae/core';
import { blockedMatmulABt, type MatmulABt } from '@msae/core';
import { ConceptsInputError } from './errors.js';

/** Per query row: its best `keep` keys by cosine, and the mean/std of its cosine with every key. */
export interface CosineSearchResult {
  rows: number;
  /** How many best keys are kept per row (<= number of keys). */
  keep: number;
  /** [rows, keep] key indices, best first. */
  indices: Int32Array;
  /** [rows, keep] cosines, descending. */
  scores: Float32Array;
  /** Mean cosine of each row with all keys. */
  mean: Float64Array;
  /** Population standard deviation of each row's cosines with all keys. */
  std: Float64Array;
}

export interface CosineSearchOptions {
  /** Best keys kept per row. */
  keep: number;
  /** C = A B^T engine (default: plain JS). */
  matmul?: MatmulABt;
  /** Query rows per block (default 2048). */
  rowBlock?: number;
  /** Keys per block (default 8192); a block's score matrix is rowBlock x keyBlock floats. */
  keyBlock?: number;
  /** Called after every block with (blocks done, blocks in all). */
  onProgress?: (done: number, total: number) => void;
}

/** Copy of `m` with every row scaled to unit L2 norm (zero rows stay zero). */
export function unitRows(m: Matrix): Matrix {
  const { rows, cols } = m;
  const out = new Float32Array(m.data.length);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let ss = 0;
    for (let c = 0; c < cols; c++) ss += m.data[o + c] * m.data[o + c];
    // u = v / ||v||
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let c = 0; c < cols; c++) out[o + c] = m.data[o + c] * inv;
  }
  return { data: out, rows, cols };
}

/** Rows [start, end) of m as a view (no copy). */
export function rowSlice(m: Matrix, start: number, end: number): Matrix {
  return { data: m.data.subarray(start * m.cols, end * m.cols), rows: end - start, cols: m.cols };
}

/**
 * Cosine of every query row with every key row, done in blocks through `matmul` so the full
 * [queries, keys] matrix never exists: each block updates per-row running sums (for mean/std) and a
 * per-row sorted list of the best `keep` keys (ties keep the lower key index).
 */
export async function cosineSearch(queries: Matrix, keys: Matrix, options: CosineSearchOptions): Promise<CosineSearchResult> {
  if (queries.cols !== keys.cols) {
    throw new ConceptsInputError(`cosine search: queries have ${queries.cols} dims but keys have ${keys.cols}`);
  }
  if (keys.rows === 0) throw new ConceptsInputError('cosine search: no keys');
  const matmul = options.matmul ?? blockedMatmulABt;
  const keep = Math.max(1, Math.min(options.keep, keys.rows));
  const rowBlock = Math.max(1, options.rowBlock ?? 2048);
  const keyBlock = Math.max(1, options.keyBlock ?? 8192);
  const q = unitRows(queries);
  const k = unitRows(keys);
  const nq = q.rows;
  const nk = k.rows;
  const indices = new Int32Array(nq * keep).fill(-1);
  const scores = new Float32Array(nq * keep).fill(-Infinity);
  const sum = new Float64Array(nq);
  const sumSq = new Float64Array(nq);
  const rowBlocks = Math.ceil(nq / rowBlock);
  const keyBlocks = Math.ceil(nk / keyBlock);
  const total = rowBlocks * keyBlocks;
  let done = 0;
  for (let r0 = 0; r0 < nq; r0 += rowBlock) {
    const r1 = Math.min(nq, r0 + rowBlock);
    const qb = rowSlice(q, r0, r1);
    for (let k0 = 0; k0 < nk; k0 += keyBlock) {
      const k1 = Math.min(nk, k0 + keyBlock);
      const s = await matmul(qb, rowSlice(k, k0, k1));
      const w = k1 - k0;
      for (let i = 0; i < r1 - r0; i++) {
        const row = r0 + i;
        const o = i * w;
        const top = row * keep;
        const last = top + keep - 1;
        let floor = scores[last];
        let s1 = 0;
        let s2 = 0;
        for (let j = 0; j < w; j++) {
          const v = s[o + j];
          s1 += v;
          s2 += v * v;
          if (v > floor) {
            // insertion into the sorted top list (strictly greater: earlier keys win ties)
            let p = last;
            while (p > top && scores[p - 1] < v) {
              scores[p] = scores[p - 1];
              indices[p] = indices[p - 1];
              p--;
            }
            scores[p] = v;
            indices[p] = k0 + j;
            floor = scores[last];
          }
        }
        sum[row] += s1;
        sumSq[row] += s2;
      }
      done++;
      options.onProgress?.(done, total);
    }
  }
  const mean = new Float64Array(nq);
  const std = new Float64Array(nq);
  for (let r = 0; r < nq; r++) {
    // mu = sum/n, sigma = sqrt(sum_sq/n - mu^2)
    mean[r] = sum[r] / nk;
    std[r] = Math.sqrt(Math.max(0, sumSq[r] / nk - mean[r] * mean[r]));
  }
  return { rows: nq, keep, indices, scores, mean, std };
}

import { blockedMatmulABt, type MatmulABt, type Matrix } from '@msae/core';
import { rowSlice, unitRows } from './cosine-search.js';

/** Near-identical rows of a data set, grouped. */
export interface DuplicateGroups {
  rows: number;
  /** Per row: the representative (lowest row index) of its group; a unique row is its own representative. */
  representative: Int32Array;
  /** Per row: how many rows its group holds (1 = unique). */
  groupSize: Int32Array;
  /** Rows that repeat an earlier row (rows - groups). */
  duplicateRows: number;
  /** Distinct rows (groups). */
  distinctRows: number;
  /** Size of the largest group. */
  largestGroup: number;
}

export interface NearDuplicateOptions {
  /** Rows whose cosine is at least this are the same (default 0.995). */
  minCosine?: number;
  matmul?: MatmulABt;
  /** Rows per block (default 2048). */
  block?: number;
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/**
 * Groups rows whose cosine is >= minCosine (union-find over the blocked Gram matrix of unit rows;
 * a group's representative is its lowest row).
 */
export async function findNearDuplicates(data: Matrix, options: NearDuplicateOptions = {}): Promise<DuplicateGroups> {
  const minCos = options.minCosine ?? 0.995;
  const matmul = options.matmul ?? blockedMatmulABt;
  const block = Math.max(1, options.block ?? 2048);
  const u = unitRows(data);
  const n = data.rows;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  for (let a0 = 0; a0 < n; a0 += block) {
    const a1 = Math.min(n, a0 + block);
    for (let b0 = a0; b0 < n; b0 += block) {
      const b1 = Math.min(n, b0 + block);
      const s = await matmul(rowSlice(u, a0, a1), rowSlice(u, b0, b1));
      const w = b1 - b0;
      for (let i = 0; i < a1 - a0; i++) {
        for (let j = 0; j < w; j++) {
          if (b0 + j <= a0 + i || s[i * w + j] < minCos) continue;
          const ra = find(parent, a0 + i);
          const rb = find(parent, b0 + j);
          if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
      }
    }
  }
  const representative = new Int32Array(n);
  const count = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    representative[i] = find(parent, i);
    count[representative[i]]++;
  }
  const groupSize = new Int32Array(n);
  let distinct = 0;
  let largest = n ? 1 : 0;
  for (let i = 0; i < n; i++) {
    groupSize[i] = count[representative[i]];
    if (representative[i] === i) distinct++;
    if (groupSize[i] > largest) largest = groupSize[i];
  }
  return { rows: n, representative, groupSize, duplicateRows: n - distinct, distinctRows: distinct, largestGroup: largest };
}

/**
 * Rows of `other` that are near-identical to some row of `data` (e.g. validation rows that repeat a
 * training row): returns their indices in `other`.
 */
export async function overlappingRows(data: Matrix, other: Matrix, options: NearDuplicateOptions = {}): Promise<number[]> {
  const minCos = options.minCosine ?? 0.995;
  const matmul = options.matmul ?? blockedMatmulABt;
  const block = Math.max(1, options.block ?? 2048);
  const u = unitRows(data);
  const v = unitRows(other);
  const hit = new Uint8Array(other.rows);
  for (let b0 = 0; b0 < v.rows; b0 += block) {
    const b1 = Math.min(v.rows, b0 + block);
    for (let a0 = 0; a0 < u.rows; a0 += block) {
      const a1 = Math.min(u.rows, a0 + block);
      const s = await matmul(rowSlice(v, b0, b1), rowSlice(u, a0, a1));
      const w = a1 - a0;
      for (let i = 0; i < b1 - b0; i++) {
        if (hit[b0 + i]) continue;
        for (let j = 0; j < w; j++) {
          if (s[i * w + j] >= minCos) {
            hit[b0 + i] = 1;
            break;
          }
        }
      }
    }
  }
  const out: number[] = [];
  hit.forEach((h, i) => {
    if (h) out.push(i);
  });
  return out;
}

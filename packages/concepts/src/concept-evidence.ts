import { blockedMatmulABt, type MatmulABt, type Matrix } from '@msae/core';
import { unitRows } from './cosine-search.js';
import type { DuplicateGroups } from './near-duplicates.js';
import type { LatentColumns } from './sparse-codes.js';

/**
 * Data evidence for a concept: does cos(row, concept text) tell the latent's top-activating rows
 * from the other rows of a pool? Measured with the lift of the mean cosine and with AUROC.
 */

/** cos(row, concept) for every data row and vocabulary concept [rows, concepts]. */
export async function conceptSimilarity(data: Matrix, concepts: Matrix, matmul: MatmulABt = blockedMatmulABt): Promise<Matrix> {
  const out = await matmul(unitRows(data), unitRows(concepts));
  return { data: out, rows: data.rows, cols: concepts.rows };
}

/** Split the distinct rows (near-duplicate representatives) into a choose and a validate half, whole groups together. */
export function splitRows(rows: number, seed: number, duplicates?: DuplicateGroups): { choose: Int32Array; validate: Int32Array } {
  const choose: number[] = [];
  const validate: number[] = [];
  for (let r = 0; r < rows; r++) {
    if (duplicates && duplicates.representative[r] !== r) continue;
    // a fixed hash of (row, seed) decides the half, so the split never depends on row order elsewhere
    let h = Math.imul(r ^ seed, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
    h ^= h >>> 13;
    ((h >>> 0) % 2 === 0 ? choose : validate).push(r);
  }
  return { choose: Int32Array.from(choose), validate: Int32Array.from(validate) };
}

/** Mean of each concept's cosine over the pool rows: mean_{r in pool} cos(r, c). */
export function poolMeans(sim: Matrix, pool: ArrayLike<number>): Float64Array {
  const mean = new Float64Array(sim.cols);
  for (let i = 0; i < pool.length; i++) {
    const o = pool[i] * sim.cols;
    for (let c = 0; c < sim.cols; c++) mean[c] += sim.data[o + c];
  }
  for (let c = 0; c < sim.cols; c++) mean[c] /= Math.max(1, pool.length);
  return mean;
}

/** The latent's highest-activating rows among `inPool` (one per near-duplicate group), at most `max`. */
export function topPoolRows(columns: LatentColumns, latent: number, inPool: Uint8Array, max: number, duplicates?: DuplicateGroups): number[] {
  const out: number[] = [];
  for (let p = columns.colStart[latent]; p < columns.colStart[latent + 1] && out.length < max; p++) {
    const r = columns.row[p];
    // evidence uses group representatives only: a repeated image counts once
    const rep = duplicates ? duplicates.representative[r] : r;
    if (inPool[rep] && !out.includes(rep)) out.push(rep);
  }
  return out;
}

/** lift_c = mean_{r in top} cos(r, c) - mean_{r in pool} cos(r, c), for every concept. */
export function conceptLifts(sim: Matrix, top: ArrayLike<number>, poolMean: Float64Array): Float64Array {
  const lift = new Float64Array(sim.cols);
  for (let i = 0; i < top.length; i++) {
    const o = top[i] * sim.cols;
    for (let c = 0; c < sim.cols; c++) lift[c] += sim.data[o + c];
  }
  for (let c = 0; c < sim.cols; c++) lift[c] = lift[c] / Math.max(1, top.length) - poolMean[c];
  return lift;
}

/** 1 + the number of concepts with a strictly larger value (1 = best). */
export function rankAmong(values: ArrayLike<number>, index: number): number {
  let rank = 1;
  const v = values[index];
  for (let i = 0; i < values.length; i++) if (values[i] > v) rank++;
  return rank;
}

/**
 * AUROC of cos(row, concept) for telling the `top` rows from the rest of the pool (Mann-Whitney,
 * ties count half): the chance that a random top row scores above a random other pool row.
 */
export function conceptAuroc(sim: Matrix, pool: ArrayLike<number>, top: ArrayLike<number>, concept: number): number {
  const isTop = new Set<number>(Array.from(top));
  const scores: { s: number; pos: boolean }[] = [];
  for (let i = 0; i < pool.length; i++) scores.push({ s: sim.data[pool[i] * sim.cols + concept], pos: isTop.has(pool[i]) });
  scores.sort((a, b) => a.s - b.s);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < scores.length; ) {
    let j = i;
    while (j < scores.length && scores[j].s === scores[i].s) j++;
    // tied block gets the mean rank (i + 1 + j) / 2
    const mid = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) if (scores[t].pos) { nPos++; rankSum += mid; }
    i = j;
  }
  const nNeg = scores.length - nPos;
  if (nPos === 0 || nNeg === 0) return 0.5;
  // AUROC = (R_pos - n_pos (n_pos + 1) / 2) / (n_pos n_neg)
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

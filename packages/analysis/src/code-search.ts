import { AnalysisError } from './errors.js';
import type { SparseCodes } from './sparse-codes.js';
import { TopKCollector, type SearchHits } from './topk-collector.js';

/**
 * A collection's SAE codes indexed by latent, for search in code space: rows that share a query's active
 * concepts. Each latent is weighted by its rarity, w_j = ln((N + 1) / (df_j + 1)) (idf: a latent that fires on
 * every row says little), and rows are compared by the weighted cosine of their codes.
 */
export interface CodeIndex {
  rows: number;
  dSae: number;
  /** w_j per latent */
  weights: Float64Array;
  /** rows where latent j fires: rowsOf[indptr[j] .. indptr[j+1]), with their codes */
  indptr: Uint32Array;
  rowsOf: Uint32Array;
  values: Float32Array;
  /** ||w o z_r|| per row */
  norms: Float64Array;
}

export function codeIndex(codes: SparseCodes): CodeIndex {
  const { dSae, rows } = codes;
  const nnz = codes.indptr[rows];
  const df = new Uint32Array(dSae + 1);
  for (let e = 0; e < nnz; e++) if (codes.values[e] > 0) df[codes.indices[e] + 1]++;
  const weights = new Float64Array(dSae);
  for (let j = 0; j < dSae; j++) weights[j] = Math.log((rows + 1) / (df[j + 1] + 1)); // w_j = ln((N + 1) / (df_j + 1))
  for (let j = 0; j < dSae; j++) df[j + 1] += df[j];
  const indptr = df.slice();
  const fill = df.slice(0, dSae);
  const rowsOf = new Uint32Array(indptr[dSae]);
  const values = new Float32Array(indptr[dSae]);
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let e = codes.indptr[r]; e < codes.indptr[r + 1]; e++) {
      const v = codes.values[e];
      if (!(v > 0)) continue;
      const j = codes.indices[e];
      rowsOf[fill[j]] = r;
      values[fill[j]++] = v;
      s += (weights[j] * v) ** 2;
    }
    norms[r] = Math.sqrt(s);
  }
  return { rows, dSae, weights, indptr, rowsOf, values, norms };
}

export interface CodeSearchOptions {
  k?: number;
  allow?: (row: number) => boolean;
}

/**
 * Code-space top-k: score(q, r) = sum_j w_j^2 z_qj z_rj / (||w o z_q|| ||w o z_r||), accumulated over the
 * query's active latents only (one pass over their posting lists).
 */
export function codeSearch(index: CodeIndex, queries: SparseCodes, options: CodeSearchOptions = {}): SearchHits {
  if (queries.dSae !== index.dSae) throw new AnalysisError(`query codes have ${queries.dSae} latents but the index has ${index.dSae}`);
  const k = options.k ?? 10;
  const results: SearchHits[] = [];
  const scores = new Float32Array(index.rows);
  for (let q = 0; q < queries.rows; q++) {
    const acc = new Float64Array(index.rows);
    let qn = 0;
    for (let e = queries.indptr[q]; e < queries.indptr[q + 1]; e++) {
      const j = queries.indices[e];
      const zq = queries.values[e];
      if (!(zq > 0)) continue;
      const w2 = index.weights[j] ** 2;
      qn += w2 * zq * zq;
      for (let p = index.indptr[j]; p < index.indptr[j + 1]; p++) acc[index.rowsOf[p]] += w2 * zq * index.values[p];
    }
    const qNorm = Math.sqrt(qn);
    for (let r = 0; r < index.rows; r++) scores[r] = qNorm > 0 && index.norms[r] > 0 ? acc[r] / (qNorm * index.norms[r]) : 0;
    const c = new TopKCollector(1, k);
    c.offerBlock(scores, index.rows, 0, options.allow);
    results.push(c.result());
  }
  const rows = new Int32Array(queries.rows * k);
  const out = new Float32Array(queries.rows * k);
  results.forEach((h, q) => {
    rows.set(h.rows, q * k);
    out.set(h.scores, q * k);
  });
  return { queries: queries.rows, k, rows, scores: out };
}

import type { SearchHits } from './topk-collector.js';

/** Hits after dropping near-duplicates, and how many were dropped per query. */
export interface DedupedHits extends SearchHits {
  dropped: Int32Array;
}

/** Default cosine above which two hits count as the same item. */
export const DEFAULT_DUPLICATE_COSINE = 0.98;

/**
 * Keep each query's first `k` hits that are not near-duplicates of a hit kept before them:
 * a hit is dropped when cos(e_hit, e_kept) >= threshold for an earlier kept hit (ask for more than k hits first).
 * Also drops the query's own rows (`exclude`).
 */
export async function dedupeHits(
  hits: SearchHits,
  vectorsOf: (rows: number[]) => Promise<Float32Array[]>,
  options: {
    k: number;
    threshold?: number;
    /** Rows never returned for a query (e.g. a row query's own row; not counted as duplicates). */
    exclude?: (query: number, row: number) => boolean;
    /** A vector that counts as already kept for a query (e.g. a row query's own embedding, so its copies go too). */
    keptBefore?: (query: number) => Float32Array | undefined;
  },
): Promise<DedupedHits> {
  const threshold = options.threshold ?? DEFAULT_DUPLICATE_COSINE;
  const { k } = options;
  const rows = new Int32Array(hits.queries * k).fill(-1);
  const scores = new Float32Array(hits.queries * k).fill(Number.NEGATIVE_INFINITY);
  const dropped = new Int32Array(hits.queries);
  for (let q = 0; q < hits.queries; q++) {
    const candidates: number[] = [];
    for (let t = 0; t < hits.k; t++) if (hits.rows[q * hits.k + t] >= 0) candidates.push(t);
    const vectors = await vectorsOf(candidates.map((t) => hits.rows[q * hits.k + t]));
    const units = vectors.map(unit);
    const kept: number[] = [];
    const before = options.keptBefore?.(q);
    const seed = before ? unit(before) : undefined;
    for (let c = 0; c < candidates.length && kept.length < k; c++) {
      const row = hits.rows[q * hits.k + candidates[c]];
      if (options.exclude?.(q, row)) continue;
      if ((seed && dot(seed, units[c]) >= threshold) || kept.some((o) => dot(units[o], units[c]) >= threshold)) {
        dropped[q]++;
        continue;
      }
      rows[q * k + kept.length] = row;
      scores[q * k + kept.length] = hits.scores[q * hits.k + candidates[c]];
      kept.push(c);
    }
  }
  return { queries: hits.queries, k, rows, scores, dropped };
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  return Float32Array.from(v, (x) => x * inv);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

import { blockedMatmulABt, type Matrix, type MatmulABt } from '@msae/core';
import { ShapeMismatchError } from './errors.js';
import { unitRows } from './exact-search.js';
import { TopKCollector, type SearchHits } from './topk-collector.js';

/**
 * A search collection stored as int8, a quarter of the float32 bytes: row j's unit vector u_j is approximated by
 * scale[j] * codes[j, :] with scale[j] = max_t |u_j[t]| / 127 (so each code is round(u_j[t] / scale[j])).
 */
export interface CompactCollection {
  codes: Int8Array;
  scale: Float32Array;
  rows: number;
  cols: number;
}

/** scores[i, j] = scale[j] sum_t a[i, t] codes[j, t] (e.g. @msae/backend-cpu's native gemmInt8ABt). */
export type Int8MatmulABt = (a: Matrix, b: CompactCollection) => Float32Array | Promise<Float32Array>;

/** int8 x int8 scores of quantized queries: scores[i, j] = a.scale[i] b.scale[j] sum_t a.codes[i, t] b.codes[j, t] (@msae/backend-cpu's gemmInt8Int8ABt). */
export type Int8Int8MatmulABt = (a: CompactCollection, b: CompactCollection) => Float32Array | Promise<Float32Array>;

/** Quantize a collection's unit rows to int8 (one scale per row; a zero row stays zero). */
export function compactCollection(m: Matrix): CompactCollection {
  const { rows, cols, data } = m;
  const codes = new Int8Array(rows * cols);
  const scale = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let norm = 0;
    let peak = 0;
    for (let t = 0; t < cols; t++) {
      norm += data[o + t] * data[o + t];
      peak = Math.max(peak, Math.abs(data[o + t]));
    }
    if (peak === 0) continue;
    const s = peak / Math.sqrt(norm) / 127; // u = x / |x|; scale = max|u| / 127
    const inv = 1 / (Math.sqrt(norm) * s);
    for (let t = 0; t < cols; t++) codes[o + t] = Math.round(data[o + t] * inv);
    scale[r] = s;
  }
  return { codes, scale, rows, cols };
}

/** Plain-JS int8 scores (the default kernel; Node callers pass the native one). */
export function int8MatmulABt(a: Matrix, b: CompactCollection): Float32Array {
  const out = new Float32Array(a.rows * b.rows);
  const k = a.cols;
  for (let i = 0; i < a.rows; i++) {
    const ao = i * k;
    for (let j = 0; j < b.rows; j++) {
      const bo = j * k;
      let s = 0;
      for (let t = 0; t < k; t++) s += a.data[ao + t] * b.codes[bo + t];
      out[i * b.rows + j] = b.scale[j] * s;
    }
  }
  return out;
}

/** Plain-JS int8 x int8 scores (the reference for native kernels such as gemmInt8Int8ABt). */
export function int8Int8MatmulABt(a: CompactCollection, b: CompactCollection): Float32Array {
  const out = new Float32Array(a.rows * b.rows);
  const k = a.cols;
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.rows; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a.codes[i * k + t] * b.codes[j * k + t]; // exact integer sum
      out[i * b.rows + j] = Math.fround(a.scale[i] * b.scale[j]) * s;
    }
  }
  return out;
}

/** The exact rows for rescoring: the float32 collection itself, or a reader of chosen rows (e.g. from disk). */
export type RescoreSource = Matrix | ((rows: Int32Array) => Promise<Matrix> | Matrix);

export interface CompactSearchOptions {
  k?: number;
  /** Candidates kept per query from the int8 scores, as a multiple of k, for exact rescoring (default 4). */
  refine?: number;
  /** Rescore the candidates with these float32 rows (exact cosines, then the top k); without it the scores are the int8 approximations. */
  rescore?: RescoreSource;
  /** int8 scores for up to 32 queries (the streaming kernel; default plain JS). */
  matmulInt8?: Int8MatmulABt;
  /** More than 32 queries: each block decoded to float32 and multiplied by this provider (compute-bound; default plain JS). */
  matmul?: MatmulABt;
  /**
   * Quantize the queries to int8 too and score every block with this int8 x int8 kernel (int32 sums; any number of
   * queries; takes precedence over matmulInt8 / matmul). The candidates' exact rescoring keeps recall.
   */
  matmulInt8Int8?: Int8Int8MatmulABt;
  /** Rows per scored block (default 65536; 8192 for more than 32 queries on the int8 x int8 kernel). */
  blockRows?: number;
  allow?: (row: number) => boolean;
}

function block(c: CompactCollection, start: number, rows: number): CompactCollection {
  return { codes: c.codes.subarray(start * c.cols, (start + rows) * c.cols), scale: c.scale.subarray(start, start + rows), rows, cols: c.cols };
}

/** A block's rows as float32: scale[j] * codes[j, :]. */
function decoded(b: CompactCollection): Matrix {
  const data = new Float32Array(b.codes.length);
  for (let j = 0; j < b.rows; j++) {
    const s = b.scale[j];
    for (let t = j * b.cols, end = t + b.cols; t < end; t++) data[t] = s * b.codes[t];
  }
  return { data, rows: b.rows, cols: b.cols };
}

/**
 * Cosine top-k over a compact collection: int8 scores for every row (streamed once), the best k * refine per query,
 * then, with `rescore`, their exact cosines against the float32 rows and the top k of those. Up to 32 queries
 * stream the int8 codes (memory-bound: a quarter of the float32 time); more are compute-bound and multiply decoded
 * float32 blocks.
 */
export async function compactSearch(queries: Matrix, collection: CompactCollection, options: CompactSearchOptions = {}): Promise<SearchHits> {
  if (queries.cols !== collection.cols) {
    throw new ShapeMismatchError(`queries have ${queries.cols} dimensions but the compact collection has ${collection.cols}`);
  }
  const k = options.k ?? 10;
  const refine = options.rescore ? Math.max(1, options.refine ?? 4) : 1;
  const candidates = Math.min(collection.rows, k * refine);
  const matmul = options.matmulInt8 ?? int8MatmulABt;
  const q = unitRows(queries);
  const i8 = options.matmulInt8Int8;
  const qi8 = i8 ? compactCollection(q) : undefined; // queries as int8 codes too: int32 sums
  const many = q.rows > 32;
  const blockRows = options.blockRows ?? (i8 && many ? 8192 : 65536);
  const collector = new TopKCollector(q.rows, candidates);
  for (let start = 0; start < collection.rows; start += blockRows) {
    const rows = Math.min(blockRows, collection.rows - start);
    const b = block(collection, start, rows);
    const scores = i8 && qi8 ? await i8(qi8, b) : many ? await (options.matmul ?? blockedMatmulABt)(q, decoded(b)) : await matmul(q, b);
    collector.offerBlock(scores, rows, start, options.allow); // ~cos(q, x_j)
  }
  const approx = collector.result();
  if (!options.rescore) return approx;
  return rescoreHits(q, approx, options.rescore, k);
}

/** Exact cosines of each query's candidates (rows -1 are padding), then its top k. */
async function rescoreHits(q: Matrix, approx: SearchHits, source: RescoreSource, k: number): Promise<SearchHits> {
  const wanted = approx.rows.filter((r) => r >= 0);
  const exact = typeof source === 'function' ? await source(wanted) : undefined;
  const rowOf = new Map<number, number>();
  if (exact) wanted.forEach((r, i) => rowOf.set(r, i));
  if (exact && exact.rows !== wanted.length) throw new ShapeMismatchError(`rescore returned ${exact.rows} rows for ${wanted.length} requested`);
  const matrix = exact ?? (source as Matrix);
  if (matrix.cols !== q.cols) throw new ShapeMismatchError(`rescore rows have ${matrix.cols} dimensions but the queries have ${q.cols}`);
  const collector = new TopKCollector(q.rows, k);
  const d = q.cols;
  for (let i = 0; i < q.rows; i++) {
    for (let t = 0; t < approx.k; t++) {
      const row = approx.rows[i * approx.k + t];
      if (row < 0) continue;
      const o = (exact ? rowOf.get(row)! : row) * d;
      let dot = 0;
      let norm = 0;
      for (let c = 0; c < d; c++) {
        dot += q.data[i * d + c] * matrix.data[o + c];
        norm += matrix.data[o + c] * matrix.data[o + c];
      }
      collector.offer(i, row, norm > 0 ? dot / Math.sqrt(norm) : 0); // cos = <q/|q|, x> / |x|
    }
  }
  return collector.result();
}

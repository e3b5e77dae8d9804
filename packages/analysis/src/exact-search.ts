import { blockedMatmulABt, type MatmulABt, type Matrix } from '@msae/core';
import { ShapeMismatchError } from './errors.js';
import { TopKCollector, type SearchHits } from './topk-collector.js';

/** A block of consecutive collection rows; `start` is the index of its first row (an EmbeddingStream batch fits). */
export interface RowBlock extends Matrix {
  start: number;
}

/** A collection held in memory, or streamed block by block (e.g. `openEmbeddingStream(path).batches(...)`). */
export type RowSource = Matrix | (() => AsyncIterable<RowBlock>);

export interface ExactSearchOptions {
  k?: number;
  matmul?: MatmulABt;
  /**
   * Rows per block for an in-memory collection (default: for up to 32 queries, whose product streams the
   * collection once at memory speed on the native GEMV path, 2^23 / queries rows (at least 65536); else 4096).
   */
  blockRows?: number;
  /** Only rows for which this returns true are candidates (e.g. a label filter). */
  allow?: (row: number) => boolean;
}

/** Rows scaled to unit L2 norm (zero rows stay zero). */
export function unitRows(m: Matrix): Matrix {
  const out = new Float32Array(m.data.length);
  for (let r = 0; r < m.rows; r++) {
    const o = r * m.cols;
    let s = 0;
    for (let d = 0; d < m.cols; d++) s += m.data[o + d] * m.data[o + d];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < m.cols; d++) out[o + d] = m.data[o + d] * inv;
  }
  return { data: out, rows: m.rows, cols: m.cols };
}

/** 1 / ||row|| per row (0 for a zero row). */
export function inverseRowNorms(m: Matrix): Float32Array {
  const out = new Float32Array(m.rows);
  const { data, cols } = m;
  for (let r = 0; r < m.rows; r++) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    const o = r * cols;
    let d = 0;
    for (; d + 3 < cols; d += 4) {
      s0 += data[o + d] * data[o + d];
      s1 += data[o + d + 1] * data[o + d + 1];
      s2 += data[o + d + 2] * data[o + d + 2];
      s3 += data[o + d + 3] * data[o + d + 3];
    }
    for (; d < cols; d++) s0 += data[o + d] * data[o + d];
    const s = s0 + s1 + s2 + s3;
    out[r] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  return out;
}

// 1 / ||row|| of an in-memory collection, computed once per data array (a collection is searched many times).
const inverseNormCache = new WeakMap<Float32Array, Float32Array>();

function cachedInverseRowNorms(m: Matrix): Float32Array {
  let inv = inverseNormCache.get(m.data);
  if (inv === undefined || inv.length !== m.rows) {
    inv = inverseRowNorms(m);
    inverseNormCache.set(m.data, inv);
  }
  return inv;
}

/** Iterate the blocks of a row source. */
export async function* sourceBlocks(source: RowSource, blockRows = 4096): AsyncGenerator<RowBlock> {
  if (typeof source === 'function') {
    yield* source();
    return;
  }
  for (let start = 0; start < source.rows; start += blockRows) {
    const rows = Math.min(blockRows, source.rows - start);
    yield { data: source.data.subarray(start * source.cols, (start + rows) * source.cols), rows, cols: source.cols, start };
  }
}

/**
 * Exact cosine top-k: for each block, S = unit(Q) unit(B)^T through the matmul provider, then each query's
 * top-k is merged with the best so far. Memory: one block and a [queries, blockRows] score matrix.
 */
export async function exactSearch(queries: Matrix, source: RowSource, options: ExactSearchOptions = {}): Promise<SearchHits> {
  const k = options.k ?? 10;
  const matmul = options.matmul ?? blockedMatmulABt;
  const q = unitRows(queries);
  const collector = new TopKCollector(queries.rows, k);
  const invAll = typeof source === 'function' ? undefined : cachedInverseRowNorms(source);
  // few queries: blocks of up to 2^23 scores (one query scans a 500k collection in one native call, so the
  // thread pool syncs once instead of once per block)
  const blockRows = options.blockRows ?? (queries.rows <= 32 ? Math.max(65536, Math.floor(2 ** 23 / queries.rows)) : 4096);
  for await (const block of sourceBlocks(source, blockRows)) {
    if (block.cols !== queries.cols) {
      throw new ShapeMismatchError(`queries have ${queries.cols} dimensions but the collection has ${block.cols}`);
    }
    const scores = await matmul(q, block); // <q/|q|, b>
    const inv = invAll ? invAll.subarray(block.start, block.start + block.rows) : inverseRowNorms(block);
    collector.offerBlock(scores, block.rows, block.start, options.allow, inv); // cos(q, b) = <q/|q|, b> / |b|
  }
  return collector.result();
}

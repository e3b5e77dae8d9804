import type { Matrix } from '@msae/core';
import {
  EMBEDDING_PREFIX_BYTES,
  embeddingHeaderLength,
  parseEmbeddingLayout,
  type EmbeddingLayout,
  type EmbeddingReadOptions,
} from './embedding-layout.js';
import { assertFiniteRows } from './finite-rows.js';
import { decodeRows, rowRanges } from './layout-rows.js';

/**
 * Parse an embedding file held in memory (.npy v1-3 <f2/<f4/<f8 in C or Fortran order, a
 * headerless float32 memmap whose `fileName` is `<name>_<N>_<D>.npy`, or .safetensors) into a
 * row-major float32 matrix. Browser-safe: pass the bytes of a fetched file and its name.
 * Throws `IoError` (`<fileName>: <problem>`) for bad shape, truncation, NaN/Inf rows.
 */
export function parseEmbeddings(
  bytes: Uint8Array | ArrayBuffer,
  fileName: string,
  options: EmbeddingReadOptions = {},
): Matrix & { layout: EmbeddingLayout } {
  const data8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const layout = embeddingLayoutOf(data8, fileName, options);
  const out = new Float32Array(layout.rows * layout.cols);
  const ranges = rowRanges(layout, 0, layout.rows);
  // All ranges of a whole-matrix read are adjacent, so one subarray covers them in order.
  const first = ranges[0].position;
  const last = ranges[ranges.length - 1];
  decodeRows(layout, data8.subarray(first, last.position + last.length), layout.rows, out);
  assertFiniteRows(fileName, out, layout.cols);
  return { data: out, rows: layout.rows, cols: layout.cols, layout };
}

/** The layout of an in-memory embedding file (format, shape, dtype, order, data offset). */
export function embeddingLayoutOf(bytes: Uint8Array, fileName: string, options: EmbeddingReadOptions = {}): EmbeddingLayout {
  const headerLength = embeddingHeaderLength(bytes.subarray(0, EMBEDDING_PREFIX_BYTES), fileName, bytes.byteLength);
  return parseEmbeddingLayout(bytes.subarray(0, Math.max(headerLength, EMBEDDING_PREFIX_BYTES)), fileName, bytes.byteLength, options);
}

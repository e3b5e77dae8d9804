import type { Matrix } from '@msae/core';
import { basename } from 'node:path';
import { IoError } from './io-error.js';
import type { EmbeddingLayout, EmbeddingReadOptions } from './embedding-layout.js';
import { openEmbeddingStream } from './embedding-stream.js';
import { checkWritableMatrix, npyParts } from './encode-embeddings.js';
import { encodeSafetensorsEmbeddings } from './safetensors-embeddings.js';
import { paperMemmapShape } from './paper-memmap.js';
import { float32LittleEndianBytes } from './element-decoding.js';
import { writeFileAtomic } from './atomic-write.js';

/** Formats `writeEmbeddings` can produce. */
export type EmbeddingWriteFormat = 'npy' | 'memmap' | 'safetensors';

export interface EmbeddingWriteOptions {
  /** Default: from the extension (.safetensors -> safetensors, .npy -> npy). */
  format?: EmbeddingWriteFormat;
  /** Safetensors tensor name (default `embeddings`). */
  tensor?: string;
  /** Safetensors `__metadata__` (string values). */
  metadata?: Record<string, string>;
}

/**
 * Read a whole embedding file into a row-major float32 matrix: .npy (v1-3; <f2/<f4/<f8; C or
 * Fortran order), the paper's headerless float32 memmap `<name>_<N>_<D>.npy`, or .safetensors
 * (F32/F16/BF16/F64; `tensor` option, default `embeddings` or the only 2-D tensor). The format
 * is decided by content, then name. Errors are one-line `IoError`s `<file>: <problem>`.
 */
export async function readEmbeddings(
  path: string,
  options: EmbeddingReadOptions = {},
): Promise<Matrix & { layout: EmbeddingLayout }> {
  const stream = await openEmbeddingStream(path, options);
  try {
    const data = await stream.readRows(0, stream.rows);
    return { data, rows: stream.rows, cols: stream.cols, layout: stream.layout };
  } finally {
    await stream.close();
  }
}

/**
 * Write a matrix atomically (temporary file in the same directory, then rename): .npy (<f4,
 * C order, version 1.0), the paper's headerless memmap (`format: 'memmap'`; the name must be
 * `<name>_<rows>_<cols>.npy`) or .safetensors. Rows holding NaN/Inf are rejected with their index.
 */
export async function writeEmbeddings(path: string, m: Matrix, options: EmbeddingWriteOptions = {}): Promise<void> {
  return writeFileAtomic(path, embeddingFileParts(path, m, options));
}

/** The bytes `writeEmbeddings` would write (checked and encoded, nothing written): for writing with other files as one unit. */
export function embeddingFileParts(path: string, m: Matrix, options: EmbeddingWriteOptions = {}): Uint8Array[] {
  checkWritableMatrix(path, m);
  const format = options.format ?? formatFromExtension(path);
  if (format === 'npy') return npyParts(m);
  if (format === 'memmap') {
    const shape = paperMemmapShape(basename(path));
    if (!shape || shape.rows !== m.rows || shape.cols !== m.cols) {
      throw new IoError(path, `a headerless memmap of shape [${m.rows}, ${m.cols}] must be named <name>_${m.rows}_${m.cols}.npy`);
    }
    return [float32LittleEndianBytes(m.data)];
  }
  if (format === 'safetensors') {
    return [encodeSafetensorsEmbeddings(m, options.tensor ?? 'embeddings', options.metadata)];
  }
  throw new IoError(path, `unknown format '${String(format)}' (expected npy, memmap or safetensors)`);
}

function formatFromExtension(path: string): EmbeddingWriteFormat {
  if (/\.safetensors$/i.test(path)) return 'safetensors';
  if (/\.npy$/i.test(path)) return 'npy';
  throw new IoError(path, 'cannot tell the format from the extension (use .npy or .safetensors, or pass format)');
}

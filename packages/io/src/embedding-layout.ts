import { IoError } from './io-error.js';
import { ELEMENT_BYTES, type ElementType } from './element-decoding.js';
import { hasNpyMagic, npyDataOffset, parseNpyHeader } from './npy-header.js';
import { checkPaperMemmapSize, paperMemmapShape } from './paper-memmap.js';
import {
  looksLikeSafetensors,
  safetensorsEntries,
  safetensorsHeaderBytes,
  SAFETENSORS_ELEMENT_TYPES,
  type SafetensorsTensorEntry,
} from './safetensors-header.js';

/** The file formats embeddings are read from. */
export type EmbeddingFormat = 'npy' | 'memmap' | 'safetensors';

/** Where an embedding matrix [rows, cols] lies in a file and how its elements are stored. */
export interface EmbeddingLayout {
  format: EmbeddingFormat;
  rows: number;
  cols: number;
  dtype: ElementType;
  /** 'C': row-major; 'F': column-major (Fortran-order .npy). */
  order: 'C' | 'F';
  /** Byte offset of element [0, 0]. */
  dataOffset: number;
  /** Safetensors tensor name the matrix was read from. */
  tensor?: string;
}

export interface EmbeddingReadOptions {
  /** Safetensors tensor to read (default: `embeddings` if present, else the only 2-D tensor). */
  tensor?: string;
}

/** Bytes of a file's start needed to decide its format. */
export const EMBEDDING_PREFIX_BYTES = 16;

/**
 * How many bytes from the start of the file the header occupies (0 for a headerless memmap),
 * decided from its first `EMBEDDING_PREFIX_BYTES` bytes (fewer if the file is shorter).
 */
export function embeddingHeaderLength(prefix: Uint8Array, file: string, fileSize: number): number {
  const format = detectEmbeddingFormat(prefix, file, fileSize);
  if (format === 'npy') return Math.min(npyDataOffset(prefix, file), fileSize);
  if (format === 'safetensors') return safetensorsHeaderBytes(prefix, file, fileSize);
  return 0;
}

/** Decide the format: npy magic, then a .safetensors name, a `_<N>_<D>.npy` name, a safetensors-like header. */
export function detectEmbeddingFormat(prefix: Uint8Array, file: string, fileSize: number): EmbeddingFormat {
  if (hasNpyMagic(prefix)) return 'npy';
  if (/\.safetensors$/i.test(file)) return 'safetensors';
  if (paperMemmapShape(file)) return 'memmap';
  if (looksLikeSafetensors(prefix, fileSize)) return 'safetensors';
  if (fileSize === 0) throw new IoError(file, 'empty file');
  if (/\.npy$/i.test(file)) {
    throw new IoError(
      file,
      'not a .npy file (no \\x93NUMPY magic) and the name does not encode a shape as <name>_<N>_<D>.npy for a headerless float32 memmap',
    );
  }
  throw new IoError(
    file,
    'unrecognized embedding file (expected .npy, a headerless float32 memmap named <name>_<N>_<D>.npy, or .safetensors)',
  );
}

/**
 * The layout of the embedding matrix in a file, from its header bytes (at least
 * `embeddingHeaderLength` of them) and total size. Checks shape and that the data fits the file.
 */
export function parseEmbeddingLayout(
  header: Uint8Array,
  file: string,
  fileSize: number,
  options: EmbeddingReadOptions = {},
): EmbeddingLayout {
  const format = detectEmbeddingFormat(header, file, fileSize);
  if (format === 'memmap') {
    const shape = paperMemmapShape(file)!;
    checkPaperMemmapSize(file, shape.rows, shape.cols, fileSize);
    return { format, rows: shape.rows, cols: shape.cols, dtype: 'f4', order: 'C', dataOffset: 0 };
  }
  if (format === 'npy') {
    const h = parseNpyHeader(header, file);
    const [rows, cols] = checkMatrixShape(file, h.shape);
    const need = rows * cols * ELEMENT_BYTES[h.dtype];
    const have = fileSize - h.dataOffset;
    if (have < need) {
      throw new IoError(
        file,
        `truncated: shape [${rows}, ${cols}] ${h.descr} needs ${need} data bytes after the ${h.dataOffset}-byte header, file has ${have}`,
      );
    }
    if (have > need) {
      throw new IoError(
        file,
        `${have - need} unexpected bytes after the data of shape [${rows}, ${cols}] ${h.descr} (file ${fileSize} bytes, expected ${h.dataOffset + need})`,
      );
    }
    return { format, rows, cols, dtype: h.dtype, order: h.fortranOrder ? 'F' : 'C', dataOffset: h.dataOffset };
  }
  const entries = safetensorsEntries(header, file, fileSize);
  const entry = pickSafetensorsTensor(file, entries, options.tensor);
  const dtype = SAFETENSORS_ELEMENT_TYPES[entry.dtype];
  if (!dtype) {
    throw new IoError(file, `tensor '${entry.name}' has dtype ${entry.dtype} (supported: F32, F16, BF16, F64)`);
  }
  const [rows, cols] = checkMatrixShape(file, entry.shape, `tensor '${entry.name}'`);
  const need = rows * cols * ELEMENT_BYTES[dtype];
  if (entry.end - entry.begin !== need) {
    throw new IoError(
      file,
      `corrupt safetensors: tensor '${entry.name}' [${rows}, ${cols}] ${entry.dtype} needs ${need} bytes, its offsets span ${entry.end - entry.begin}`,
    );
  }
  return { format, rows, cols, dtype, order: 'C', dataOffset: entry.begin, tensor: entry.name };
}

function pickSafetensorsTensor(
  file: string,
  entries: SafetensorsTensorEntry[],
  requested: string | undefined,
) {
  const names = entries.map((e) => `${e.name} [${e.shape.join(', ')}]`).join(', ');
  if (requested !== undefined) {
    const found = entries.find((e) => e.name === requested);
    if (!found) throw new IoError(file, `no tensor named '${requested}' (tensors: ${names || 'none'})`);
    return found;
  }
  const named = entries.find((e) => e.name === 'embeddings');
  if (named) return named;
  const matrices = entries.filter((e) => e.shape.length === 2);
  if (matrices.length === 1) return matrices[0];
  if (matrices.length === 0) throw new IoError(file, `no 2-D tensor to read embeddings from (tensors: ${names || 'none'})`);
  throw new IoError(file, `several 2-D tensors (${names}) and none named 'embeddings'; name the embeddings tensor 'embeddings' or keep only one 2-D tensor (library callers: the tensor option)`);
}

function checkMatrixShape(file: string, shape: number[], what = 'array'): [number, number] {
  if (shape.length !== 2) {
    throw new IoError(file, `expected a 2-D ${what} [rows, dim], got shape [${shape.join(', ')}]`);
  }
  if (shape[1] === 0) throw new IoError(file, `expected a 2-D ${what} [rows, dim] with dim > 0, got shape [${shape.join(', ')}]`);
  return [shape[0], shape[1]];
}

import { decodeElements, ELEMENT_BYTES } from './element-decoding.js';
import type { EmbeddingLayout } from './embedding-layout.js';

/** A contiguous byte range of the file: `length` bytes at absolute offset `position`. */
export interface ByteRange {
  position: number;
  length: number;
}

/**
 * The byte ranges holding rows [start, start + count): one range for C order
 * (offset = dataOffset + start*cols*itemsize), one per column for Fortran order
 * (column c of rows [start, start + count) lies at dataOffset + (c*rows + start)*itemsize).
 */
export function rowRanges(layout: EmbeddingLayout, start: number, count: number): ByteRange[] {
  const item = ELEMENT_BYTES[layout.dtype];
  if (layout.order === 'C') {
    return [{ position: layout.dataOffset + start * layout.cols * item, length: count * layout.cols * item }];
  }
  const ranges: ByteRange[] = [];
  for (let c = 0; c < layout.cols; c++) {
    ranges.push({ position: layout.dataOffset + (c * layout.rows + start) * item, length: count * item });
  }
  return ranges;
}

/**
 * Decode the bytes of `rowRanges(layout, start, count)` (concatenated, in order) into row-major
 * float32 rows at dst[dstRow * cols ..]. Fortran order is transposed here: out[r, c] = in[c, r].
 */
export function decodeRows(
  layout: EmbeddingLayout,
  bytes: Uint8Array,
  count: number,
  dst: Float32Array,
  dstRow = 0,
): void {
  const { cols, dtype } = layout;
  if (layout.order === 'C') {
    decodeElements(bytes, dtype, count * cols, dst, dstRow * cols);
    return;
  }
  const item = ELEMENT_BYTES[dtype];
  const column = new Float32Array(count);
  for (let c = 0; c < cols; c++) {
    decodeElements(bytes.subarray(c * count * item, (c + 1) * count * item), dtype, count, column);
    for (let r = 0; r < count; r++) dst[(dstRow + r) * cols + c] = column[r];
  }
}

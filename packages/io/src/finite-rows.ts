import { IoError } from './io-error.js';

/**
 * Throw a one-line error naming the first row (absolute index `firstRow + r`) holding NaN or
 * +-Infinity in the row-major block `data` of `cols` columns.
 */
export function assertFiniteRows(file: string, data: Float32Array, cols: number, firstRow = 0): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is 0 for finite v and NaN for NaN/Inf: one comparison per value.
    if (v - v !== 0) {
      const row = firstRow + Math.floor(i / cols);
      const col = i % cols;
      throw new IoError(file, `row ${row} has a non-finite value (${v}) at column ${col}; remove or fix that row`);
    }
  }
}

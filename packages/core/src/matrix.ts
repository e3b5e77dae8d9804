import { ArgumentError } from './errors.js';
/** A dense row-major float32 matrix: element (r, c) is data[r * cols + c]. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Wrap a Float32Array as a [rows, cols] matrix, checking the size. */
export function matrix(data: Float32Array, rows: number, cols: number): Matrix {
  if (data.length !== rows * cols) {
    throw new ArgumentError(`matrix`, `expected ${rows}x${cols}=${rows * cols} values, got ${data.length}`);
  }
  return { data, rows, cols };
}

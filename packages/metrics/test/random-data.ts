import { createRng, type Matrix } from '@msae/core';

/** A seeded [rows, cols] matrix with normal entries * std + offset. */
export function randomMatrix(rows: number, cols: number, seed: number, std = 1, offset = 0): Matrix {
  const rng = createRng(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std + offset;
  return { data, rows, cols };
}

/** Non-negative sparse codes: each entry is ReLU(normal - shift), so most entries are zero. */
export function randomCodes(rows: number, cols: number, seed: number, shift = 1): Matrix {
  const m = randomMatrix(rows, cols, seed);
  for (let i = 0; i < m.data.length; i++) m.data[i] = Math.max(0, m.data[i] - shift);
  return m;
}

export function rowsOf(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}

export function fromRows(rows: number[][]): Matrix {
  return { data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0].length };
}

import type { Matrix } from '@msae/core';
import { createSaeModel, type SaeModel } from '../src/index.js';

/** An SAE whose dictionary is the identity basis (W_enc = W_dec = I, no biases, identity normalization): z = ReLU(x). */
export function identitySae(d: number): SaeModel {
  const eye = new Float32Array(d * d);
  for (let i = 0; i < d; i++) eye[i * d + i] = 1;
  return createSaeModel({
    config: { dIn: d, dSae: d },
    params: { W_enc: eye.slice(), W_dec: eye.slice(), b_enc: new Float32Array(d), b_dec: new Float32Array(d) },
    normalization: { mean: new Float32Array(d), scale: 1 },
  });
}

/** Rows given as {latent: value} maps over d dimensions. */
export function rowsOf(d: number, rows: Array<Record<number, number>>): Matrix {
  const data = new Float32Array(rows.length * d);
  rows.forEach((row, r) => {
    for (const [j, v] of Object.entries(row)) data[r * d + Number(j)] = v;
  });
  return { data, rows: rows.length, cols: d };
}

/** SAELens parameters <-> the engine's one-buffer layout (W_enc stored transposed: one row per latent). */
import type { SaeParams } from '@msae/core';
import { paramLayout } from './kernels/prelude.js';

/** out[c, r] = a[r, c] for a [rows, cols]. */
export function transpose(a: Float32Array, rows: number, cols: number, out = new Float32Array(rows * cols)): Float32Array {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[o + c];
  }
  return out;
}

/** [W_encT | b_enc | W_dec | b_dec] from SAELens tensors. */
export function packParams(p: SaeParams, dIn: number, dSae: number): Float32Array {
  const l = paramLayout(dIn, dSae);
  const out = new Float32Array(l.total);
  transpose(p.W_enc, dIn, dSae, out.subarray(l.wEnc, l.bEnc));
  out.set(p.b_enc, l.bEnc);
  out.set(p.W_dec, l.wDec);
  out.set(p.b_dec, l.bDec);
  return out;
}

/** SAELens tensors (copies) from the packed layout. */
export function unpackParams(flat: Float32Array, dIn: number, dSae: number): SaeParams {
  const l = paramLayout(dIn, dSae);
  return {
    W_enc: transpose(flat.subarray(l.wEnc, l.bEnc), dSae, dIn),
    b_enc: flat.slice(l.bEnc, l.wDec),
    W_dec: flat.slice(l.wDec, l.bDec),
    b_dec: flat.slice(l.bDec, l.total),
  };
}

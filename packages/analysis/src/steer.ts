import type { Matrix } from '@msae/core';
import { checkWidth, encodeRows, type SaeModel } from './sae-model.js';
import { codeAt, type SparseCodes } from './sparse-codes.js';
import { applyEdit, type LatentEdit } from './steering-edits.js';

export interface SteerOptions {
  /** Codes from the top-k encode (undefined: every positive code). */
  k?: number;
  /** Rescale every steered row to unit L2 norm. */
  renormalize?: boolean;
  /** Precomputed codes of x (same k), to skip the encode. */
  codes?: SparseCodes;
}

export interface SteerResult extends Matrix {
  /** The codes of x the edits were applied to. */
  codes: SparseCodes;
  /** ||x' - x|| per row. */
  shift: Float32Array;
}

/**
 * Steering: z = encode(x), z' = edits(z), x' = x + decode(z') - decode(z) = x + (z' - z) W_dec / scale
 * (the SAE's reconstruction error is kept; b_dec and the mean cancel), optionally x' / ||x'||.
 * Edits apply in order, so several edits of one latent compose. No edit returns x exactly.
 */
export async function steer(model: SaeModel, x: Matrix, edits: readonly LatentEdit[], options: SteerOptions = {}): Promise<SteerResult> {
  checkWidth(model, x);
  const codes = options.codes ?? (await encodeRows(model, x, { k: options.k }));
  const { dIn, params, normalization } = model;
  const out = x.data.slice();
  const shift = new Float32Array(x.rows);
  const latents = [...new Set(edits.map((e) => e.latent))];
  const delta = new Float64Array(dIn);
  for (let r = 0; r < x.rows; r++) {
    delta.fill(0);
    let moved = false;
    for (const j of latents) {
      const z = codeAt(codes, r, j);
      let zNew = z;
      for (const e of edits) if (e.latent === j) zNew = applyEdit(zNew, e.op, e.value);
      const dz = (zNew - z) / normalization.scale; // (z'_j - z_j) / scale
      if (dz === 0) continue;
      moved = true;
      const w = j * dIn;
      for (let d = 0; d < dIn; d++) delta[d] += dz * params.W_dec[w + d];
    }
    const o = r * dIn;
    if (moved) for (let d = 0; d < dIn; d++) out[o + d] = x.data[o + d] + delta[d];
    if (options.renormalize) renormalizeRow(out, o, dIn);
    let s = 0;
    for (let d = 0; d < dIn; d++) s += (out[o + d] - x.data[o + d]) ** 2;
    shift[r] = Math.sqrt(s);
  }
  return { data: out, rows: x.rows, cols: x.cols, codes, shift };
}

/** x / ||x|| in place (a zero row stays zero). */
export function renormalizeRow(data: Float32Array, offset: number, width: number): void {
  let s = 0;
  for (let d = 0; d < width; d++) s += data[offset + d] * data[offset + d];
  const n = Math.sqrt(s);
  if (n > 0) for (let d = 0; d < width; d++) data[offset + d] /= n;
}

import type { Matrix } from '@msae/core';
import { ConceptsInputError } from './errors.js';

/**
 * How a decoder row (which lives in the SAE's normalized input space) is mapped into CLIP space
 * before it is compared with vocabulary embeddings.
 * - `row`: the bare row. Its direction is the latent's contribution to x^ in CLIP space, because
 *   x^ = recon_n / s + mean adds (z_j / s) W_dec[j]. Default: it wins on the synthetic benchmark and on
 *   real CLIP data (README, "Choosing the mapping").
 * - `affine`: row / scale + mean, what the paper's code does (the decoder row treated as a
 *   normalized-space point and un-normalized). The data mean dominates when ||row / scale|| << ||mean||.
 */
export type DecoderMapping = 'row' | 'affine';

export const DECODER_MAPPINGS: readonly DecoderMapping[] = ['row', 'affine'];

/** Input normalization stored in a checkpoint: x_n = (x - mean) * scale. */
export interface InputNormalization {
  mean: ArrayLike<number>;
  scale: number;
}

/**
 * Decoder rows W_dec [dSae, dIn] mapped into CLIP space (a new matrix; W_dec is untouched).
 * `affine` needs the checkpoint's normalization; without it (identity normalization) both mappings agree.
 */
export function decoderDirections(
  wDec: Matrix,
  mapping: DecoderMapping,
  normalization?: InputNormalization,
): Matrix {
  const { rows, cols } = wDec;
  const out = new Float32Array(wDec.data);
  if (mapping === 'row') return { data: out, rows, cols };
  if (mapping !== 'affine') throw new ConceptsInputError(`unknown decoder mapping "${String(mapping)}" (expected row or affine)`);
  if (!normalization) return { data: out, rows, cols };
  const { mean, scale } = normalization;
  if (mean.length !== cols) {
    throw new ConceptsInputError(`normalization mean has ${mean.length} values but decoder rows have ${cols}`);
  }
  if (!(scale > 0) || !Number.isFinite(scale)) throw new ConceptsInputError(`normalization scale must be a positive number, got ${scale}`);
  const inv = 1 / scale;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    // d = W_dec[r] / s + mean (the paper's mapping)
    for (let c = 0; c < cols; c++) out[o + c] = out[o + c] * inv + mean[c];
  }
  return { data: out, rows, cols };
}

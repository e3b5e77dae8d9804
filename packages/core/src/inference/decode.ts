import { InferenceInputError } from './inference-errors.js';
import type { SaeInference } from './sae-inference.js';

/** Codes in CSR form: row r's latents are indices[indptr[r] .. indptr[r + 1]) with their values. */
export interface CsrCodes {
  rows: number;
  indptr: ArrayLike<number>;
  indices: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** x^_n = z W_dec + b_dec, then x^ = x^_n / scale + mean when the model has a normalization; [rows, d_in]. */
export function decodeSparse(model: SaeInference, codes: CsrCodes): Float32Array {
  const { dIn, dSae, normalization } = model;
  const W_dec = model.params.W_dec;
  if (!W_dec) throw new InferenceInputError('decode', 'this model has no decoder (W_dec)');
  const b_dec = model.params.b_dec;
  const out = new Float32Array(codes.rows * dIn);
  const acc = new Float64Array(dIn);
  for (let r = 0; r < codes.rows; r++) {
    for (let d = 0; d < dIn; d++) acc[d] = b_dec[d];
    for (let e = codes.indptr[r]; e < codes.indptr[r + 1]; e++) {
      const j = codes.indices[e];
      if (!(j >= 0 && j < dSae)) throw new InferenceInputError('decode', `latent ${j} is outside 0..${dSae - 1}`);
      const v = codes.values[e];
      const w = j * dIn;
      for (let d = 0; d < dIn; d++) acc[d] += v * W_dec[w + d]; // z W_dec + b_dec
    }
    const o = r * dIn;
    if (normalization) for (let d = 0; d < dIn; d++) out[o + d] = acc[d] / normalization.scale + normalization.mean[d]; // x^_n / s + mean
    else for (let d = 0; d < dIn; d++) out[o + d] = acc[d];
  }
  return out;
}

/** decodeSparse of dense codes z [rows, d_sae] (zeros skipped). */
export function decodeCodes(model: SaeInference, z: Float32Array, rows: number): Float32Array {
  const { dSae } = model;
  if (z.length !== rows * dSae) throw new InferenceInputError('decode', `codes have ${z.length} values, expected ${rows}x${dSae}`);
  const indptr = new Uint32Array(rows + 1);
  let nnz = 0;
  for (let e = 0; e < z.length; e++) if (z[e] !== 0) nnz++;
  const indices = new Uint32Array(nnz);
  const values = new Float32Array(nnz);
  let w = 0;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dSae; j++) {
      const v = z[r * dSae + j];
      if (v === 0) continue;
      indices[w] = j;
      values[w++] = v;
    }
    indptr[r + 1] = w;
  }
  return decodeSparse(model, { rows, indptr, indices, values });
}

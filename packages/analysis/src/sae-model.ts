import { blockedMatmulABt, type MatmulABt, type Matrix, type Normalization, type SaeParams } from '@msae/core';
import { ShapeMismatchError } from './errors.js';
import { concatCodes, sparsifyCodes, type SparseCodes } from './sparse-codes.js';

/** What encode/decode need from a checkpoint: its parameters and the stored input normalization. */
export interface SaeModelInput {
  config: { dIn: number; dSae: number };
  params: SaeParams;
  normalization: Normalization;
}

/** An SAE ready for plain-TS inference: the encoder transposed once for the A B^T provider. */
export interface SaeModel {
  dIn: number;
  dSae: number;
  params: SaeParams;
  normalization: Normalization;
  /** W_enc^T [dSae, dIn] */
  encoderRows: Matrix;
  matmul: MatmulABt;
}

export interface EncodeOptions {
  /** Keep each row's top-k positive codes (undefined: every positive code). */
  k?: number;
  /** Rows per matmul call (default 1024). */
  blockRows?: number;
}

/** Build an SaeModel; heavy products go through `matmul` (default: the plain-JS blocked provider). */
export function createSaeModel(input: SaeModelInput, options: { matmul?: MatmulABt } = {}): SaeModel {
  const { dIn, dSae } = input.config;
  const { W_enc, W_dec, b_enc, b_dec } = input.params;
  if (W_enc.length !== dIn * dSae || W_dec.length !== dIn * dSae || b_enc.length !== dSae || b_dec.length !== dIn) {
    throw new ShapeMismatchError(`SAE parameters do not match d_in ${dIn}, d_sae ${dSae}`);
  }
  if (input.normalization.mean.length !== dIn) {
    throw new ShapeMismatchError(`normalization mean has ${input.normalization.mean.length} values, expected d_in ${dIn}`);
  }
  const encT = new Float32Array(dSae * dIn);
  for (let d = 0; d < dIn; d++) for (let j = 0; j < dSae; j++) encT[j * dIn + d] = W_enc[d * dSae + j];
  return {
    dIn,
    dSae,
    params: input.params,
    normalization: input.normalization,
    encoderRows: { data: encT, rows: dSae, cols: dIn },
    matmul: options.matmul ?? blockedMatmulABt,
  };
}

export function checkWidth(model: SaeModel, x: Matrix, what = 'embeddings'): void {
  if (x.cols !== model.dIn) throw new ShapeMismatchError(`${what} have ${x.cols} dimensions but the SAE has d_in = ${model.dIn}`);
  if (x.data.length !== x.rows * x.cols) throw new ShapeMismatchError(`${what}: ${x.data.length} values is not ${x.rows}x${x.cols}`);
}

/** Pre-activations of rows [start, start+count): pre = ((x - mean) * scale - b_dec) W_enc + b_enc. */
export async function preActivations(model: SaeModel, x: Matrix, start = 0, count = x.rows): Promise<Float32Array> {
  const { dIn, dSae, normalization, params } = model;
  const centred = new Float32Array(count * dIn);
  for (let r = 0; r < count; r++) {
    const o = (start + r) * dIn;
    for (let d = 0; d < dIn; d++) {
      centred[r * dIn + d] = (x.data[o + d] - normalization.mean[d]) * normalization.scale - params.b_dec[d]; // x_n - b_dec
    }
  }
  const pre = await model.matmul({ data: centred, rows: count, cols: dIn }, model.encoderRows);
  for (let r = 0; r < count; r++) for (let j = 0; j < dSae; j++) pre[r * dSae + j] += params.b_enc[j];
  return pre;
}

/** z = TopK_k(ReLU(pre)) (every positive code when k is undefined) for rows in the original space, as sparse codes. */
export async function encodeRows(model: SaeModel, x: Matrix, options: EncodeOptions = {}): Promise<SparseCodes> {
  checkWidth(model, x);
  const block = options.blockRows ?? 1024;
  const parts: SparseCodes[] = [];
  for (let start = 0; start < x.rows; start += block) {
    const count = Math.min(block, x.rows - start);
    const pre = await preActivations(model, x, start, count);
    parts.push(sparsifyCodes(pre, count, model.dSae, options.k));
  }
  if (parts.length === 1) return parts[0];
  return concatCodes(parts, model.dSae);
}

/** x^ = (z W_dec + b_dec) / scale + mean: reconstruction in the original space, [rows, dIn]. */
export function decodeRows(model: SaeModel, codes: SparseCodes): Float32Array {
  const { dIn, params, normalization } = model;
  const out = new Float32Array(codes.rows * dIn);
  for (let r = 0; r < codes.rows; r++) {
    const o = r * dIn;
    for (let d = 0; d < dIn; d++) out[o + d] = params.b_dec[d];
    for (let e = codes.indptr[r]; e < codes.indptr[r + 1]; e++) {
      const v = codes.values[e];
      const w = codes.indices[e] * dIn;
      for (let d = 0; d < dIn; d++) out[o + d] += v * params.W_dec[w + d];
    }
    for (let d = 0; d < dIn; d++) out[o + d] = out[o + d] / normalization.scale + normalization.mean[d];
  }
  return out;
}

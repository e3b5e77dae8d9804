import { createSaeInference, decodeSparse, encodeCodes, type MatmulABt, type Matrix, type Normalization, type SaeInference, type SaeParams } from '@msae/core';
import { ShapeMismatchError } from './errors.js';
import { concatCodes, sparsifyCodes, type SparseCodes } from './sparse-codes.js';

/** What encode/decode need from a checkpoint: its shape and architecture (jumprelu: thresholds), parameters and input normalization. */
export interface SaeModelInput {
  config: { dIn: number; dSae: number; architecture?: string };
  params: SaeParams;
  normalization: Normalization;
}

/** An SAE ready for plain-TS inference: core's SaeInference with the checkpoint's normalization. */
export type SaeModel = SaeInference & { normalization: Normalization; params: SaeParams };

export interface EncodeOptions {
  /** Keep each row's top-k positive codes (undefined: every positive code). */
  k?: number;
  /** Rows per matmul call (default 1024). */
  blockRows?: number;
}

/** Build an SaeModel (core's inference module); heavy products go through `matmul` (default: the plain-JS blocked provider). */
export function createSaeModel(input: SaeModelInput, options: { matmul?: MatmulABt } = {}): SaeModel {
  const { dIn, dSae } = input.config;
  const { W_enc, W_dec, b_enc, b_dec } = input.params;
  if (W_enc.length !== dIn * dSae || W_dec.length !== dIn * dSae || b_enc.length !== dSae || b_dec.length !== dIn) {
    throw new ShapeMismatchError(`SAE parameters do not match d_in ${dIn}, d_sae ${dSae}`);
  }
  if (input.normalization.mean.length !== dIn) {
    throw new ShapeMismatchError(`normalization mean has ${input.normalization.mean.length} values, expected d_in ${dIn}`);
  }
  return createSaeInference(input, options) as SaeModel;
}

export function checkWidth(model: SaeModel, x: Matrix, what = 'embeddings'): void {
  if (x.cols !== model.dIn) throw new ShapeMismatchError(`${what} have ${x.cols} dimensions but the SAE has d_in = ${model.dIn}`);
  if (x.data.length !== x.rows * x.cols) throw new ShapeMismatchError(`${what}: ${x.data.length} values is not ${x.rows}x${x.cols}`);
}

/** z = TopK_k(gate(pre)) (core's encodeCodes: the architecture's gate, every positive code when k is undefined) for rows in the original space, as sparse codes. */
export async function encodeRows(model: SaeModel, x: Matrix, options: EncodeOptions = {}): Promise<SparseCodes> {
  checkWidth(model, x);
  const block = options.blockRows ?? 1024;
  const parts: SparseCodes[] = [];
  for (let start = 0; start < x.rows; start += block) {
    const count = Math.min(block, x.rows - start);
    const codes = await encodeCodes(model, x, { start, count, k: options.k });
    parts.push(sparsifyCodes(codes, count, model.dSae));
  }
  if (parts.length === 1) return parts[0];
  return concatCodes(parts, model.dSae);
}

/** x^ = (z W_dec + b_dec) / scale + mean: reconstruction in the original space, [rows, dIn] (core's decodeSparse). */
export function decodeRows(model: SaeModel, codes: SparseCodes): Float32Array {
  return decodeSparse(model, codes);
}

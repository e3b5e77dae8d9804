import type { Matrix } from '../matrix.js';
import { InferenceInputError } from './inference-errors.js';
import { keepTopK } from './row-topk.js';
import { checkInferenceWidth, type SaeInference } from './sae-inference.js';

/** Which rows of `x` to encode: [start, start + count) (default every row). */
export interface RowRange {
  start?: number;
  count?: number;
}

export interface EncodeCodesOptions extends RowRange {
  /** Keep each row's top-k gated codes (ties: lower index); undefined keeps every positive code. */
  k?: number;
}

function rowRange(x: Matrix, range: RowRange): { start: number; count: number } {
  const start = range.start ?? 0;
  const count = range.count ?? x.rows - start;
  if (!(Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 0 && start + count <= x.rows)) {
    throw new InferenceInputError('encode', `rows [${start}, ${start + count}) are outside the ${x.rows} rows given`);
  }
  return { start, count };
}

/**
 * Pre-activations of rows [start, start + count): pre = (x_n - b_dec) W_enc + b_enc with x_n = (x - mean) * scale
 * (x_n = x without normalization). With `latents`, only those encoder columns: [count, latents.length].
 */
export async function preActivations(model: SaeInference, x: Matrix, options: RowRange & { latents?: readonly number[] } = {}): Promise<Float32Array> {
  checkInferenceWidth(model, x);
  const { start, count } = rowRange(x, options);
  const { dIn, dSae, normalization, params } = model;
  const mean = normalization?.mean;
  const scale = normalization?.scale ?? 1;
  const centred = new Float32Array(count * dIn);
  for (let r = 0; r < count; r++) {
    const o = (start + r) * dIn;
    for (let d = 0; d < dIn; d++) centred[r * dIn + d] = (x.data[o + d] - (mean ? mean[d] : 0)) * scale - params.b_dec[d]; // x_n - b_dec
  }
  const latents = options.latents;
  let encoder = model.encoderRows;
  if (latents) {
    const sub = new Float32Array(latents.length * dIn);
    latents.forEach((j, t) => {
      if (!(Number.isInteger(j) && j >= 0 && j < dSae)) throw new InferenceInputError('encode', `latent ${j} is outside 0..${dSae - 1}`);
      sub.set(model.encoderRows.data.subarray(j * dIn, (j + 1) * dIn), t * dIn);
    });
    encoder = { data: sub, rows: latents.length, cols: dIn };
  }
  const cols = encoder.rows;
  const pre = await model.matmul({ data: centred, rows: count, cols: dIn }, encoder);
  for (let r = 0; r < count; r++) {
    for (let c = 0; c < cols; c++) pre[r * cols + c] += params.b_enc[latents ? latents[c] : c]; // + b_enc
  }
  return pre;
}

/** Gated activations z = gate(pre) of rows [start, start + count), all latents or only `latents` (no TopK). */
export async function gatedActivations(model: SaeInference, x: Matrix, options: RowRange & { latents?: readonly number[] } = {}): Promise<Float32Array> {
  const pre = await preActivations(model, x, options);
  const rows = options.latents ? pre.length / Math.max(1, options.latents.length) : pre.length / model.dSae;
  model.gate(pre, rows, options.latents);
  return pre;
}

/**
 * Dense codes [count, d_sae] of rows [start, start + count): z = TopK_k(gate(pre)) per row (k undefined: every
 * positive gated code), the same codes as the reference engine's encode.
 */
export async function encodeCodes(model: SaeInference, x: Matrix, options: EncodeCodesOptions = {}): Promise<Float32Array> {
  const k = options.k;
  if (k !== undefined && !(Number.isInteger(k) && k >= 1)) throw new InferenceInputError('encode', `k must be a positive integer, got ${k}`);
  const z = await gatedActivations(model, x, { start: options.start, count: options.count });
  if (k === undefined || k >= model.dSae) return z;
  return keepTopK(z, z.length / model.dSae, model.dSae, k, z);
}

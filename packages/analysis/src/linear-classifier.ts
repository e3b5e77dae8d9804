import { blockedMatmulABt, type MatmulABt, type Matrix } from '@msae/core';
import { ShapeMismatchError } from './errors.js';

/**
 * A linear classifier over embeddings. kind 'linear': logits = x W^T + b (a probe); kind 'cosine':
 * logits = scale * cos(x, w_c) (a CLIP zero-shot head: scale 100). weights are [classes, d].
 */
export interface LinearClassifier {
  kind: 'linear' | 'cosine';
  weights: Matrix;
  bias?: Float32Array;
  /** Logit scale of a cosine head (default 100, as CLIP). */
  scale?: number;
  classes?: string[];
}

/** A zero-shot head: class text embeddings [classes, d], logits 100 * cos(x, w_c). */
export function zeroShotHead(weights: Matrix, classes?: string[]): LinearClassifier {
  return { kind: 'cosine', weights, scale: 100, classes };
}

/** Check that the classifier takes rows of width `dim`. */
export function checkClassifierWidth(c: LinearClassifier, dim: number, what = 'classifier'): void {
  if (c.weights.cols !== dim) throw new ShapeMismatchError(`${what} has width ${c.weights.cols} but the embeddings have ${dim} dimensions`);
  if (c.bias && c.bias.length !== c.weights.rows) throw new ShapeMismatchError(`${what}: ${c.bias.length} biases for ${c.weights.rows} classes`);
}

/** The head with unit-norm class rows (cosine kind); linear heads are returned as they are. */
export function preparedClassifier(c: LinearClassifier): LinearClassifier {
  if (c.kind !== 'cosine') return c;
  const { rows, cols, data } = c.weights;
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let d = 0; d < cols; d++) s += data[r * cols + d] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < cols; d++) out[r * cols + d] = data[r * cols + d] * inv;
  }
  return { ...c, weights: { data: out, rows, cols } };
}

/** Logits [rows, classes] of x under the classifier. */
export async function classifierLogits(c: LinearClassifier, x: Matrix, matmul: MatmulABt = blockedMatmulABt): Promise<Float32Array> {
  checkClassifierWidth(c, x.cols);
  const head = preparedClassifier(c);
  const dots = await matmul(x, head.weights);
  const C = c.weights.rows;
  for (let r = 0; r < x.rows; r++) {
    let factor = 1;
    if (c.kind === 'cosine') {
      let s = 0;
      for (let d = 0; d < x.cols; d++) s += x.data[r * x.cols + d] ** 2;
      factor = (c.scale ?? 100) / (Math.sqrt(s) || 1); // scale * <x, w_c> / ||x||
    }
    for (let j = 0; j < C; j++) dots[r * C + j] = dots[r * C + j] * factor + (c.bias ? c.bias[j] : 0);
  }
  return dots;
}

/** Row-wise softmax of logits [rows, classes] (max-subtracted), as a new array. */
export function softmaxRows(logits: Float32Array, classes: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let o = 0; o < logits.length; o += classes) {
    let m = -Infinity;
    for (let j = 0; j < classes; j++) m = Math.max(m, logits[o + j]);
    let s = 0;
    for (let j = 0; j < classes; j++) s += (out[o + j] = Math.exp(logits[o + j] - m));
    for (let j = 0; j < classes; j++) out[o + j] /= s; // p_j = e^{l_j - m} / sum e^{l - m}
  }
  return out;
}

/** Index of the largest logit per row (first on ties). */
export function argmaxRows(logits: ArrayLike<number>, classes: number): Int32Array {
  const rows = logits.length / classes;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < classes; j++) if (logits[r * classes + j] > logits[r * classes + best]) best = j;
    out[r] = best;
  }
  return out;
}

import type { Matrix } from '@msae/core';
import { classifierLogits, preparedClassifier, type LinearClassifier } from './linear-classifier.js';
import type { SaeModel } from './sae-model.js';
import type { SparseCodes } from './sparse-codes.js';

export interface CausalEffectOptions {
  /** Class whose probability is tracked (index into the classifier's rows). */
  target: number;
  /** Amplification factor: z_j -> alpha z_j (default 2). */
  alpha?: number;
  /** Steered embeddings are renormalized to unit norm (as steer({renormalize})). */
  renormalize?: boolean;
  /** Called every 256 rows with (rows done, rows). */
  onProgress?: (done: number, total: number) => void;
}

/** Mean change of P(target) per group when a latent is ablated (z_j = 0) or amplified (z_j * alpha). */
export interface CausalEffects {
  /** [dSae] mean over group-1 / group-0 rows of P(target | x') - P(target | x), ablation */
  ablate1: Float64Array;
  ablate0: Float64Array;
  /** same for amplification */
  amplify1: Float64Array;
  amplify0: Float64Array;
  /** P(target | x) per row */
  baseProbability: Float64Array;
  alpha: number;
}

/**
 * Exact single-latent interventions through the steering primitive, without materializing x':
 * x' = x + c d_j with c = (z'_j - z_j) / scale and d_j = W_dec[j], so for every class
 * <x', w> = <x, w> + c <d_j, w> and ||x'||^2 = ||x||^2 + 2c <x, d_j> + c^2 ||d_j||^2.
 * <d_j, w> for every latent and class is one [dSae, classes] product through the matmul provider.
 * Only rows where z_j != 0 change, so the cost is one pass over the non-zero codes.
 */
export async function causalEffects(
  model: SaeModel,
  x: Matrix,
  codes: SparseCodes,
  group: Uint8Array,
  classifier: LinearClassifier,
  options: CausalEffectOptions,
): Promise<CausalEffects> {
  const alpha = options.alpha ?? 2;
  const { dIn, dSae, params, normalization } = model;
  const head = preparedClassifier(classifier);
  const C = head.weights.rows;
  const cosine = head.kind === 'cosine';
  const scale = head.scale ?? 100;
  const needNorm = cosine || !!options.renormalize;
  const decoder: Matrix = { data: params.W_dec, rows: dSae, cols: dIn };
  const dw = await model.matmul(decoder, head.weights); // <d_j, w_c>  [dSae, C]
  const dirNormSq = new Float64Array(dSae);
  for (let j = 0; j < dSae; j++) {
    let s = 0;
    for (let d = 0; d < dIn; d++) s += params.W_dec[j * dIn + d] ** 2;
    dirNormSq[j] = s;
  }
  const xw = await model.matmul(x, head.weights); // <x, w_c>  [rows, C]
  const bias = head.bias;
  const count = [0, 0];
  for (let r = 0; r < x.rows; r++) count[group[r] ? 1 : 0]++;
  const sums = { ablate: [new Float64Array(dSae), new Float64Array(dSae)], amplify: [new Float64Array(dSae), new Float64Array(dSae)] };
  const baseProbability = new Float64Array(x.rows);
  const logits = new Float64Array(C);
  // P(target) of x + c d_j, given <x, w>, ||x||^2 and <x, d_j>
  const probability = (r: number, j: number, c: number, xx: number, xd: number): number => {
    const normSq = j >= 0 ? xx + 2 * c * xd + c * c * dirNormSq[j] : xx;
    const norm = needNorm ? Math.sqrt(Math.max(normSq, 1e-30)) : 1;
    const factor = cosine ? scale / norm : options.renormalize ? 1 / norm : 1;
    let m = -Infinity;
    for (let t = 0; t < C; t++) {
      logits[t] = (xw[r * C + t] + c * (j >= 0 ? dw[j * C + t] : 0)) * factor + (bias ? bias[t] : 0);
      if (logits[t] > m) m = logits[t];
    }
    let s = 0;
    for (let t = 0; t < C; t++) s += Math.exp(logits[t] - m);
    return Math.exp(logits[options.target] - m) / s; // softmax_target
  };
  for (let r = 0; r < x.rows; r++) {
    if (r % 256 === 0) options.onProgress?.(r, x.rows);
    const o = r * dIn;
    let xx = 0;
    for (let d = 0; d < dIn; d++) xx += x.data[o + d] ** 2;
    const p0 = probability(r, -1, 0, xx, 0);
    baseProbability[r] = p0;
    const g = group[r] ? 1 : 0;
    for (let e = codes.indptr[r]; e < codes.indptr[r + 1]; e++) {
      const j = codes.indices[e];
      const z = codes.values[e];
      if (z === 0) continue;
      let xd = 0;
      if (needNorm) for (let d = 0; d < dIn; d++) xd += x.data[o + d] * params.W_dec[j * dIn + d];
      sums.ablate[g][j] += probability(r, j, -z / normalization.scale, xx, xd) - p0; // z' = 0
      sums.amplify[g][j] += probability(r, j, ((alpha - 1) * z) / normalization.scale, xx, xd) - p0; // z' = alpha z
    }
  }
  options.onProgress?.(x.rows, x.rows);
  const mean = (a: Float64Array, g: number) => a.map((s) => s / Math.max(1, count[g]));
  return {
    ablate1: mean(sums.ablate[1], 1),
    ablate0: mean(sums.ablate[0], 0),
    amplify1: mean(sums.amplify[1], 1),
    amplify0: mean(sums.amplify[0], 0),
    baseProbability,
    alpha,
  };
}

/** P(target) per row of x under the classifier (softmax of its logits). */
export async function targetProbability(classifier: LinearClassifier, x: Matrix, target: number, matmul: SaeModel['matmul']): Promise<Float64Array> {
  const logits = await classifierLogits(classifier, x, matmul);
  const C = classifier.weights.rows;
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let m = -Infinity;
    for (let t = 0; t < C; t++) m = Math.max(m, logits[r * C + t]);
    let s = 0;
    for (let t = 0; t < C; t++) s += Math.exp(logits[r * C + t] - m);
    out[r] = Math.exp(logits[r * C + target] - m) / s;
  }
  return out;
}

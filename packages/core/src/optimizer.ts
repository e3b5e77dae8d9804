import type { OptimizerConfig, SaeConfig } from './config.js';
import { DEFAULT_OPTIMIZER } from './config.js';
import type { AdamState, SaeParams } from './engine.js';
import { cloneParams, zeroParams, type ParamDims } from './params.js';

/** Added to the norm in the clip coefficient: coef = clip / (norm + 1e-6) (torch clip_grad_norm_). */
export const CLIP_EPS = 1e-6;

/**
 * Rescale decoder rows to unit norm without changing the SAE's function:
 *   n_j = ||W_dec[j]||;  W_dec[j] /= n_j;  W_enc[:, j] *= n_j;  b_enc[j] *= n_j  (jumprelu: theta_j *= n_j, i.e.
 *   log_threshold_j += log n_j, since pre_j scales by n_j). A row of norm 0 is left unchanged. Returns the old norms.
 */
export function renormalizeDecoder(params: SaeParams, dIn: number, dSae: number): Float64Array {
  const { W_enc, b_enc, W_dec } = params;
  const norms = new Float64Array(dSae);
  for (let j = 0; j < dSae; j++) {
    const o = j * dIn;
    let sq = 0;
    for (let d = 0; d < dIn; d++) sq += W_dec[o + d] * W_dec[o + d];
    const n = Math.sqrt(sq); // n_j = ||W_dec[j]||
    norms[j] = n;
    if (n === 0) {
      norms[j] = 1;
      continue;
    }
    for (let d = 0; d < dIn; d++) W_dec[o + d] = W_dec[o + d] / n; // W_dec[j] /= n_j
    b_enc[j] = b_enc[j] * n; // b_enc[j] *= n_j
    if (params.log_threshold) params.log_threshold[j] = params.log_threshold[j] + Math.log(n); // theta_j *= n_j
  }
  for (let d = 0; d < dIn; d++) {
    const o = d * dSae;
    for (let j = 0; j < dSae; j++) W_enc[o + j] = W_enc[o + j] * norms[j]; // W_enc[:, j] *= n_j
  }
  return norms;
}

/** Remove from each decoder-row gradient its component along the (unit) row: G[j] -= (G[j] . W[j]) W[j]. */
export function projectDecoderGradient(gradWDec: Float32Array, wDec: Float32Array, dSae: number, dIn: number): void {
  for (let j = 0; j < dSae; j++) {
    const o = j * dIn;
    let dot = 0;
    for (let d = 0; d < dIn; d++) dot += gradWDec[o + d] * wDec[o + d]; // G[j] . W[j]
    if (dot === 0) continue;
    for (let d = 0; d < dIn; d++) gradWDec[o + d] = gradWDec[o + d] - dot * wDec[o + d];
  }
}

function tensorsOf(grads: SaeParams | Float32Array[]): Float32Array[] {
  if (Array.isArray(grads)) return grads;
  const out = [grads.W_enc, grads.b_enc, grads.W_dec, grads.b_dec];
  if (grads.log_threshold) out.push(grads.log_threshold);
  return out;
}

/** Global gradient norm: sqrt(sum over all tensors and entries of g^2). */
export function globalGradNorm(grads: SaeParams | Float32Array[]): number {
  let sq = 0;
  for (const g of tensorsOf(grads)) for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
  return Math.sqrt(sq);
}

/**
 * Clip the global gradient norm in place: if norm > maxNorm, g *= maxNorm / (norm + 1e-6).
 * Returns the norm before clipping.
 */
export function clipGradNorm(grads: SaeParams | Float32Array[], maxNorm: number): number {
  const norm = globalGradNorm(grads);
  if (norm > maxNorm) {
    const coef = maxNorm / (norm + CLIP_EPS); // coef = clip / (norm + 1e-6)
    for (const g of tensorsOf(grads)) for (let i = 0; i < g.length; i++) g[i] = g[i] * coef;
  }
  return norm;
}

/**
 * One AdamW update of one tensor (torch semantics); `step` is the step number after incrementing (t >= 1):
 *   p *= 1 - lr wd;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *   p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
 */
export function adamwUpdate(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  step: number,
  lr: number,
  opt: OptimizerConfig = DEFAULT_OPTIMIZER,
): void {
  const { beta1, beta2, eps, weightDecay } = opt;
  const bc1 = 1 - Math.pow(beta1, step); // 1 - b1^t
  const sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, step)); // sqrt(1 - b2^t)
  const decay = 1 - lr * weightDecay;
  const stepSize = lr / bc1;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + (1 - beta1) * gi;
    const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const mf = m[i]; // use the stored float32 moments, as a float32 engine does
    const vf = v[i];
    p[i] = p[i] * decay - (stepSize * mf) / (Math.sqrt(vf) / sqrtBc2 + eps);
  }
}

/** Fresh AdamW state: m = v = 0, step 0. */
export function zeroAdamState(config: ParamDims): AdamState {
  return { m: zeroParams(config), v: zeroParams(config), step: 0 };
}

/** Deep copy of an Adam state. */
export function cloneAdamState(a: AdamState): AdamState {
  const out: AdamState = { m: cloneParams(a.m), v: cloneParams(a.v), step: a.step };
  if (a.samplesSinceFired) out.samplesSinceFired = a.samplesSinceFired.slice();
  return out;
}

/**
 * Steps 2-5 of a training step, in place, given raw gradients computed at the current parameters:
 * renormalize decoder rows, project the decoder gradient, clip the global norm, AdamW.
 * Returns the global gradient norm before clipping (after the projection).
 */
export function applyTrainingUpdate(
  params: SaeParams,
  grads: SaeParams,
  adam: AdamState,
  lr: number,
  dims: Pick<SaeConfig, 'dIn' | 'dSae'>,
  opt: OptimizerConfig = DEFAULT_OPTIMIZER,
): number {
  const { dIn, dSae } = dims;
  renormalizeDecoder(params, dIn, dSae);
  projectDecoderGradient(grads.W_dec, params.W_dec, dSae, dIn);
  const norm = clipGradNorm(grads, opt.clipNorm);
  adam.step += 1;
  adamwUpdate(params.W_enc, grads.W_enc, adam.m.W_enc, adam.v.W_enc, adam.step, lr, opt);
  adamwUpdate(params.b_enc, grads.b_enc, adam.m.b_enc, adam.v.b_enc, adam.step, lr, opt);
  adamwUpdate(params.W_dec, grads.W_dec, adam.m.W_dec, adam.v.W_dec, adam.step, lr, opt);
  adamwUpdate(params.b_dec, grads.b_dec, adam.m.b_dec, adam.v.b_dec, adam.step, lr, opt);
  if (params.log_threshold && grads.log_threshold && adam.m.log_threshold && adam.v.log_threshold) {
    adamwUpdate(params.log_threshold, grads.log_threshold, adam.m.log_threshold, adam.v.log_threshold, adam.step, lr, opt);
  }
  return norm;
}

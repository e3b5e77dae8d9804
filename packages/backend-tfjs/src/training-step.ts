import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig, ParamName } from '@msae/core';
import type { TensorParams } from './sae-math.js';

/** The trained tensors: the four SAE parameters, plus log_threshold [dSae] for jumprelu. */
export type VariableGroup = Record<ParamName, tf.Variable> & { log_threshold?: tf.Variable };

/** Trainable state on the backend: parameters and AdamW moments as tf.Variables. */
export interface VariableState {
  params: VariableGroup;
  m: VariableGroup;
  v: VariableGroup;
  step: number;
}

/**
 * Steps 2-5 of a training step, given the raw gradients at the current parameters:
 * (2) n_j = ||W_dec[j]||: W_dec[j] /= n_j, W_enc[:, j] *= n_j, b_enc[j] *= n_j (jumprelu: log_threshold_j += log n_j);
 * (3) G_Wdec[j] -= (G_Wdec[j] . W_dec[j]) W_dec[j];
 * (4) global grad-norm clip (coef = clip / (norm + 1e-6) when norm > clip);
 * (5) AdamW (torch semantics). Returns the gradient norm before clipping (a scalar tensor).
 */
export function applyUpdate(
  state: VariableState,
  grads: TensorParams,
  lr: number,
  opt: OptimizerConfig,
): tf.Scalar {
  const t = state.step + 1;
  const stepSize = lr / (1 - Math.pow(opt.beta1, t)); // lr / (1 - b1^t)
  const sqrtBias2 = Math.sqrt(1 - Math.pow(opt.beta2, t)); // sqrt(1 - b2^t)
  const norm = tf.tidy(() => {
    const p = state.params;
    const rawNorm = tf.sqrt(tf.sum(tf.square(p.W_dec), 1)); // n_j = ||W_dec[j]||
    const rowNorm = tf.where(tf.equal(rawNorm, 0), tf.onesLike(rawNorm), rawNorm); // a zero row stays as it is
    const wDec = tf.div(p.W_dec, tf.reshape(rowNorm, [-1, 1])) as tf.Tensor2D; // W_dec[j] /= n_j
    const wEnc = tf.mul(p.W_enc, tf.reshape(rowNorm, [1, -1])); // W_enc[:, j] *= n_j
    const bEnc = tf.mul(p.b_enc, rowNorm); // b_enc[j] *= n_j
    // G_Wdec[j] -= (G_Wdec[j] . W_dec[j]) W_dec[j]
    const along = tf.sum(tf.mul(grads.W_dec, wDec), 1, true);
    const gDec = tf.sub(grads.W_dec, tf.mul(along, wDec));
    const g: Record<string, tf.Tensor> = { W_enc: grads.W_enc, b_enc: grads.b_enc, W_dec: gDec, b_dec: grads.b_dec };
    const current: Record<string, tf.Tensor> = { W_enc: wEnc, b_enc: bEnc, W_dec: wDec, b_dec: p.b_dec };
    if (p.log_threshold && grads.log_threshold) {
      g.log_threshold = grads.log_threshold;
      current.log_threshold = tf.add(p.log_threshold, tf.log(rowNorm)); // theta_j *= n_j
    }
    const names = Object.keys(g) as (ParamName | 'log_threshold')[];
    // norm = sqrt(sum over all gradients of g^2)
    const gradNorm = tf.sqrt(tf.addN(names.map((k) => tf.sum(tf.square(g[k]))))) as tf.Scalar;
    // coef = clip / (norm + 1e-6) when norm > clip, else 1
    const coef = tf.where(
      tf.greater(gradNorm, opt.clipNorm),
      tf.div(opt.clipNorm, tf.add(gradNorm, 1e-6)),
      tf.scalar(1),
    );
    for (const k of names) {
      const gk = tf.mul(g[k], coef);
      const decayed = opt.weightDecay === 0 ? current[k] : tf.mul(current[k], 1 - lr * opt.weightDecay); // p *= 1 - lr*wd
      const m = tf.add(tf.mul(state.m[k]!, opt.beta1), tf.mul(gk, 1 - opt.beta1)); // m = b1 m + (1-b1) g
      const v = tf.add(tf.mul(state.v[k]!, opt.beta2), tf.mul(tf.square(gk), 1 - opt.beta2)); // v = b2 v + (1-b2) g^2
      // p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps), evaluated as (lr/bc1) m / (sqrt(v)/sqrt(bc2) + eps)
      const update = tf.div(tf.mul(m, stepSize), tf.add(tf.div(tf.sqrt(v), sqrtBias2), opt.eps));
      state.params[k]!.assign(tf.sub(decayed, update));
      state.m[k]!.assign(m);
      state.v[k]!.assign(v);
    }
    return gradNorm;
  });
  state.step = t;
  return norm;
}

/**
 * JumpReLU on tfjs (see @msae/core architectures/jumprelu.ts): z = pre * H(pre - theta), theta = exp(log_threshold),
 * loss = L(recon) + l0 * mean_b sum_j H(pre_bj - theta_j). The step has no useful derivative in theta, so the JumpReLU
 * and the L0 term's Step are tf.customGrad ops with SAELens' straight-through backward, rectangle kernel
 * K(u) = 1{|u| < eps/2} / eps (bandwidth eps), u = pre - theta:
 *   JumpReLU: dz/dpre = H(u), dz/dtheta = -theta K(u);   Step: dH/dpre = 0, dH/dtheta = -K(u).
 * The encoder, exp(log_threshold) and the decoder loss are customGrad ops too, with their exact backward written out:
 * the package registers no tfjs gradient kernels, so the tape may hold only customGrad nodes.
 */
import { ArgumentError } from '@msae/core';
import * as tf from '@tensorflow/tfjs-core';
import type { SaeConfig } from '@msae/core';
import type { GradientTensors, TensorParams } from './tensor-types.js';

/** K(u) = 1{|u| < eps/2} / eps, u = pre - theta (theta broadcast over rows). */
function kernel(pre: tf.Tensor, theta: tf.Tensor, eps: number): tf.Tensor {
  return tf.div(tf.cast(tf.less(tf.abs(tf.sub(pre, theta)), eps / 2), 'float32'), eps);
}

/** H(u) = 1{pre - theta > 0}. */
function heaviside(pre: tf.Tensor, theta: tf.Tensor): tf.Tensor {
  return tf.cast(tf.greater(pre, theta), 'float32');
}

/** z = pre * H(pre - theta) with dz/dpre = H(u), dz/dtheta = -theta K(u) (summed over rows for theta [dSae]). */
function jumpReluOp(eps: number): (pre: tf.Tensor2D, theta: tf.Tensor1D) => tf.Tensor2D {
  return tf.customGrad((pre, theta, save) => {
    const [p, t] = [pre as tf.Tensor2D, theta as tf.Tensor1D];
    (save as tf.GradSaveFunc)([p, t]);
    return {
      value: tf.mul(p, heaviside(p, t)) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor, [sp, st]: tf.Tensor[]) => [
        tf.mul(dy, heaviside(sp, st)), // dL/dpre = H(u) dz
        tf.sum(tf.mul(tf.neg(tf.mul(st, kernel(sp, st, eps))), dy), 0), // dL/dtheta_j = sum_b -theta_j K(u_bj) dz_bj
      ],
    };
  }) as (pre: tf.Tensor2D, theta: tf.Tensor1D) => tf.Tensor2D;
}

/** Per-row loss normalizer: nmse sum_d x_bd^2, mse dIn. */
function denominators(x: tf.Tensor2D, config: SaeConfig): tf.Tensor1D {
  return config.loss === 'nmse' ? (tf.sum(tf.square(x), 1) as tf.Tensor1D) : (tf.fill([x.shape[0]], x.shape[1]) as tf.Tensor1D);
}

/** pre = (x - b_dec) W_enc + b_enc; dW_enc = (x - b_dec)^T dpre, db_enc = sum_b dpre, db_dec = -W_enc sum_b dpre. */
function encoderOp(x: tf.Tensor2D): (wEnc: tf.Tensor, bEnc: tf.Tensor, bDec: tf.Tensor) => tf.Tensor2D {
  return tf.customGrad((wEnc, bEnc, bDec, save) => {
    const [w, be, bd] = [wEnc as tf.Tensor2D, bEnc as tf.Tensor1D, bDec as tf.Tensor1D];
    (save as tf.GradSaveFunc)([w, bd]);
    return {
      value: tf.add(tf.matMul(tf.sub(x, bd), w), be) as tf.Tensor2D,
      gradFunc: (dpre: tf.Tensor, [sw, sbd]: tf.Tensor[]) => {
        const s = tf.sum(dpre, 0); // db_enc = sum_b dpre
        return [
          tf.matMul(tf.transpose(tf.sub(x, sbd)), dpre as tf.Tensor2D), // dW_enc = (x - b_dec)^T dpre
          s,
          tf.neg(tf.reshape(tf.matMul(sw as tf.Tensor2D, tf.reshape(s, [-1, 1])), [-1])), // db_dec = -W_enc db_enc
        ];
      },
    };
  }) as (wEnc: tf.Tensor, bEnc: tf.Tensor, bDec: tf.Tensor) => tf.Tensor2D;
}

/** theta = exp(log_threshold); dL/dlog_threshold = theta dL/dtheta. */
const expOp = tf.customGrad((logT, save) => {
  const t = tf.exp(logT as tf.Tensor);
  (save as tf.GradSaveFunc)([t]);
  return { value: t, gradFunc: (dy: tf.Tensor, [st]: tf.Tensor[]) => tf.mul(dy, st) };
}) as (logT: tf.Tensor) => tf.Tensor1D;

/** l0 * mean_b sum_j H(pre_bj - theta_j) (Step); dpre = 0, dL/dtheta_j = -(l0 / B) sum_b K(u_bj). */
function l0Op(eps: number, l0: number): (pre: tf.Tensor2D, theta: tf.Tensor1D) => tf.Scalar {
  return tf.customGrad((pre, theta, save) => {
    const [p, t] = [pre as tf.Tensor2D, theta as tf.Tensor1D];
    (save as tf.GradSaveFunc)([p, t]);
    const rows = p.shape[0];
    return {
      value: tf.mul(tf.sum(heaviside(p, t)), l0 / rows) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, [sp, st]: tf.Tensor[]) => [tf.zerosLike(sp), tf.mul(tf.sum(kernel(sp, st, eps), 0), tf.mul(dy, -l0 / rows))],
    };
  }) as (pre: tf.Tensor2D, theta: tf.Tensor1D) => tf.Scalar;
}

/**
 * L = mean_b sum_d (recon - x)^2 / norm_b + penalty, recon = z W_dec + b_dec. With g = 2 (recon - x) / (B norm_b):
 * dz = g W_dec^T, dW_dec = z^T g, db_dec = sum_b g, dpenalty = 1.
 */
function decoderLossOp(x: tf.Tensor2D, denom: tf.Tensor1D): (z: tf.Tensor2D, wDec: tf.Tensor, bDec: tf.Tensor, penalty: tf.Scalar) => tf.Scalar {
  const rows = x.shape[0];
  const residual = (z: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sub(tf.add(tf.matMul(z as tf.Tensor2D, w as tf.Tensor2D), b), x); // recon - x
  return tf.customGrad((z, wDec, bDec, penalty, save) => {
    const [zz, w, b] = [z as tf.Tensor2D, wDec as tf.Tensor2D, bDec as tf.Tensor1D];
    (save as tf.GradSaveFunc)([zz, w, b]);
    const recon = tf.mean(tf.div(tf.sum(tf.square(residual(zz, w, b)), 1), denom));
    return {
      value: tf.add(recon, penalty as tf.Scalar) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, [sz, sw, sb]: tf.Tensor[]) => {
        const g = tf.mul(residual(sz, sw, sb), tf.mul(tf.reshape(tf.div(2 / rows, denom), [rows, 1]), dy)); // g = 2 (r - x) / (B norm_b)
        return [tf.matMul(g, tf.transpose(sw)), tf.matMul(tf.transpose(sz), g), tf.sum(g, 0), tf.clone(dy)];
      },
    };
  }) as (z: tf.Tensor2D, wDec: tf.Tensor, bDec: tf.Tensor, penalty: tf.Scalar) => tf.Scalar;
}

/** jumprelu's L0 term l0 * mean_b sum_j H(pre_bj - theta_j), counted from a 0/1 selection of kept entries. */
export function l0Penalty(band: Uint8Array, rows: number, config: SaeConfig): tf.Scalar {
  let active = 0;
  for (const v of band) if (v) active++;
  return tf.scalar(((config.l0 ?? 0) * active) / rows);
}

/**
 * Loss and gradients of a jumprelu SAE (one level), back-propagated by tfjs through the ops above:
 * Loss = mean_b sum_d (recon - x)^2 / norm_b + l0 * mean_b sum_j H(u_bj), recon = JumpReLU(pre, theta) W_dec + b_dec.
 */
export function jumpReluGradientTensors(p: TensorParams, x: tf.Tensor2D, config: SaeConfig): GradientTensors {
  const logThreshold = p.log_threshold;
  if (!logThreshold) throw new ArgumentError(`tfjs engine`, `${config.architecture} needs log_threshold`);
  const eps = config.bandwidth ?? 0;
  const out = tf.tidy(() => {
    const denom = denominators(x, config);
    const encoder = encoderOp(x);
    const jump = jumpReluOp(eps);
    const penaltyOf = l0Op(eps, config.l0 ?? 0);
    const decoderLoss = decoderLossOp(x, denom);
    let penalty: tf.Scalar | null = null;
    const loss = (wEnc: tf.Tensor, bEnc: tf.Tensor, wDec: tf.Tensor, bDec: tf.Tensor, logT: tf.Tensor): tf.Scalar => {
      const pre = encoder(wEnc, bEnc, bDec);
      const theta = expOp(logT);
      penalty = tf.keep(penaltyOf(pre, theta)); // kept past valueAndGrads' scope, disposed below
      return decoderLoss(jump(pre, theta), wDec, bDec, penalty);
    };
    const { value, grads } = tf.valueAndGrads(loss)([p.W_enc, p.b_enc, p.W_dec, p.b_dec, logThreshold]);
    const [W_enc, b_enc, W_dec, b_dec, log_threshold] = grads;
    const levelLosses = tf.reshape(tf.sub(value, penalty!), [1]) as tf.Tensor1D; // the reconstruction loss
    penalty!.dispose();
    return { levelLosses, loss: value as tf.Scalar, grads: { W_enc, b_enc, W_dec, b_dec, log_threshold } };
  });
  return { levelLosses: out.levelLosses, loss: out.loss, grads: out.grads as TensorParams };
}

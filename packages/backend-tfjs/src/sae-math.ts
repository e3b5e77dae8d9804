import * as tf from '@tensorflow/tfjs-core';
import type { SaeConfig } from '@msae/core';
import { levelMask, selectLevels } from './selection.js';
import { auxTerms, firedLatents } from './aux-k.js';
import { jumpReluGradientTensors, l0Penalty } from './jumprelu-math.js';
import type { ForwardTensors, GradientTensors, TensorParams } from './tensor-types.js';

export type { ForwardTensors, GradientTensors, TensorParams } from './tensor-types.js';


/** pre = (x - b_dec) W_enc + b_enc; returns [x - b_dec, pre]. */
export function preActivations(p: TensorParams, x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy(() => {
    const xc = tf.sub(x, p.b_dec) as tf.Tensor2D; // xc = x - b_dec
    const pre = tf.add(tf.matMul(xc, p.W_enc), p.b_enc) as tf.Tensor2D; // pre = xc W_enc + b_enc
    return [xc, pre];
  });
}

/** Per-row loss normalizer: nmse sum_d x_bd^2, mse dIn (so L = mean_b sum_d (r-x)^2 / norm_b). */
function lossDenominators(x: tf.Tensor2D, config: SaeConfig): tf.Tensor1D {
  return tf.tidy(() =>
    config.loss === 'nmse'
      ? (tf.sum(tf.square(x), 1) as tf.Tensor1D) // nmse: L = mean_b( sum_d (r-x)^2 / sum_d x^2 )
      : (tf.fill([x.shape[0]], x.shape[1]) as tf.Tensor1D), // mse: L = mean_{b,d} (r-x)^2
  );
}

/** relu's L1 penalty per row: l1 * sum_j |z_bj| / ||x_b||, and its row scale l1 / ||x_b||. */
function l1RowScale(x: tf.Tensor2D, config: SaeConfig): tf.Tensor1D {
  return tf.tidy(() => tf.div(config.l1, tf.sqrt(tf.sum(tf.square(x), 1))) as tf.Tensor1D);
}

function weightSum(config: SaeConfig): number {
  return config.weights.reduce((s, w) => s + w, 0);
}

/** Replace an accumulator by acc + delta (or delta when acc is null), disposing the old tensors. */
function accumulate<T extends tf.Tensor>(acc: T | null, delta: T): T {
  if (acc === null) return delta;
  const next = tf.add(acc, delta) as T;
  acc.dispose();
  delta.dispose();
  return next;
}

/**
 * Forward pass on normalized inputs: codes of the largest level, every level's reconstruction
 * (recon_i = z_i W_dec + b_dec), every level's loss and the total loss
 * sum_i w_i L_i / sum_i w_i (+ l1 * mean_b(sum_j |z_bj| / ||x_b||) for relu).
 */
export async function forwardTensors(p: TensorParams, x: tf.Tensor2D, config: SaeConfig, dead?: Uint8Array): Promise<ForwardTensors> {
  const levels = config.nesting.length;
  const wSum = weightSum(config);
  const [xc, pre] = preActivations(p, x);
  xc.dispose();
  const a = tf.relu(pre) as tf.Tensor2D; // a = ReLU(pre)
  pre.dispose();
  const theta = p.log_threshold ? (tf.exp(p.log_threshold) as tf.Tensor1D) : undefined; // theta = exp(log_threshold)
  const bands = await selectLevels(a, config, theta);
  theta?.dispose();
  const denom = lossDenominators(x, config);
  const recons: tf.Tensor2D[] = [];
  const losses: tf.Scalar[] = [];
  let codes: tf.Tensor2D | null = null;
  for (let i = 0; i < levels; i++) {
    const [z, recon, loss] = tf.tidy(() => {
      const zi = tf.mul(a, levelMask(bands, i)) as tf.Tensor2D; // z_i = a * mask_i
      const ri = tf.add(tf.matMul(zi, p.W_dec), p.b_dec) as tf.Tensor2D; // recon_i = z_i W_dec + b_dec
      const li = tf.mean(tf.div(tf.sum(tf.square(tf.sub(ri, x)), 1), denom)) as tf.Scalar; // L_i
      return [zi, ri, li];
    });
    losses.push(loss);
    recons.push(recon);
    if (i === levels - 1) codes = z;
    else z.dispose();
  }
  const out = tf.tidy(() => {
    const levelLosses = tf.stack(losses) as tf.Tensor1D;
    // Loss = sum_i w_i L_i / sum_i w_i
    let loss = tf.div(tf.sum(tf.mul(levelLosses, tf.tensor1d(config.weights))), wSum) as tf.Scalar;
    if (config.l1 > 0) {
      // + l1 * mean_b( sum_j |z_bj| / ||x_b|| )
      loss = tf.add(loss, tf.mean(tf.mul(tf.sum(tf.abs(codes!), 1), l1RowScale(x, config)))) as tf.Scalar;
    }
    if (p.log_threshold) loss = tf.add(loss, l0Penalty(bands.band, x.shape[0], config)) as tf.Scalar; // + l0 * mean_b sum_j H(pre_bj - theta_j)
    return { levelLosses, loss };
  });
  let auxLoss: tf.Scalar | undefined;
  if (dead) {
    // + auxWeight * L_aux on the level-0 residual e = x - recon_0
    const residual = tf.sub(x, recons[0]) as tf.Tensor2D;
    auxLoss = (await auxTerms(p.W_dec, a, residual, denom, config, dead, false)).loss;
    const total = tf.add(out.loss, tf.mul(auxLoss, config.auxWeight ?? 0)) as tf.Scalar;
    tf.dispose([residual, out.loss]);
    out.loss = total;
  }
  tf.dispose([a, denom, ...losses]);
  return { codes: codes!, recons, levelLosses: out.levelLosses, loss: out.loss, ...(auxLoss ? { auxLoss } : {}) };
}

/**
 * Loss and hand-written gradients with straight-through selection (dz/dpre = 1 where selected and pre > 0).
 * With g_i = (w_i / sum w) dL_i/drecon_i: dW_dec = sum_i z_i^T g_i, db_dec = sum_{i,b} g_i - W_enc (sum_b dpre),
 * dz = sum_i mask_i * (g_i W_dec^T) (+ l1 / (B ||x_b||) for relu), dpre = dz * [pre > 0],
 * dW_enc = (x - b_dec)^T dpre, db_enc = sum_b dpre. Transposes are explicit (wasm's transposed matMul is slow).
 */
export async function gradientTensors(p: TensorParams, x: tf.Tensor2D, config: SaeConfig, dead?: Uint8Array): Promise<GradientTensors> {
  if (p.log_threshold) return jumpReluGradientTensors(p, x, config); // straight-through threshold via tf.customGrad
  const rows = x.shape[0];
  const levels = config.nesting.length;
  const wSum = weightSum(config);
  const [xc, pre] = preActivations(p, x);
  const a = tf.relu(pre) as tf.Tensor2D; // a = ReLU(pre)
  const bands = await selectLevels(a, config);
  const denom = lossDenominators(x, config);
  const wDecT = tf.transpose(p.W_dec) as tf.Tensor2D; // [dIn, dSae]
  const losses: tf.Scalar[] = [];
  let gWdec: tf.Tensor2D | null = null;
  let gbdec: tf.Tensor1D | null = null;
  let dz: tf.Tensor2D | null = null;
  let codes: tf.Tensor2D | null = null;
  let residual0: tf.Tensor2D | null = null; // e = x - recon_0 (AuxK)
  for (let i = 0; i < levels; i++) {
    const coef = config.weights[i] / wSum;
    const [loss, dW, db, dzi, zKeep] = tf.tidy(() => {
      const mask = levelMask(bands, i);
      const zi = tf.mul(a, mask) as tf.Tensor2D; // z_i = a * mask_i
      const diff = tf.sub(tf.add(tf.matMul(zi, p.W_dec), p.b_dec), x) as tf.Tensor2D; // recon_i - x
      if (i === 0 && dead) residual0 = tf.keep(tf.neg(diff) as tf.Tensor2D);
      const li = tf.mean(tf.div(tf.sum(tf.square(diff), 1), denom)) as tf.Scalar; // L_i
      // g_i = (w_i / sum w) * 2 (recon_i - x) / (B * norm_b)
      const rowScale = tf.reshape(tf.div(2 * coef / rows, denom), [rows, 1]);
      const gi = tf.mul(diff, rowScale) as tf.Tensor2D;
      const dWi = tf.matMul(tf.transpose(zi), gi) as tf.Tensor2D; // z_i^T g_i
      const dbi = tf.sum(gi, 0) as tf.Tensor1D; // sum_b g_i
      const dzi = tf.mul(tf.matMul(gi, wDecT), mask) as tf.Tensor2D; // mask_i * (g_i W_dec^T)
      return [li, dWi, dbi, dzi, i === levels - 1 ? zi : tf.scalar(0)] as const;
    });
    losses.push(loss);
    gWdec = accumulate(gWdec, dW);
    gbdec = accumulate(gbdec, db);
    dz = accumulate(dz, dzi);
    if (i === levels - 1) codes = zKeep as tf.Tensor2D;
    else zKeep.dispose();
  }
  let aux: Awaited<ReturnType<typeof auxTerms>> | null = null;
  let fired: Uint8Array | undefined;
  if (dead) {
    aux = await auxTerms(p.W_dec, a, residual0!, denom, config, dead, true, wDecT);
    gWdec = accumulate(gWdec, aux.dWdec!);
    dz = accumulate(dz, aux.dz!);
    fired = await firedLatents(a, bands);
    residual0!.dispose();
  }
  const result = tf.tidy(() => {
    const levelLosses = tf.stack(losses) as tf.Tensor1D;
    let loss = tf.div(tf.sum(tf.mul(levelLosses, tf.tensor1d(config.weights))), wSum) as tf.Scalar;
    if (aux) loss = tf.add(loss, tf.mul(aux.loss, config.auxWeight ?? 0)) as tf.Scalar; // + auxWeight * L_aux
    let dzTotal: tf.Tensor2D = dz!;
    if (config.l1 > 0) {
      const l1Scale = l1RowScale(x, config); // l1 / ||x_b||
      // + l1 * mean_b( sum_j |z_bj| / ||x_b|| ); d/dz_bj = l1 / (B ||x_b||) on selected entries (z >= 0)
      loss = tf.add(loss, tf.mean(tf.mul(tf.sum(codes!, 1), l1Scale))) as tf.Scalar;
      const selected = levelMask(bands, levels - 1);
      dzTotal = tf.add(dzTotal, tf.mul(selected, tf.reshape(tf.div(l1Scale, rows), [rows, 1]))) as tf.Tensor2D;
    }
    // Straight-through: dpre = dz where pre > 0 (unselected entries already carry dz = 0).
    const dpre = tf.mul(dzTotal, tf.cast(tf.greater(pre, 0), 'float32')) as tf.Tensor2D;
    const gbenc = tf.sum(dpre, 0) as tf.Tensor1D; // db_enc = sum_b dpre
    const gWenc = tf.matMul(tf.transpose(xc), dpre) as tf.Tensor2D; // dW_enc = (x - b_dec)^T dpre
    // db_dec = sum_{i,b} g_i - W_enc db_enc  (pre depends on -b_dec through x - b_dec)
    const gbdecTotal = tf.sub(gbdec!, tf.reshape(tf.matMul(p.W_enc, tf.reshape(gbenc, [-1, 1])), [-1])) as tf.Tensor1D;
    return {
      levelLosses,
      loss,
      grads: { W_enc: gWenc, b_enc: gbenc, W_dec: tf.clone(gWdec!), b_dec: gbdecTotal },
    };
  });
  tf.dispose([xc, pre, a, denom, wDecT, gWdec!, gbdec!, dz!, codes!, ...losses]);
  return aux ? { ...result, auxLoss: aux.loss, fired, dead: aux.dead } : result;
}

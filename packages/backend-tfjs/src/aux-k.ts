import * as tf from '@tensorflow/tfjs-core';
import type { SaeConfig } from '@msae/core';
import { auxSelection } from '@msae/core/internal';
import type { LevelSelection } from './level-selection.js';

/** The AuxK terms of one batch (see @msae/core aux-k.ts for the definitions). */
export interface AuxTerms {
  /** L_aux = scale * Loss(e^, e) (unweighted) */
  loss: tf.Scalar;
  /** Number of dead latents. */
  dead: number;
  /** d(auxWeight L_aux)/dW_dec = z_aux^T g_aux (gradients only) */
  dWdec?: tf.Tensor2D;
  /** d(auxWeight L_aux)/dz = mask_aux * (g_aux W_dec^T) (gradients only) */
  dz?: tf.Tensor2D;
}

/**
 * AuxK on activations a = ReLU(pre) [rows, dSae] with the level-0 residual e = x - recon_0 (a constant):
 * per row the top min(auxK, #dead) dead latents (selected on the JS side with core's auxSelection, so ties and
 * order match the reference) give e^ = z_aux W_dec; L_aux = scale * mean_b(||e^_b - e_b||^2 / norm_b);
 * g_aux = auxWeight * scale * 2 (e^ - e) / (B norm_b).
 */
export async function auxTerms(
  W_dec: tf.Tensor2D,
  a: tf.Tensor2D,
  residual: tf.Tensor2D,
  denom: tf.Tensor1D,
  config: SaeConfig,
  dead: Uint8Array,
  withGrad: boolean,
  wDecT?: tf.Tensor2D,
): Promise<AuxTerms> {
  const [rows, dSae] = a.shape;
  const acts = (await a.data()) as Float32Array;
  const sel = auxSelection(acts, rows, dSae, dead, config.auxK!);
  const coef = (config.auxWeight ?? 0) * sel.scale;
  return tf.tidy(() => {
    const mask = tf.tensor2d(Float32Array.from(sel.mask), [rows, dSae]);
    const zAux = tf.mul(a, mask) as tf.Tensor2D; // z_aux = a on the AuxK entries
    const diff = tf.sub(tf.matMul(zAux, W_dec), residual) as tf.Tensor2D; // e^ - e
    const loss = tf.mul(tf.mean(tf.div(tf.sum(tf.square(diff), 1), denom)), sel.scale) as tf.Scalar; // L_aux
    if (!withGrad) return { loss, dead: sel.dead };
    const g = tf.mul(diff, tf.reshape(tf.div((2 * coef) / rows, denom), [rows, 1])) as tf.Tensor2D; // g_aux
    const dWdec = tf.matMul(tf.transpose(zAux), g) as tf.Tensor2D; // z_aux^T g_aux
    const dz = tf.mul(tf.matMul(g, wDecT ?? tf.transpose(W_dec)), mask) as tf.Tensor2D; // mask * (g_aux W_dec^T)
    return { loss, dead: sel.dead, dWdec, dz };
  });
}

/** fired[j] = 1 iff some row keeps latent j at level 0 (band 1) with a > 0. */
export async function firedLatents(a: tf.Tensor2D, bands: LevelSelection): Promise<Uint8Array> {
  const acts = (await a.data()) as Float32Array;
  const fired = new Uint8Array(bands.dSae);
  for (let e = 0; e < bands.band.length; e++) if (bands.band[e] === 1 && acts[e] > 0) fired[e % bands.dSae] = 1;
  return fired;
}

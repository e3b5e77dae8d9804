import * as tf from '@tensorflow/tfjs-core';
import { getArchitecture, type SaeConfig } from '@msae/core';
import { TFJS_ACTIVATIONS } from './activations/index.js';
import { rowTopKBand } from './bands.js';
import { type LevelSelection, levelMask } from './level-selection.js';

export { type LevelSelection, levelMask } from './level-selection.js';

/** Selection of every level for the training/forward pass of `config` on a = ReLU(pre) (jumprelu: and theta): the kernel of its activation kind. */
export function selectLevels(a: tf.Tensor2D, config: SaeConfig, theta?: tf.Tensor1D): Promise<LevelSelection> {
  return TFJS_ACTIVATIONS[getArchitecture(config.architecture).activation.train](a, config, theta);
}

/** Per-row TopK_k of a (k >= dSae keeps every entry), dense. Used by encode for every architecture. */
export async function rowTopK(a: tf.Tensor2D, k: number | undefined): Promise<tf.Tensor2D> {
  const dSae = a.shape[1];
  if (k === undefined || k >= dSae) return tf.clone(a);
  const band = await rowTopKBand(a, [k]);
  return tf.tidy(() => tf.mul(a, levelMask({ rows: a.shape[0], dSae, levels: 1, band }, 0)) as tf.Tensor2D);
}

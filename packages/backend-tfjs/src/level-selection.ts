import * as tf from '@tensorflow/tfjs-core';

/**
 * Which latents each nesting level keeps. `band[b * dSae + j]` = m + 1 when latent j of row b is first
 * kept at level m (its rank is in [k_{m-1}, k_m)), 0 when no level keeps it; level i keeps exactly the
 * entries with 1 <= band <= i + 1. Ranks come from tf.topk, which sorts descending and breaks ties by
 * the lower index (the reference engine's rule). The band map is built on the JS side from the topk
 * indices: tfjs' scatterND and boolean ops are an order of magnitude slower than this on wasm.
 */
export interface LevelSelection {
  rows: number;
  dSae: number;
  levels: number;
  band: Uint8Array;
}

/** Mask [rows, dSae] (1/0) of the entries level `level` keeps: 1 <= band <= level + 1. */
export function levelMask(sel: LevelSelection, level: number): tf.Tensor2D {
  const mask = new Float32Array(sel.band.length);
  const top = level + 1;
  for (let i = 0; i < mask.length; i++) {
    const m = sel.band[i];
    if (m !== 0 && m <= top) mask[i] = 1;
  }
  return tf.tensor2d(mask, [sel.rows, sel.dSae]);
}

import * as tf from '@tensorflow/tfjs-core';
import type { SaeConfig } from '@msae/core';

/**
 * Which nesting band each latent of each row falls in, as a float tensor [rows, dSae]:
 * value m + 1 when the latent is kept first at level m (rank in [k_{m-1}, k_m)), 0 when no level keeps it.
 * Level i keeps exactly the entries with 1 <= band <= i + 1. Ranks come from tf.topk, which sorts
 * descending and breaks ties by the lower index (the reference engine's rule).
 */
export function selectionBands(a: tf.Tensor2D, config: SaeConfig): tf.Tensor2D {
  return tf.tidy(() => {
    const [rows, dSae] = a.shape;
    switch (config.architecture) {
      case 'relu':
        // relu: z = a, every latent belongs to the single level.
        return tf.onesLike(a);
      case 'batchtopk':
        // batchtopk (training and forward): keep the k*B largest entries of a over the whole batch.
        return batchTopKBands(a, Math.min(config.k * rows, rows * dSae));
      case 'topk':
        return rowTopKBands(a, [Math.min(config.k, dSae)]);
      case 'msae':
        // msae: rank each row descending; level i keeps ranks < k_i.
        return rowTopKBands(
          a,
          config.nesting.map((k) => Math.min(k, dSae)),
        );
    }
  });
}

/** Per-row ranks: the entry of rank r (0-based) gets band m + 1 where k_{m-1} <= r < k_m; others 0. */
export function rowTopKBands(a: tf.Tensor2D, nesting: number[]): tf.Tensor2D {
  return tf.tidy(() => {
    const [rows, dSae] = a.shape;
    const kMax = nesting[nesting.length - 1];
    const { indices } = tf.topk(a, kMax, true); // [rows, kMax], descending, ties -> lower index
    const bandOfRank = new Float32Array(kMax);
    let level = 0;
    for (let r = 0; r < kMax; r++) {
      while (r >= nesting[level]) level++;
      bandOfRank[r] = level + 1;
    }
    const rowIds = tf.tile(tf.reshape(tf.range(0, rows, 1, 'int32'), [rows, 1, 1]), [1, kMax, 1]);
    const coords = tf.concat([rowIds, tf.reshape(indices, [rows, kMax, 1])], 2); // [rows, kMax, 2]
    const updates = tf.tile(tf.tensor2d(bandOfRank, [1, kMax]), [rows, 1]);
    return tf.scatterND(coords, updates, [rows, dSae]) as tf.Tensor2D;
  });
}

/** Batch top-K over the flattened [rows * dSae] matrix (ties -> lower flat index): band 1 or 0. */
export function batchTopKBands(a: tf.Tensor2D, kTotal: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [rows, dSae] = a.shape;
    const { indices } = tf.topk(tf.reshape(a, [rows * dSae]), kTotal, true);
    const flat = tf.scatterND(tf.reshape(indices, [kTotal, 1]), tf.ones([kTotal]), [rows * dSae]);
    return tf.reshape(flat, [rows, dSae]) as tf.Tensor2D;
  });
}

/** Mask [rows, dSae] (1/0) of the entries level `level` keeps: 1 <= band <= level + 1. */
export function levelMask(bands: tf.Tensor2D, level: number): tf.Tensor2D {
  return tf.tidy(() =>
    tf.cast(tf.logicalAnd(tf.greater(bands, 0), tf.lessEqual(bands, level + 1)), 'float32'),
  ) as tf.Tensor2D;
}

/** Per-row TopK_k of a (k >= dSae keeps every entry), dense. Used by encode for every architecture. */
export function rowTopK(a: tf.Tensor2D, k: number | undefined): tf.Tensor2D {
  return tf.tidy(() => {
    const dSae = a.shape[1];
    if (k === undefined || k >= dSae) return tf.clone(a);
    return tf.mul(a, rowTopKBands(a, [k]));
  });
}

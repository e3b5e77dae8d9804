import * as tf from '@tensorflow/tfjs-core';

/** Per-row ranks: the entry of rank r (0-based) gets band m + 1 where k_{m-1} <= r < k_m; others 0. */
export async function rowTopKBand(a: tf.Tensor2D, nesting: number[]): Promise<Uint8Array> {
  const [rows, dSae] = a.shape;
  const kMax = nesting[nesting.length - 1];
  const { values, indices } = tf.topk(a, kMax, true); // [rows, kMax], descending, ties -> lower index
  values.dispose();
  const idx = (await indices.data()) as Int32Array;
  indices.dispose();
  const band = new Uint8Array(rows * dSae);
  for (let b = 0; b < rows; b++) {
    let level = 0;
    const out = b * dSae;
    const src = b * kMax;
    for (let r = 0; r < kMax; r++) {
      while (r >= nesting[level]) level++;
      band[out + idx[src + r]] = level + 1;
    }
  }
  return band;
}

/** Batch top-K over the flattened [rows * dSae] matrix (ties -> lower flat index): band 1 or 0. */
export async function batchTopKBand(a: tf.Tensor2D, kTotal: number): Promise<Uint8Array> {
  const [rows, dSae] = a.shape;
  const { values, indices } = tf.tidy(() => tf.topk(tf.reshape(a, [rows * dSae]), kTotal, true));
  values.dispose();
  const idx = (await indices.data()) as Int32Array;
  indices.dispose();
  const band = new Uint8Array(rows * dSae);
  for (let i = 0; i < kTotal; i++) band[idx[i]] = 1;
  return band;
}

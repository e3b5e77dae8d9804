import * as tf from '@tensorflow/tfjs-core';
import { getArchitecture, type SaeConfig } from '@msae/core';

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

/** Selection of every level for the training/forward pass of `config` on activations a = ReLU(pre) (jumprelu: and theta). */
export async function selectLevels(a: tf.Tensor2D, config: SaeConfig, theta?: tf.Tensor1D): Promise<LevelSelection> {
  const [rows, dSae] = a.shape;
  const levels = config.nesting.length;
  const kind = getArchitecture(config.architecture).activation.train;
  switch (kind) {
    case 'relu':
      // z = a, every latent belongs to the single level.
      return { rows, dSae, levels, band: new Uint8Array(rows * dSae).fill(1) };
    case 'batch-topk':
      // training and forward: keep the k*B largest entries of a over the whole batch.
      return { rows, dSae, levels, band: await batchTopKBand(a, Math.min(config.k * rows, rows * dSae)) };
    case 'row-topk':
      // z = per-row TopK_k(a)
      return { rows, dSae, levels, band: await rowTopKBand(a, [Math.min(config.k, dSae)]) };
    case 'batch-topk-prefix': {
      // batch top k*B; a kept latent j gets the band of its group: 1 + the first g with j < nesting[g]
      const band = await batchTopKBand(a, Math.min(config.k * rows, rows * dSae));
      const group = new Uint8Array(dSae);
      for (let j = 0, g = 0; j < dSae; j++) {
        while (j >= config.nesting[g]) g++;
        group[j] = g + 1;
      }
      for (let e = 0; e < band.length; e++) if (band[e]) band[e] = group[e % dSae];
      return { rows, dSae, levels, band };
    }
    case 'nested-row-topk':
      // rank each row descending; level i keeps ranks < k_i.
      return { rows, dSae, levels, band: await rowTopKBand(a, config.nesting.map((k) => Math.min(k, dSae))) };
    case 'jumprelu': {
      // z = pre * H(pre - theta): kept iff a_bj > theta_j (theta > 0)
      if (!theta) throw new Error(`tfjs engine: ${config.architecture} needs log_threshold`);
      const keep = tf.tidy(() => tf.cast(tf.greater(a, theta), 'int32'));
      const band = Uint8Array.from((await keep.data()) as Int32Array);
      keep.dispose();
      return { rows, dSae, levels, band };
    }
    default:
      throw new Error(`tfjs engine: no kernel for activation '${String(kind satisfies never)}'`);
  }
}

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

/** Per-row TopK_k of a (k >= dSae keeps every entry), dense. Used by encode for every architecture. */
export async function rowTopK(a: tf.Tensor2D, k: number | undefined): Promise<tf.Tensor2D> {
  const dSae = a.shape[1];
  if (k === undefined || k >= dSae) return tf.clone(a);
  const band = await rowTopKBand(a, [k]);
  return tf.tidy(() => tf.mul(a, levelMask({ rows: a.shape[0], dSae, levels: 1, band }, 0)) as tf.Tensor2D);
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { computeNormalization, createRng, encodeCheckpoint, initParams, resolveConfig, type Checkpoint, type Matrix } from '@msae/core';
import { writeEmbeddings } from '@msae/io';

/** Seeded CLIP-like rows: a shared mean direction plus noise. */
export function makeData(rows: number, dIn: number, seed: number): Matrix {
  const rng = createRng(seed);
  const data = new Float32Array(rows * dIn);
  for (let i = 0; i < data.length; i++) data[i] = 0.3 + 0.2 * rng.normal();
  return { data, rows, cols: dIn };
}

/** A small msae checkpoint with seeded random weights (non-zero biases), normalized on `x`. */
export function makeCheckpoint(x: Matrix, dSae: number, seed: number): Checkpoint {
  const config = resolveConfig({ dIn: x.cols, dSae, architecture: 'msae', k: 4 });
  const params = initParams(config, seed);
  const rng = createRng(seed + 1000);
  for (let i = 0; i < params.W_enc.length; i++) params.W_enc[i] *= 10;
  for (let i = 0; i < params.b_enc.length; i++) params.b_enc[i] = 0.05 * rng.normal();
  for (let i = 0; i < params.b_dec.length; i++) params.b_dec[i] = 0.05 * rng.normal();
  return { config, params, normalization: computeNormalization(x), training: { epochs: 0, seed, data: 'synthetic test data' } };
}

/** Write a checkpoint directory the way the format says: cfg.json + sae_weights.safetensors. */
export async function writeCheckpointDir(dir: string, ckpt: Checkpoint): Promise<void> {
  const { cfgJson, weights } = encodeCheckpoint(ckpt);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'cfg.json'), cfgJson);
  await writeFile(join(dir, 'sae_weights.safetensors'), weights);
}

export async function writeData(path: string, x: Matrix): Promise<void> {
  await writeEmbeddings(path, x);
}

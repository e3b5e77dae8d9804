import { createRng, initParams, resolveConfig, type Matrix, type Normalization, type SaeConfig, type SaeParams } from '@msae/core';

/** A random SAE (topk, k 4) with non-zero biases and a non-trivial normalization, plus unit-norm data. */
export function randomSae(dIn = 12, dSae = 48, seed = 1): { config: SaeConfig; params: SaeParams; normalization: Normalization } {
  const config = resolveConfig({ dIn, dSae, architecture: 'topk', k: 4 });
  const params = initParams(config, seed);
  const rng = createRng(seed + 100);
  for (let j = 0; j < dSae; j++) params.b_enc[j] = 0.05 * rng.normal();
  for (let d = 0; d < dIn; d++) params.b_dec[d] = 0.02 * rng.normal();
  const mean = Float32Array.from({ length: dIn }, () => 0.1 * rng.normal());
  return { config, params, normalization: { mean, scale: 3.5 } };
}

/** rows x cols Gaussian rows scaled to unit norm. */
export function unitData(rows: number, cols: number, seed = 2): Matrix {
  const rng = createRng(seed);
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let d = 0; d < cols; d++) s += (data[r * cols + d] = rng.normal()) ** 2;
    for (let d = 0; d < cols; d++) data[r * cols + d] /= Math.sqrt(s);
  }
  return { data, rows, cols };
}

import type { SaeConfig } from './config.js';
import type { SaeParams } from './engine.js';
import { Rng } from './rng.js';
import { getArchitecture } from './architectures/registry.js';
import { hasThreshold } from './params.js';

/** Initial decoder row norm. */
export const INIT_DECODER_NORM = 0.1;

/**
 * Seeded parameter init:
 *   W_dec[j, d] ~ U(-b, b), b = sqrt(6 / dIn) (kaiming-uniform, fan_in dIn, gain sqrt 2), drawn row-major;
 *   W_dec[j] *= 0.1 / ||W_dec[j]||;  W_enc = W_dec^T;  b_enc = 0;  b_dec = 0;
 *   jumprelu: log_threshold = log(initThreshold) for every latent.
 */
export function initParams(config: Pick<SaeConfig, 'dIn' | 'dSae'> & Partial<Pick<SaeConfig, 'architecture' | 'initThreshold'>>, seed: number): SaeParams {
  const { dIn, dSae } = config;
  const rng = new Rng(seed);
  const bound = Math.sqrt(6 / dIn); // kaiming-uniform bound: gain * sqrt(3 / fan_in), gain = sqrt(2)
  const W_dec = new Float32Array(dSae * dIn);
  const W_enc = new Float32Array(dIn * dSae);
  const row = new Float64Array(dIn);
  for (let j = 0; j < dSae; j++) {
    let sq = 0;
    for (let d = 0; d < dIn; d++) {
      const v = Math.fround((2 * rng.uniform() - 1) * bound);
      row[d] = v;
      sq += v * v;
    }
    const s = INIT_DECODER_NORM / Math.sqrt(sq); // W_dec[j] <- 0.1 * W_dec[j] / ||W_dec[j]||
    for (let d = 0; d < dIn; d++) {
      const v = Math.fround(row[d] * s);
      W_dec[j * dIn + d] = v;
      W_enc[d * dSae + j] = v; // W_enc = W_dec^T
    }
  }
  const params: SaeParams = { W_enc, b_enc: new Float32Array(dSae), W_dec, b_dec: new Float32Array(dIn) };
  if (hasThreshold(config)) {
    const theta = config.initThreshold ?? getArchitecture(config.architecture!).defaults.initThreshold!;
    params.log_threshold = new Float32Array(dSae).fill(Math.log(theta)); // log_threshold = log theta_0
  }
  return params;
}


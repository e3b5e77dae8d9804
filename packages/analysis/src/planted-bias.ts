import { createRng, type Checkpoint, type Matrix } from '@msae/core';
import type { LinearClassifier } from './linear-classifier.js';

/** A synthetic study with a known answer: one latent is the spurious link between group and target. */
export interface PlantedBias {
  /** SAE with an orthonormal dictionary (W_enc = W_dec^T), identity normalization. */
  checkpoint: Pick<Checkpoint, 'params' | 'normalization'> & { config: { dIn: number; dSae: number } };
  x: Matrix;
  group: Uint8Array;
  target: Uint8Array;
  /** A classifier that reads the true latent and (wrongly) the spurious one. */
  classifier: LinearClassifier;
  spuriousLatent: number;
  trueLatent: number;
}

/**
 * kind 'spurious' (default): dIn = dSae dimensions, decoder = the identity basis. Each row activates a few random noise latents;
 * the true latent fires with the target (independent of the group); the spurious latent fires in most
 * group-1 rows and few group-0 rows. The classifier's logit is 4 (z_true + z_spurious) - 3, so group 1
 * gets more positives; ablating the spurious latent removes the gap ("bias reduced").
 * kind 'target': the target itself is more frequent in group 1 (70% vs 20%) and the classifier reads only the
 * true latent (logit 4 z_true - 3); the only way to close the gap is to delete the target ("target removed").
 */
export function plantedBias(options: { rows?: number; dim?: number; seed?: number; kind?: 'spurious' | 'target' } = {}): PlantedBias {
  const kind = options.kind ?? 'spurious';
  const rows = options.rows ?? 2000;
  const d = options.dim ?? 32;
  const rng = createRng(options.seed ?? 7);
  const spuriousLatent = 3;
  const trueLatent = 11;
  const data = new Float32Array(rows * d);
  const group = new Uint8Array(rows);
  const target = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    group[r] = rng.uniform() < 0.5 ? 1 : 0;
    // 'target': the data itself links group and target (70% vs 20%), and the classifier reads only the target
    target[r] = rng.uniform() < (kind === 'spurious' ? 0.4 : group[r] ? 0.7 : 0.2) ? 1 : 0;
    const o = r * d;
    for (let t = 0; t < 3; t++) {
      const j = rng.int(d);
      if (j !== spuriousLatent && j !== trueLatent) data[o + j] += 0.3 + 0.5 * rng.uniform();
    }
    if (target[r]) data[o + trueLatent] = 1 + 0.2 * rng.uniform();
    if (rng.uniform() < (group[r] ? 0.9 : 0.1)) data[o + spuriousLatent] = 1 + 0.2 * rng.uniform();
  }
  const eye = new Float32Array(d * d);
  for (let i = 0; i < d; i++) eye[i * d + i] = 1;
  const w = new Float32Array(2 * d);
  w[d + trueLatent] = 4;
  if (kind === 'spurious') w[d + spuriousLatent] = 4;
  return {
    checkpoint: {
      config: { dIn: d, dSae: d },
      params: { W_enc: eye.slice(), b_enc: new Float32Array(d), W_dec: eye.slice(), b_dec: new Float32Array(d) },
      normalization: { mean: new Float32Array(d), scale: 1 },
    },
    x: { data, rows, cols: d },
    group,
    target,
    classifier: { kind: 'linear', weights: { data: w, rows: 2, cols: d }, bias: Float32Array.from([0, -3]), classes: ['no', 'yes'] },
    spuriousLatent,
    trueLatent,
  };
}

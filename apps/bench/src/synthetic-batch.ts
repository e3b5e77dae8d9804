import { computeNormalization, normalize, Rng } from '@msae/core';

/**
 * A normalized batch of synthetic CLIP-like embeddings: unit-norm rows sharing a mean direction, each a random
 * mix of 1-3 of 256 planted concept directions plus isotropic noise,
 *   x = normalize( 2 mu + sum_c a_c C_c + 0.05 eps ),
 * then normalized as the trainer does: x_n = (x - mean) * s with mean_b ||x_n||^2 = dIn.
 */
export function syntheticBatch(rows: number, dIn: number, seed: number): Float32Array {
  const dict = new Rng(1234);
  const unit = (v: Float64Array) => {
    const n = Math.hypot(...v);
    return v.map((e) => e / n);
  };
  const mu = unit(new Float64Array(dIn).map(() => dict.normal()));
  const concepts = Array.from({ length: 256 }, () => unit(new Float64Array(dIn).map(() => dict.normal())));
  const rng = new Rng(seed);
  const x = new Float32Array(rows * dIn);
  const row = new Float64Array(dIn);
  for (let b = 0; b < rows; b++) {
    for (let d = 0; d < dIn; d++) row[d] = 2 * mu[d] + 0.05 * rng.normal();
    const active = 1 + Math.floor(rng.uniform() * 3);
    for (let i = 0; i < active; i++) {
      const c = concepts[Math.floor(rng.uniform() * concepts.length)];
      const a = 0.5 + rng.uniform();
      for (let d = 0; d < dIn; d++) row[d] += a * c[d];
    }
    const n = Math.hypot(...row);
    for (let d = 0; d < dIn; d++) x[b * dIn + d] = row[d] / n;
  }
  return normalize(x, computeNormalization({ data: x, rows, cols: dIn }));
}

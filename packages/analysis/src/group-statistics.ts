import type { SparseCodes } from './sparse-codes.js';

/** Activation of every latent in the two groups (group 1 = attribute true, group 0 = false). */
export interface GroupActivation {
  /** mean z per latent, group 1 and group 0 */
  mean1: Float64Array;
  mean0: Float64Array;
  /** fraction of rows with z > 0 */
  rate1: Float64Array;
  rate0: Float64Array;
  /** (mean1 - mean0) / sqrt((var1 + var0) / 2) (0 when both variances are 0) */
  standardizedDifference: Float64Array;
  rows1: number;
  rows0: number;
}

/** One pass over sparse codes: per group sum z, sum z^2 and firing count per latent. */
export function groupActivation(codes: SparseCodes, group: Uint8Array): GroupActivation {
  const n = codes.dSae;
  const sum = [new Float64Array(n), new Float64Array(n)];
  const sq = [new Float64Array(n), new Float64Array(n)];
  const fire = [new Float64Array(n), new Float64Array(n)];
  const count = [0, 0];
  for (let r = 0; r < codes.rows; r++) {
    const g = group[r] ? 1 : 0;
    count[g]++;
    for (let e = codes.indptr[r]; e < codes.indptr[r + 1]; e++) {
      const j = codes.indices[e];
      const v = codes.values[e];
      sum[g][j] += v;
      sq[g][j] += v * v;
      if (v > 0) fire[g][j]++;
    }
  }
  const mean = (g: number) => sum[g].map((s) => s / Math.max(1, count[g]));
  const mean1 = mean(1);
  const mean0 = mean(0);
  const variance = (g: number, m: Float64Array) => sq[g].map((s, j) => Math.max(0, s / Math.max(1, count[g]) - m[j] * m[j])); // E[z^2] - E[z]^2
  const var1 = variance(1, mean1);
  const var0 = variance(0, mean0);
  const standardizedDifference = mean1.map((m, j) => {
    const pooled = Math.sqrt((var1[j] + var0[j]) / 2);
    return pooled > 0 ? (m - mean0[j]) / pooled : 0;
  });
  return {
    mean1,
    mean0,
    rate1: fire[1].map((f) => f / Math.max(1, count[1])),
    rate0: fire[0].map((f) => f / Math.max(1, count[0])),
    standardizedDifference,
    rows1: count[1],
    rows0: count[0],
  };
}

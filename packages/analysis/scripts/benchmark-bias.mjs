// Bias analysis end to end on synthetic data: 200k rows x 512 dims, an SAE with 4096 latents (seeded random
// init), top-64 codes, a logistic probe trained on the embeddings, per-latent group statistics, ablate/amplify
// effects for all 4096 latents and the mitigation. Run once: node scripts/benchmark-bias.mjs [--rows N --latents N --k N]
import { parseArgs } from 'node:util';
import { analyzeBias, createSaeModel } from '@msae/analysis';
import { computeNormalization, createRng, initParams } from '@msae/core';
import { benchEnvironment, peakRssMiB } from './bench-env.mjs';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, dim: { type: 'string', default: '512' }, latents: { type: 'string', default: '4096' }, k: { type: 'string', default: '64' } } });
const rows = Number(values.rows);
const dim = Number(values.dim);
const dSae = Number(values.latents);
const { matmul, line } = await benchEnvironment();
console.log(line);
const rng = createRng(3);
const x = { data: new Float32Array(rows * dim), rows, cols: dim };
const group = new Uint8Array(rows);
const target = new Uint8Array(rows);
const dirG = Float32Array.from({ length: dim }, () => rng.normal() / Math.sqrt(dim));
const dirT = Float32Array.from({ length: dim }, () => rng.normal() / Math.sqrt(dim));
for (let r = 0; r < rows; r++) {
  group[r] = rng.uniform() < 0.5 ? 1 : 0;
  target[r] = rng.uniform() < (group[r] ? 0.7 : 0.3) ? 1 : 0; // target correlated with group
  let s = 0;
  for (let d = 0; d < dim; d++) {
    const v = 0.05 * rng.normal() + 0.5 * (group[r] - 0.5) * dirG[d] + 0.5 * (target[r] - 0.5) * dirT[d];
    x.data[r * dim + d] = v;
    s += v * v;
  }
  for (let d = 0; d < dim; d++) x.data[r * dim + d] /= Math.sqrt(s);
}
const config = { dIn: dim, dSae };
const params = initParams(config, 5);
const model = createSaeModel({ config, params, normalization: computeNormalization(x) }, { matmul });
const t0 = performance.now();
const result = await analyzeBias({ model, x, target, group, k: Number(values.k), remove: 5 });
const seconds = (performance.now() - t0) / 1000;
console.log(`bias analysis: ${rows} rows x ${dSae} latents (top ${values.k} codes) in ${seconds.toFixed(1)} s; probe held-out accuracy ${result.probe.heldOutAccuracy.toFixed(4)} after ${result.probe.iterations} L-BFGS iterations; gap ${result.before.parityDifference.estimate.toFixed(4)} -> ${result.after.parityDifference.estimate.toFixed(4)} removing ${result.removed.join(", ")}; ${result.verdict.kind}`);
console.log(`peak RSS ${peakRssMiB()} MiB`);
console.log(JSON.stringify({ bench: 'bias', rows, dim, dSae, k: Number(values.k), seconds, probe: result.probe, before: result.before, after: result.after, peakRssMiB: Number(peakRssMiB()) }));

/**
 * AdamW, clipping and renormalization on the GPU against the reference, with non-default hyper-parameters
 * (weight decay, betas, eps, a clip norm small enough that every step clips), over several steps.
 */
import { describe, expect, it } from 'vitest';
import { createReferenceEngine, generateDemoEmbeddings, initParams, resolveConfig, type OptimizerConfig, type SaeParams } from '@msae/core';
import { createWebGpuEngine } from '../src/index.js';
import { softwareVulkanPresent } from './software-vulkan.js';

const run = softwareVulkanPresent() || Boolean(process.env.CI);
const NAMES = ['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const;

function relDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    err = Math.max(err, Math.abs(a[i] - b[i]));
  }
  return err / Math.max(scale, 1e-12);
}

function change(after: SaeParams, before: SaeParams, n: (typeof NAMES)[number]): Float32Array {
  return Float32Array.from(after[n], (v, i) => v - before[n][i]);
}

describe.skipIf(!run)('optimizer kernels', () => {
  it('AdamW with weight decay, clipping and renormalization follows the reference over 4 steps', async () => {
    const config = resolveConfig({ dIn: 32, dSae: 128, architecture: 'msae', k: 8, weighting: 'uw' });
    const optimizer: OptimizerConfig = { beta1: 0.8, beta2: 0.99, eps: 1e-8, weightDecay: 0.05, clipNorm: 0.05 };
    const params = initParams(config, 5);
    const rows = 48;
    const x = generateDemoEmbeddings({ rows, dIn: config.dIn, seed: 9 }).x.data;
    const gpu = await createWebGpuEngine();
    const ref = createReferenceEngine();
    await gpu.load({ config, params, optimizer });
    await ref.load({ config, params, optimizer });
    for (let s = 0; s < 4; s++) {
      const g = await gpu.trainStep(x, rows, 3e-3);
      const r = await ref.trainStep(x, rows, 3e-3);
      expect(r.gradNorm).toBeGreaterThan(optimizer.clipNorm); // the clip is active
      expect(Math.abs(g.gradNorm - r.gradNorm) / r.gradNorm).toBeLessThan(1e-4);
      expect(Math.abs(g.loss - r.loss) / r.loss).toBeLessThan(1e-4);
    }
    const got = await gpu.exportState();
    const want = await ref.exportState();
    expect(got.adam.step).toBe(4);
    for (const n of NAMES) {
      expect(relDiff(got.params[n], want.params[n]), `params ${n}`).toBeLessThan(1e-4);
      expect(relDiff(change(got.params, params, n), change(want.params, params, n)), `change of ${n}`).toBeLessThan(1e-3);
      expect(relDiff(got.adam.m[n], want.adam.m[n]), `m ${n}`).toBeLessThan(1e-4);
      expect(relDiff(got.adam.v[n], want.adam.v[n]), `v ${n}`).toBeLessThan(1e-4);
    }
    await gpu.dispose();
  });

  it('profiling (one submission per phase) gives the same step and non-zero phase times', async () => {
    const config = resolveConfig({ dIn: 16, dSae: 64, architecture: 'topk', k: 4 });
    const params = initParams(config, 2);
    const rows = 20;
    const x = generateDemoEmbeddings({ rows, dIn: 16, seed: 3 }).x.data;
    const plain = await createWebGpuEngine();
    const timed = await createWebGpuEngine({ profile: true });
    await plain.load({ config, params });
    await timed.load({ config, params });
    const a = await plain.trainStep(x, rows, 1e-3);
    const b = await timed.trainStep(x, rows, 1e-3);
    expect(b.loss).toBe(a.loss);
    expect(b.gradNorm).toBe(a.gradNorm);
    const t = timed.phaseTimings();
    for (const phase of ['encode', 'topk', 'decode', 'backward', 'optimizer'] as const) expect(t[phase], phase).toBeGreaterThan(0);
    expect(Object.values(plain.phaseTimings()).every((v) => v === 0)).toBe(true);
    await plain.dispose();
    await timed.dispose();
  });
});

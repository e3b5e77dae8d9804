/**
 * Top-k selection with exact ties (integer pre-activations: integer x, W_enc and b_enc, b_dec = 0, so float32
 * is exact): every tie at a threshold must be broken by the lower latent index (per row) or the lower flat index
 * (BatchTopK), exactly as the reference engine does. Covers per-row TopK at several k, the nested MSAE levels,
 * BatchTopK and ReLU.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createReferenceEngine, resolveConfig, Rng, type ConfigOptions, type SaeParams, type SaeEngine } from '@msae/core';
import { createWebGpuEngine } from '../src/index.js';
import { softwareVulkanPresent } from './software-vulkan.js';

const run = softwareVulkanPresent() || Boolean(process.env.CI);
const dIn = 8;
const dSae = 64;
const rows = 23;

function integerInputs(seed: number): { params: SaeParams; x: Float32Array } {
  const rng = new Rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  return {
    params: {
      W_enc: new Float32Array(dIn * dSae).map(() => int(-2, 2)),
      b_enc: new Float32Array(dSae).map(() => int(-1, 1)),
      W_dec: new Float32Array(dSae * dIn).map(() => rng.normal() / 3),
      b_dec: new Float32Array(dIn),
    },
    x: new Float32Array(rows * dIn).map(() => int(-2, 2)),
  };
}

function maxRelErr(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    err = Math.max(err, Math.abs(a[i] - b[i]));
  }
  return err / Math.max(scale, 1e-12);
}

describe.skipIf(!run)('selection with exact ties', () => {
  const engines: SaeEngine[] = [];
  afterAll(async () => {
    for (const e of engines) await e.dispose();
  });

  async function pair(options: ConfigOptions, seed: number) {
    const config = resolveConfig(options);
    const { params, x } = integerInputs(seed);
    const gpu = await createWebGpuEngine();
    const ref = createReferenceEngine();
    engines.push(gpu, ref);
    await gpu.load({ config, params });
    await ref.load({ config, params });
    return { config, gpu, ref, x };
  }

  it('the inputs do have ties at the top-k thresholds', async () => {
    const { gpu, x } = await pair({ dIn, dSae, architecture: 'topk', k: 8 }, 2);
    const acts = await gpu.encode(x, rows);
    let rowsWithTie = 0;
    for (let b = 0; b < rows; b++) {
      const row = Array.from(acts.subarray(b * dSae, (b + 1) * dSae)).sort((p, q) => q - p);
      if (row[7] > 0 && row[7] === row[8]) rowsWithTie++;
    }
    expect(rowsWithTie).toBeGreaterThan(3);
  });

  it('per-row TopK encode keeps the lowest-index ties, at k = 1, 3, 8, 17, 63 and all', async () => {
    const { gpu, ref, x } = await pair({ dIn, dSae, architecture: 'topk', k: 8 }, 2);
    for (const k of [1, 3, 8, 17, 63, undefined]) {
      expect(Array.from(await gpu.encode(x, rows, k)), `k=${k}`).toEqual(Array.from(await ref.encode(x, rows, k)));
    }
  });

  for (const options of [
    { dIn, dSae, architecture: 'msae', k: 2, weighting: 'rw' },
    { dIn, dSae, architecture: 'topk', k: 5 },
    { dIn, dSae, architecture: 'batchtopk', k: 5 },
    { dIn, dSae, architecture: 'relu', l1: 0.01 },
  ] as ConfigOptions[]) {
    it(`${options.architecture}: forward codes and every level match the reference`, async () => {
      const { config, gpu, ref, x } = await pair(options, 3);
      const got = await gpu.forward(x, rows);
      const want = await ref.forward(x, rows);
      expect(Array.from(got.codes)).toEqual(Array.from(want.codes));
      expect(got.recons.length).toBe(config.nesting.length);
      got.recons.forEach((r, i) => expect(maxRelErr(r, want.recons[i]), `level ${i}`).toBeLessThan(1e-5));
      got.levelLosses.forEach((l, i) => expect(Math.abs(l - want.levelLosses[i]) / want.levelLosses[i]).toBeLessThan(1e-5));
      const g = await gpu.gradients(x, rows);
      const gr = await ref.gradients(x, rows);
      for (const n of ['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const) expect(maxRelErr(g.grads[n], gr.grads[n]), n).toBeLessThan(1e-4);
    });
  }
});

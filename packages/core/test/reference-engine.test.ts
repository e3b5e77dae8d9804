import { describe, expect, it } from 'vitest';
import type { SaeConfig } from '../src/config.js';
import { resolveConfig } from '../src/config-resolution.js';
import type { SaeParams } from '../src/engine.js';
import { applyTrainingUpdate, zeroAdamState } from '../src/optimizer.js';
import { cloneParams } from '../src/params.js';
import { createReferenceEngine } from '../src/reference-engine.js';
import { Rng } from '../src/rng.js';

/** Brute force of the spec, written independently: explicit sorts and dense per-level codes. */
function bruteForward(c: SaeConfig, p: SaeParams, x: Float32Array, B: number) {
  const { dIn, dSae } = c;
  const a: number[][] = [];
  for (let b = 0; b < B; b++) {
    const row: number[] = [];
    for (let j = 0; j < dSae; j++) {
      let s = p.b_enc[j];
      for (let d = 0; d < dIn; d++) s += (x[b * dIn + d] - p.b_dec[d]) * p.W_enc[d * dSae + j];
      row.push(Math.max(0, s));
    }
    a.push(row);
  }
  const order = (vals: number[]) => vals.map((v, i) => [v, i]).sort((u, w) => w[0] - u[0] || u[1] - w[1]).map((t) => t[1]);
  const levels: number[][][] = c.nesting.map((k) => {
    if (c.architecture === 'relu') return a.map((r) => r.slice());
    if (c.architecture === 'batchtopk') {
      const flat = a.flat();
      const keep = new Set(order(flat).slice(0, k * B));
      return a.map((r, b) => r.map((v, j) => (keep.has(b * dSae + j) ? v : 0)));
    }
    return a.map((r) => {
      const keep = new Set(order(r).slice(0, k));
      return r.map((v, j) => (keep.has(j) ? v : 0));
    });
  });
  const recons = levels.map((z) => {
    const r = new Float64Array(B * dIn);
    for (let b = 0; b < B; b++) for (let d = 0; d < dIn; d++) {
      let s = p.b_dec[d];
      for (let j = 0; j < dSae; j++) s += z[b][j] * p.W_dec[j * dIn + d];
      r[b * dIn + d] = s;
    }
    return r;
  });
  const losses = recons.map((r) => {
    let t = 0;
    for (let b = 0; b < B; b++) {
      let num = 0;
      let den = 0;
      for (let d = 0; d < dIn; d++) {
        num += (r[b * dIn + d] - x[b * dIn + d]) ** 2;
        den += x[b * dIn + d] ** 2;
      }
      t += c.loss === 'nmse' ? num / den : num / dIn;
    }
    return t / B;
  });
  const wSum = c.weights.reduce((s, w) => s + w, 0);
  let loss = losses.reduce((s, L, i) => s + c.weights[i] * L, 0) / wSum;
  if (c.l1 > 0) {
    let l1 = 0;
    const z = levels[levels.length - 1];
    for (let b = 0; b < B; b++) {
      let nx = 0;
      for (let d = 0; d < dIn; d++) nx += x[b * dIn + d] ** 2;
      l1 += z[b].reduce((s, v) => s + Math.abs(v), 0) / Math.sqrt(nx);
    }
    loss += (c.l1 * l1) / B;
  }
  return { codes: levels[levels.length - 1].flat(), recons, losses, loss };
}

function setup(opts: Parameters<typeof resolveConfig>[0], seed: number, B: number) {
  const config = resolveConfig(opts);
  const rng = new Rng(seed);
  const { dIn, dSae } = config;
  const params: SaeParams = {
    W_enc: new Float32Array(dIn * dSae).map(() => rng.normal() * 0.5),
    b_enc: new Float32Array(dSae).map(() => rng.normal() * 0.3),
    W_dec: new Float32Array(dSae * dIn).map(() => rng.normal() * 0.3),
    b_dec: new Float32Array(dIn).map(() => rng.normal() * 0.1),
  };
  const x = new Float32Array(B * dIn).map(() => rng.normal());
  return { config, params, x };
}

const configs: [string, Parameters<typeof resolveConfig>[0]][] = [
  ['msae rw nmse', { dIn: 5, dSae: 20, architecture: 'msae', k: 2 }],
  ['msae uw mse', { dIn: 5, dSae: 20, architecture: 'msae', k: 3, weighting: 'uw', loss: 'mse' }],
  ['topk', { dIn: 5, dSae: 20, architecture: 'topk', k: 4 }],
  ['batchtopk', { dIn: 5, dSae: 20, architecture: 'batchtopk', k: 4, loss: 'mse' }],
  ['relu', { dIn: 5, dSae: 20, architecture: 'relu', l1: 0.02 }],
];

describe('reference engine matches a brute-force implementation of the spec', () => {
  for (const [name, opts] of configs) {
    it(name, async () => {
      const B = 9;
      const { config, params, x } = setup(opts, name.length * 31, B);
      const e = createReferenceEngine();
      await e.load({ config, params });
      const out = await e.forward(x, B);
      const bf = bruteForward(config, params, x, B);
      expect(out.recons.length).toBe(config.nesting.length);
      for (let i = 0; i < bf.codes.length; i++) expect(out.codes[i]).toBeCloseTo(bf.codes[i], 5);
      bf.recons.forEach((r, li) => r.forEach((v, i) => expect(out.recons[li][i]).toBeCloseTo(v, 5)));
      bf.losses.forEach((L, i) => expect(out.levelLosses[i]).toBeCloseTo(L, 9));
      expect(out.loss).toBeCloseTo(bf.loss, 9);
      // the levels differ (the test is not vacuous for msae)
      if (config.architecture === 'msae') expect(new Set(out.levelLosses.slice(0, 3)).size).toBe(3);
    });
  }

  it('hand-computed example: msae with ties broken by lower index', async () => {
    // dIn 2, dSae 3, W_enc picks x0 for latents 0 and 1 and x1 for latent 2; W_dec rows e0, e0, e1; biases 0
    const config = resolveConfig({ dIn: 2, dSae: 3, architecture: 'msae', k: 1, weighting: 'rw', loss: 'mse' }); // nesting [1, 2, 3], weights [3, 2, 1]
    const params: SaeParams = {
      W_enc: new Float32Array([1, 1, 0, 0, 0, 1]),
      b_enc: new Float32Array(3),
      W_dec: new Float32Array([1, 0, 1, 0, 0, 1]),
      b_dec: new Float32Array(2),
    };
    const e = createReferenceEngine();
    await e.load({ config, params });
    const out = await e.forward(new Float32Array([2, 1]), 1);
    // a = (2, 2, 1): ranks 0 (latent 0, lower index wins the tie), 1, 2
    expect(Array.from(out.codes)).toEqual([2, 2, 1]);
    expect(Array.from(out.recons[0])).toEqual([2, 0]); // keeps latent 0
    expect(Array.from(out.recons[1])).toEqual([4, 0]); // latents 0, 1
    expect(Array.from(out.recons[2])).toEqual([4, 1]); // all
    // mse: L = mean_d (r - x)^2: level 0: (0 + 1)/2, level 1: (4 + 1)/2, level 2: (4 + 0)/2
    expect(out.levelLosses).toEqual([0.5, 2.5, 2]);
    expect(out.loss).toBeCloseTo((3 * 0.5 + 2 * 2.5 + 1 * 2) / 6, 12);
    // encode keeps each row's top k of the ReLU'd pre-activations
    expect(Array.from(await e.encode(new Float32Array([2, 1]), 1, 1))).toEqual([2, 0, 0]);
    expect(Array.from(await e.encode(new Float32Array([2, 1]), 1, 2))).toEqual([2, 2, 0]);
    expect(Array.from(await e.encode(new Float32Array([2, 1]), 1))).toEqual([2, 2, 1]);
    expect(Array.from(await e.decode(new Float32Array([0, 1, 3]), 1))).toEqual([1, 3]);
  });

  it('batchtopk keeps k*B entries over the batch (one row may take more than k)', async () => {
    const config = resolveConfig({ dIn: 1, dSae: 3, architecture: 'batchtopk', k: 1 });
    const params: SaeParams = { W_enc: new Float32Array([1, 2, 3]), b_enc: new Float32Array(3), W_dec: new Float32Array([1, 1, 1]), b_dec: new Float32Array(1) };
    const e = createReferenceEngine();
    await e.load({ config, params });
    // rows x = 1 -> a (1, 2, 3); x = -1 -> a (0, 0, 0); B = 2 keeps the 2 largest: 3 and 2, both in row 0
    const out = await e.forward(new Float32Array([1, -1]), 2);
    expect(Array.from(out.codes)).toEqual([0, 2, 3, 0, 0, 0]);
  });

  it('trainStep = gradients at the current parameters + applyTrainingUpdate', async () => {
    const { config, params, x } = setup(configs[0][1], 5, 6);
    const e = createReferenceEngine();
    await e.load({ config, params });
    const { grads, loss } = await e.gradients(x, 6);
    const step = await e.trainStep(x, 6, 1e-3);
    expect(step.loss).toBe(loss);
    const p = cloneParams(params);
    const adam = zeroAdamState(config);
    const norm = applyTrainingUpdate(p, grads, adam, 1e-3, config);
    expect(step.gradNorm).toBe(norm);
    const st = await e.exportState();
    expect(st.params).toEqual(p);
    expect(st.adam).toEqual(adam);
    // the loss goes down over a few steps
    for (let i = 0; i < 20; i++) await e.trainStep(x, 6, 1e-2);
    expect((await e.forward(x, 6)).loss).toBeLessThan(loss);
  });

  it('rejects wrong shapes and use before load with one-line errors', async () => {
    const { config, params, x } = setup(configs[0][1], 6, 3);
    const e = createReferenceEngine();
    await expect(e.forward(x, 3)).rejects.toThrow(/call load\(\) first/);
    await expect(e.load({ config, params: { ...params, b_dec: new Float32Array(2) } })).rejects.toThrow(/b_dec has 2 values, expected 5/);
    await e.load({ config, params });
    await expect(e.forward(x, 4)).rejects.toThrow(/x must be a Float32Array of 4x5=20 values, got 15/);
    await expect(e.decode(new Float32Array(3), 1)).rejects.toThrow(/z must be/);
    await expect(e.encode(x, 3, 0)).rejects.toThrow(/encode k/);
  });
});

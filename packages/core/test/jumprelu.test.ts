/**
 * JumpReLU in the reference engine: config defaults, finite differences for the parameters with true gradients,
 * the straight-through threshold gradient against its formula on a hand-sized case, the function-preserving
 * renormalization, init, encode and the checkpoint round trip of log_threshold.
 */
import { describe, expect, it } from 'vitest';
import type { SaeConfig } from '../src/config.js';
import { resolveConfig } from '../src/config-resolution.js';
import type { SaeParams } from '../src/engine.js';
import { PARAM_NAMES, cloneParams } from '../src/params.js';
import { createReferenceEngine, referenceForward } from '../src/reference-engine.js';
import { renormalizeDecoder, zeroAdamState } from '../src/optimizer.js';
import { initParams } from '../src/init.js';
import { decodeCheckpoint, decodeOptimizerState, encodeCheckpoint, encodeOptimizerState } from '../src/checkpoint.js';
import { Rng } from '../src/rng.js';
import { decodeSafetensors } from '../src/safetensors.js';
import { finiteDifferenceSweep, randomParams } from './finite-differences.js';

/** Which entries are kept (pre > theta) and which lie in the kernel band: the loss is smooth while this holds. */
function selectionKey(c: SaeConfig, p: SaeParams, x: Float32Array, rows: number): string {
  const f = referenceForward(c, p, x, rows);
  let key = '';
  for (let e = 0; e < f.level.length; e++) {
    const u = f.pre[e] - f.theta![e % c.dSae];
    key += (f.level[e] === 0 ? 'K' : '-') + (Math.abs(u) < c.bandwidth! / 2 ? 'b' : '.');
  }
  return key;
}

describe('jumprelu config', () => {
  it('defaults from the registry and refused options', () => {
    const c = resolveConfig({ dIn: 8, architecture: 'jumprelu' });
    expect(c).toMatchObject({ dSae: 64, k: 64, nesting: [64], weights: [1], l1: 0, l0: 1e-3, bandwidth: 1e-3, initThreshold: 1e-3 });
    expect(resolveConfig({ dIn: 8, architecture: 'jumprelu', l0: 0.5, bandwidth: 0.01 })).toMatchObject({ l0: 0.5, bandwidth: 0.01 });
    expect(() => resolveConfig({ dIn: 8, architecture: 'topk', l0: 0.1 })).toThrow(/l0, bandwidth and initThreshold apply only to the jumprelu architecture/);
    expect(() => resolveConfig({ dIn: 8, architecture: 'jumprelu', bandwidth: 0 })).toThrow(/jumprelu bandwidth must be a positive number/);
    expect(() => resolveConfig({ dIn: 8, architecture: 'jumprelu', auxK: 4 })).toThrow(/AuxK applies only to/);
  });

  it('init sets log_threshold = log(initThreshold); other architectures have none', () => {
    const c = resolveConfig({ dIn: 4, dSae: 8, architecture: 'jumprelu', initThreshold: 0.02 });
    const p = initParams(c, 3);
    expect(Array.from(p.log_threshold!)).toEqual(new Array(8).fill(Math.fround(Math.log(0.02))));
    expect(initParams(resolveConfig({ dIn: 4, dSae: 8, architecture: 'topk', k: 2 }), 3).log_threshold).toBeUndefined();
  });
});

describe('jumprelu gradients', () => {
  for (const [ci, loss] of (['nmse', 'mse'] as const).entries()) {
    it(`finite differences of W_enc, b_enc, W_dec, b_dec (${loss})`, async () => {
      const config = resolveConfig({ dIn: 6, dSae: 24, architecture: 'jumprelu', loss, l0: 0.05, bandwidth: 0.05 });
      const rng = new Rng(4242 + ci);
      const rows = 7;
      const params = randomParams(config, rng, () => Math.log(0.3) + 0.5 * rng.normal());
      const x = new Float32Array(rows * config.dIn).map(() => rng.normal());
      const engine = createReferenceEngine();
      await engine.load({ config, params });
      const { grads, loss: l } = await engine.gradients(x, rows);
      const f0 = referenceForward(config, params, x, rows);
      expect(l).toBeCloseTo(f0.loss, 12);
      expect(f0.l0Loss).toBeGreaterThan(0); // the L0 term is in the loss
      const { checked, skipped } = finiteDifferenceSweep({
        params,
        grads,
        f0: f0.loss,
        loss: (q) => referenceForward(config, q, x, rows).loss,
        selection: (q) => selectionKey(config, q, x, rows),
        check: (_pname, _i, analytic, fd, scale) => expect(Math.abs(fd - analytic)).toBeLessThanOrEqual(1e-6 * scale + 1e-7 * Math.abs(fd) + 1e-9),
      });
      for (const pname of PARAM_NAMES) expect(grads[pname].some((v) => Math.abs(v) > 1e-6)).toBe(true);
      expect(checked).toBeGreaterThan(0.9 * (checked + skipped));
    });
  }

  it('straight-through threshold gradient matches the formula on a hand-sized case', async () => {
    // dIn 2, dSae 3, one row, mse: pre = x W_enc (b_enc = b_dec = 0); theta = (0.5, 0.9, 0.2), eps = 0.2
    const config = resolveConfig({ dIn: 2, dSae: 3, architecture: 'jumprelu', loss: 'mse', l0: 0.1, bandwidth: 0.2 });
    const x = new Float32Array([1, 0]);
    const theta = [0.5, 0.9, 0.2];
    const params: SaeParams = {
      W_enc: new Float32Array([0.55, 0.85, 0.7, 0, 0, 0]), // pre = (0.55, 0.85, 0.7)
      b_enc: new Float32Array(3),
      W_dec: new Float32Array([1, 0, 0, 1, 0.5, 0.5]),
      b_dec: new Float32Array(2),
      log_threshold: Float32Array.from(theta, Math.log),
    };
    const th = Array.from(params.log_threshold!, Math.exp);
    // u = pre - theta = (0.05, -0.05, 0.5): latent 0 kept and in band, latent 1 dropped and in band, latent 2 kept outside
    const f = referenceForward(config, params, x, 1);
    expect(Array.from(f.level)).toEqual([0, 1, 0]);
    // recon = 0.55 W_dec[0] + 0.7 W_dec[2] = (0.9, 0.35); g = dL/drecon = 2 (recon - x) / dIn = (-0.1, 0.35)
    const pre = [0.55, 0.85, 0.7].map((v) => Math.fround(v));
    const recon = [pre[0] + 0.5 * pre[2], 0.5 * pre[2]];
    const g = [(2 * (recon[0] - 1)) / 2, (2 * recon[1]) / 2];
    const dz = [g[0], g[1], 0.5 * g[0] + 0.5 * g[1]]; // W_dec[j] . g
    const eps = 0.2;
    // dL/dtheta_j = -(1/eps) 1{|u| < eps/2} (theta_j dz_j + l0); dL/dlog_threshold = theta dL/dtheta
    const expected = [0, 1, 2].map((j) => (j === 2 ? 0 : (-(th[j] * dz[j] + 0.1) / eps) * th[j]));
    const engine = createReferenceEngine();
    await engine.load({ config, params });
    const { grads, loss } = await engine.gradients(x, 1);
    expect(loss).toBeCloseTo(((recon[0] - 1) ** 2 + recon[1] ** 2) / 2 + 0.1 * 2, 6); // mse + l0 * (2 active)
    for (let j = 0; j < 3; j++) expect(grads.log_threshold![j]).toBeCloseTo(expected[j], 6);
    expect(grads.log_threshold![0]).not.toBe(0);
    expect(grads.log_threshold![1]).not.toBe(0);
    // true gradient through the kept codes only: db_enc = dz on kept latents, 0 on the dropped one
    expect(grads.b_enc[0]).toBeCloseTo(dz[0], 6);
    expect(grads.b_enc[1]).toBe(0);
    expect(grads.b_enc[2]).toBeCloseTo(dz[2], 6);
  });
});

describe('jumprelu training state', () => {
  it('renormalization scales theta with the decoder norms, so the SAE function is unchanged', () => {
    const config = resolveConfig({ dIn: 6, dSae: 24, architecture: 'jumprelu', bandwidth: 0.05 });
    const rng = new Rng(9);
    const params = randomParams(config, rng, () => Math.log(0.3) + 0.5 * rng.normal());
    const x = new Float32Array(5 * 6).map(() => rng.normal());
    const before = referenceForward(config, params, x, 5);
    const after = cloneParams(params);
    const norms = renormalizeDecoder(after, 6, 24);
    expect(Math.max(...norms)).toBeGreaterThan(1.1);
    const f = referenceForward(config, after, x, 5);
    expect(Array.from(f.level)).toEqual(Array.from(before.level));
    for (let e = 0; e < f.recons[0].length; e++) expect(f.recons[0][e]).toBeCloseTo(before.recons[0][e], 5);
    expect(f.loss).toBeCloseTo(before.loss, 6);
  });

  it('trainStep moves log_threshold with AdamW; encode keeps only codes above their threshold', async () => {
    const config = resolveConfig({ dIn: 6, dSae: 24, architecture: 'jumprelu', bandwidth: 0.2, l0: 0.05 });
    const rng = new Rng(11);
    const params = randomParams(config, rng, () => Math.log(0.3) + 0.5 * rng.normal());
    const x = new Float32Array(8 * 6).map(() => rng.normal());
    const engine = createReferenceEngine();
    await engine.load({ config, params });
    const codes = await engine.encode(x, 8);
    const f = referenceForward(config, params, x, 8);
    for (let e = 0; e < codes.length; e++) expect(codes[e]).toBe(f.level[e] === 0 ? Math.fround(f.pre[e]) : 0);
    expect(codes.some((v) => v === 0)).toBe(true);
    await engine.trainStep(x, 8, 1e-2);
    const { params: next, adam } = await engine.exportState();
    expect(adam.m.log_threshold!.some((v) => v !== 0)).toBe(true);
    expect(next.log_threshold!.some((v, j) => Math.abs(v - params.log_threshold![j]) > 1e-4)).toBe(true);
  });

  it('checkpoint and optimizer state round trip log_threshold', () => {
    const config = resolveConfig({ dIn: 4, dSae: 8, architecture: 'jumprelu', l0: 0.02, bandwidth: 0.003 });
    const rng = new Rng(5);
    const params = randomParams(config, rng, () => Math.log(0.3) + 0.5 * rng.normal());
    const { cfgJson, weights } = encodeCheckpoint({ config, params, normalization: { mean: new Float32Array(4), scale: 1 } });
    const back = decodeCheckpoint(cfgJson, weights);
    expect(back.config).toEqual(config);
    // sae_weights.safetensors holds SAELens' tensors: threshold = exp(log_threshold), no log_threshold
    const { tensors } = decodeSafetensors(weights);
    expect(Object.keys(tensors).sort()).toEqual(['W_dec', 'W_enc', 'b_dec', 'b_enc', 'threshold']);
    expect(Array.from(tensors.threshold.data)).toEqual(Array.from(params.log_threshold!, (v) => Math.fround(Math.exp(v))));
    // log_threshold = log(threshold): exact for theta < 0.37, else within one float32 ulp (2^-23 for |log theta| < 1)
    let exact = 0;
    for (let j = 0; j < 8; j++) {
      const [a, b] = [back.params.log_threshold![j], params.log_threshold![j]];
      if (Math.exp(b) < 0.37) expect(a).toBe(b);
      else expect(Math.abs(a - b)).toBeLessThanOrEqual(2 ** -23);
      if (a === b) exact++;
    }
    expect(exact).toBeGreaterThan(0);
    const adam = zeroAdamState(config);
    adam.m.log_threshold![3] = 0.25;
    const state = decodeOptimizerState(encodeOptimizerState(adam), config);
    expect(state.m.log_threshold![3]).toBe(0.25);
    const { log_threshold: _, ...noThreshold } = params;
    expect(() => encodeCheckpoint({ config, params: noThreshold, normalization: { mean: new Float32Array(4), scale: 1 } })).toThrow(/log_threshold must be a Float32Array of shape \[8\]/);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIMIZER } from '../src/config.js';
import { initParams } from '../src/init.js';
import { adamwUpdate, applyTrainingUpdate, clipGradNorm, projectDecoderGradient, renormalizeDecoder, zeroAdamState } from '../src/optimizer.js';
import { cloneParams } from '../src/params.js';
import { Rng } from '../src/rng.js';
import type { SaeParams } from '../src/engine.js';

const dims = { dIn: 5, dSae: 7 };

function randomParams(rng: Rng): SaeParams {
  const { dIn, dSae } = dims;
  return {
    W_enc: new Float32Array(dIn * dSae).map(() => rng.normal()),
    b_enc: new Float32Array(dSae).map(() => rng.normal()),
    W_dec: new Float32Array(dSae * dIn).map(() => rng.normal()),
    b_dec: new Float32Array(dIn).map(() => rng.normal()),
  };
}

describe('initParams', () => {
  it('decoder rows have norm 0.1, W_enc = W_dec^T, biases 0, deterministic per seed', () => {
    const p = initParams({ dIn: 16, dSae: 40 }, 42);
    for (let j = 0; j < 40; j++) {
      let sq = 0;
      for (let d = 0; d < 16; d++) {
        sq += p.W_dec[j * 16 + d] ** 2;
        expect(p.W_enc[d * 40 + j]).toBe(p.W_dec[j * 16 + d]);
      }
      expect(Math.sqrt(sq)).toBeCloseTo(0.1, 6);
    }
    expect(p.b_enc.every((v) => v === 0) && p.b_dec.every((v) => v === 0)).toBe(true);
    expect(initParams({ dIn: 16, dSae: 40 }, 42).W_dec).toEqual(p.W_dec);
    expect(initParams({ dIn: 16, dSae: 40 }, 43).W_dec).not.toEqual(p.W_dec);
  });
  it('directions are kaiming-uniform: entries fill the cube before the rescale (max |entry| / row norm ~ uniform shape)', () => {
    // for U(-b, b) entries, E[w^2] = b^2/3, so sum_d w_d^2 ~ dIn b^2 / 3 and the mean |w| / rms ratio is sqrt(3)/2
    const p = initParams({ dIn: 64, dSae: 200 }, 1);
    let absSum = 0;
    let sq = 0;
    for (const v of p.W_dec) {
      absSum += Math.abs(v);
      sq += v * v;
    }
    const n = p.W_dec.length;
    expect(absSum / n / Math.sqrt(sq / n)).toBeCloseTo(Math.sqrt(3) / 2, 2);
  });
});

describe('optimizer pieces', () => {
  it('renormalizeDecoder makes rows unit and leaves the encoder function unchanged', () => {
    const rng = new Rng(1);
    const p = randomParams(rng);
    const before = cloneParams(p);
    const norms = renormalizeDecoder(p, dims.dIn, dims.dSae);
    for (let j = 0; j < dims.dSae; j++) {
      let sq = 0;
      for (let d = 0; d < dims.dIn; d++) sq += p.W_dec[j * dims.dIn + d] ** 2;
      expect(Math.sqrt(sq)).toBeCloseTo(1, 6);
      // pre_j scales by n_j, z_j W_dec[j] is unchanged
      expect(p.b_enc[j]).toBeCloseTo(before.b_enc[j] * norms[j], 5);
      for (let d = 0; d < dims.dIn; d++) {
        expect(p.W_enc[d * dims.dSae + j]).toBeCloseTo(before.W_enc[d * dims.dSae + j] * norms[j], 5);
        expect(p.W_dec[j * dims.dIn + d] * norms[j]).toBeCloseTo(before.W_dec[j * dims.dIn + d], 5);
      }
    }
  });
  it('projectDecoderGradient removes the component along each unit row', () => {
    const rng = new Rng(2);
    const p = randomParams(rng);
    renormalizeDecoder(p, dims.dIn, dims.dSae);
    const g = new Float32Array(dims.dSae * dims.dIn).map(() => rng.normal());
    projectDecoderGradient(g, p.W_dec, dims.dSae, dims.dIn);
    for (let j = 0; j < dims.dSae; j++) {
      let dot = 0;
      for (let d = 0; d < dims.dIn; d++) dot += g[j * dims.dIn + d] * p.W_dec[j * dims.dIn + d];
      expect(Math.abs(dot)).toBeLessThan(1e-6);
    }
  });
  it('clipGradNorm: known answer (3, 4) -> norm 5, scaled by 1 / (5 + 1e-6); no change under the limit', () => {
    const a = new Float32Array([3]);
    const b = new Float32Array([4]);
    expect(clipGradNorm([a, b], 1)).toBe(5);
    expect(a[0]).toBeCloseTo(3 / (5 + 1e-6), 7);
    expect(b[0]).toBeCloseTo(4 / (5 + 1e-6), 7);
    const c = new Float32Array([0.3, 0.4]);
    expect(clipGradNorm([c], 1)).toBeCloseTo(0.5, 7);
    expect(Array.from(c)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });
  it('adamwUpdate: first step moves each parameter by ~lr against the gradient sign; matches torch formulas', () => {
    const p = new Float32Array([1, -2, 0.5]);
    const g = new Float32Array([0.1, -3, 0]);
    const m = new Float32Array(3);
    const v = new Float32Array(3);
    adamwUpdate(p, g, m, v, 1, 0.01, DEFAULT_OPTIMIZER);
    expect(p[0]).toBeCloseTo(0.99, 6);
    expect(p[1]).toBeCloseTo(-1.99, 6);
    expect(p[2]).toBe(0.5);
    expect(m[0]).toBeCloseTo(0.01, 7);
    expect(v[1]).toBeCloseTo(0.009, 7);
    // second step at t=2 with the torch formula and weight decay
    const opt = { ...DEFAULT_OPTIMIZER, weightDecay: 0.1 };
    const q = new Float32Array([1]);
    const mm = new Float32Array([0.02]);
    const vv = new Float32Array([0.0004]);
    adamwUpdate(q, new Float32Array([0.5]), mm, vv, 2, 0.01, opt);
    const m2 = 0.9 * 0.02 + 0.1 * 0.5;
    const v2 = 0.999 * 0.0004 + 0.001 * 0.25;
    const expected = 1 * (1 - 0.01 * 0.1) - (0.01 * (m2 / (1 - 0.81))) / (Math.sqrt(v2 / (1 - 0.999 ** 2)) + 6.25e-10);
    expect(q[0]).toBeCloseTo(expected, 6);
  });
  it('applyTrainingUpdate composes renormalize, project, clip and AdamW', () => {
    const rng = new Rng(3);
    const p = randomParams(rng);
    const g = randomParams(rng);
    const adam = zeroAdamState(dims);
    const p2 = cloneParams(p);
    const g2 = cloneParams(g);
    const norm = applyTrainingUpdate(p, g, adam, 1e-3, dims);
    renormalizeDecoder(p2, dims.dIn, dims.dSae);
    projectDecoderGradient(g2.W_dec, p2.W_dec, dims.dSae, dims.dIn);
    expect(norm).toBeCloseTo(clipGradNorm(g2, 1), 5);
    expect(norm).toBeGreaterThan(1);
    const a2 = zeroAdamState(dims);
    for (const n of ['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const) adamwUpdate(p2[n], g2[n], a2.m[n], a2.v[n], 1, 1e-3);
    expect(adam.step).toBe(1);
    expect(p).toEqual(p2);
    expect(adam.m).toEqual(a2.m);
  });
});

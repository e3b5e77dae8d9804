import { describe, expect, it } from 'vitest';
import { matrix } from '../src/matrix.js';
import { NormalizationAccumulator, computeNormalization, denormalize, denormalizeInPlace, normalize, normalizeInPlace } from '../src/normalization.js';
import { Rng } from '../src/rng.js';
import { learningRateAt } from '../src/schedule.js';

describe('learningRateAt', () => {
  it('is constant, then decays linearly to 0 over the last 20%', () => {
    // T = 10, D = 2: lr = base * min(1, (10 - s) / 2)
    const lrs = Array.from({ length: 11 }, (_, s) => learningRateAt(s, 10, 1));
    expect(lrs).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5, 0]);
    // T = 30 epochs, D = 6: epochs 24..29 -> 6/6, 5/6, ..., 1/6
    expect(learningRateAt(23, 30, 6e-4)).toBeCloseTo(6e-4, 15);
    expect(learningRateAt(25, 30, 6e-4)).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(29, 30, 6e-4)).toBeCloseTo(1e-4, 15);
    // T = 1000, D = 200
    expect(learningRateAt(900, 1000, 2)).toBeCloseTo(1, 12);
  });
  it('decayFraction 0 is constant; bad input is rejected', () => {
    expect(learningRateAt(99, 100, 3, 0)).toBe(3);
    expect(() => learningRateAt(0, 0, 1)).toThrow(/totalSteps/);
    expect(() => learningRateAt(0, 10, 1, 2)).toThrow(/decayFraction/);
  });
});

describe('normalization', () => {
  it('known answer: mean and scale = sqrt(dIn / mean ||x - mean||^2)', () => {
    // rows (1, 2), (3, 6): mean (2, 4); centred (-1,-2), (1,2); mean sq norm 5; scale sqrt(2/5)
    const n = computeNormalization(matrix(new Float32Array([1, 2, 3, 6]), 2, 2));
    expect(Array.from(n.mean)).toEqual([2, 4]);
    expect(n.scale).toBeCloseTo(Math.sqrt(2 / 5), 12);
    expect(Array.from(normalize(new Float32Array([3, 6]), n))).toEqual([Math.fround(Math.sqrt(2 / 5)), Math.fround(2 * Math.sqrt(2 / 5))]);
  });
  it('normalized data has mean 0 and mean squared norm dIn; denormalize inverts', () => {
    const rng = new Rng(11);
    const rows = 500;
    const dIn = 12;
    const data = new Float32Array(rows * dIn).map((_, i) => 3 + (i % dIn) + 0.1 * rng.normal());
    const n = computeNormalization(matrix(data, rows, dIn));
    const xn = normalize(data, n);
    let sq = 0;
    const m = new Float64Array(dIn);
    for (let i = 0; i < xn.length; i++) {
      sq += xn[i] * xn[i];
      m[i % dIn] += xn[i] / rows;
    }
    expect(sq / rows).toBeCloseTo(dIn, 3);
    for (const v of m) expect(Math.abs(v)).toBeLessThan(1e-4);
    const back = denormalize(xn, n);
    let worst = 0;
    for (let i = 0; i < data.length; i++) worst = Math.max(worst, Math.abs(back[i] - data[i]));
    expect(worst).toBeLessThan(1e-5);
    // in-place variants agree with the copying ones
    const c = data.slice();
    normalizeInPlace(c, n);
    expect(c).toEqual(xn);
    denormalizeInPlace(c, n);
    expect(c).toEqual(back);
  });
  it('the streaming accumulator matches the two-pass result', () => {
    const rng = new Rng(12);
    const rows = 300;
    const dIn = 8;
    const data = new Float32Array(rows * dIn).map(() => 100 + rng.normal());
    const a = new NormalizationAccumulator(dIn);
    a.add(data.subarray(0, 64 * dIn));
    a.add(data.subarray(64 * dIn));
    const s = a.result();
    const t = computeNormalization(matrix(data, rows, dIn));
    expect(a.rows).toBe(rows);
    for (let d = 0; d < dIn; d++) expect(s.mean[d]).toBeCloseTo(t.mean[d], 4);
    expect(s.scale / t.scale).toBeCloseTo(1, 5);
  });
  it('constant data and ragged batches are errors', () => {
    expect(() => computeNormalization(matrix(new Float32Array([1, 1, 1, 1]), 2, 2))).toThrow(/no variance/);
    expect(() => normalize(new Float32Array(5), { mean: new Float32Array(2), scale: 1 })).toThrow(/not a multiple/);
    expect(() => computeNormalization(matrix(new Float32Array([1, 2, 3, NaN, 5, 6]), 3, 2))).toThrow(/^normalization: row 1 has a non-finite value$/);
    const acc = new NormalizationAccumulator(2);
    acc.add(new Float32Array([1, 2]));
    expect(() => acc.add(new Float32Array([1, 2, Infinity, 0]))).toThrow(/row 2 has a non-finite value/);
  });
});

import { describe, expect, it } from 'vitest';
import { argmaxRows, classifierLogits, DownstreamAccumulator, softmaxRows, sparsifyCodes, zeroShotHead } from '../src/index.js';
import { unitData } from './fixtures.js';

describe('downstream agreement', () => {
  it('identical logits: agreement 1, KL 0, accuracies equal', () => {
    const acc = new DownstreamAccumulator(3);
    const l = Float32Array.from([1, 2, 3, 0, 5, -1]);
    acc.add(l, l.slice(), [2, 0]);
    expect(acc.result()).toEqual({ rows: 2, agreement: 1, kl: 0, accuracy: 0.5, accuracyReconstructed: 0.5 });
  });

  it('KL(p || q) and agreement against hand-computed values, over two batches', () => {
    const acc = new DownstreamAccumulator(2);
    // p = softmax(0, ln 3) = (1/4, 3/4); q = softmax(0, 0) = (1/2, 1/2): KL = 1/4 ln(1/2) + 3/4 ln(3/2)
    acc.add(Float32Array.from([0, Math.log(3)]), Float32Array.from([0, 0]));
    // p = (1/2, 1/2), q = softmax(ln 3, 0) = (3/4, 1/4): KL = 1/2 ln(2/3) + 1/2 ln 2; argmax 0 vs 0 (tie takes the first)
    acc.add(Float32Array.from([0, 0]), Float32Array.from([Math.log(3), 0]));
    const r = acc.result();
    const kl1 = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5);
    const kl2 = 0.5 * Math.log(2 / 3) + 0.5 * Math.log(2);
    expect(r.kl).toBeCloseTo((kl1 + kl2) / 2, 6);
    expect(r.agreement).toBe(0.5); // row 1: argmax 1 vs 0 (tie); row 2: 0 vs 0
    expect(r.accuracy).toBeUndefined();
  });

  it('zero-shot logits are 100 cos(x, w_c); softmax rows sum to 1', async () => {
    const x = unitData(4, 8, 1);
    const w = unitData(3, 8, 2);
    for (let i = 0; i < w.data.length; i++) w.data[i] *= 2; // not unit norm: cosine must normalize
    const logits = await classifierLogits(zeroShotHead(w), { ...x, data: x.data.map((v) => v * 5) });
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 3; c++) {
        let dot = 0;
        for (let d = 0; d < 8; d++) dot += x.data[r * 8 + d] * (w.data[c * 8 + d] / 2);
        expect(logits[r * 3 + c]).toBeCloseTo(100 * dot, 3);
      }
    }
    const p = softmaxRows(logits, 3);
    for (let r = 0; r < 4; r++) expect(p[r * 3] + p[r * 3 + 1] + p[r * 3 + 2]).toBeCloseTo(1, 12);
    expect(Array.from(argmaxRows(Float32Array.from([1, 3, 3, 2, 0, 1]), 3))).toEqual([1, 0]);
  });
});

describe('sparse codes', () => {
  it('top-k keeps the k largest positives, lower index on ties; every positive when k is undefined', () => {
    const dense = Float32Array.from([0.5, -1, 2, 0.5, 0.5, 0, 3, 1]);
    const top = sparsifyCodes(dense, 2, 4, 2);
    expect(Array.from(top.indices)).toEqual([0, 2, 2, 3]);
    expect(Array.from(top.values)).toEqual([0.5, 2, 3, 1]);
    const all = sparsifyCodes(dense, 2, 4);
    expect(Array.from(all.indptr)).toEqual([0, 3, 6]);
  });
});

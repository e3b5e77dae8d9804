import { describe, expect, it } from 'vitest';
import { activationEvidence, activationStatistics, gateByEvidence } from '../src/index.js';

describe('activationStatistics', () => {
  // dIn 2, dSae 3; x_n = (x - mean) * 2; pre = (x_n - b_dec) W_enc + b_enc
  const encoder = {
    dIn: 2,
    dSae: 3,
    W_enc: Float32Array.of(1, 0, 1, 0, 1, -1), // [2, 3]: latent0 = x0, latent1 = x1, latent2 = x0 - x1
    b_enc: Float32Array.of(0, 0, -0.5),
    b_dec: Float32Array.of(0.5, 0),
  };
  const normalization = { mean: [1, 1], scale: 2 };
  const data = { data: Float32Array.of(2, 1, 1, 2, 0, 0, 3, 1.5), rows: 4, cols: 2 };
  // x_n - b_dec: (1.5, 0), (-0.5, 2), (-2.5, -2), (3.5, 1)
  // pre: (1.5, 0, 1), (-0.5, 2, -3), (-2.5, -2, -1), (3.5, 1, 2)

  it('encodes with the checkpoint normalization and counts active samples', async () => {
    const s = await activationStatistics({ data, encoder, normalization, latents: [0, 2], topSamples: 3, rowBlock: 3 });
    expect(Array.from(s.frequency)).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(s.topRows)).toEqual([3, 0, -1, 3, 0, -1]);
    expect(Array.from(s.topValues)).toEqual([3.5, 1.5, 0, 2, 1, 0]);
  });

  it('keeps each row top-k codes when k is given', async () => {
    const s = await activationStatistics({ data, encoder, normalization, k: 1 });
    // row 0 keeps latent0 (1.5), row 1 latent1, row 3 latent0
    expect(Array.from(s.frequency)).toEqual([0.5, 0.25, 0]);
  });

  it('evidence: cosine of the concept with the mean of the top samples', async () => {
    const s = await activationStatistics({ data, encoder, normalization, latents: [1], topSamples: 2 });
    // latent1 top rows: 1 (2), 3 (1): mean of x = (2, 1.75)
    const [e] = activationEvidence(s, data, [[0, 1]]);
    expect(e.topRows).toEqual([1, 3]);
    expect(e.frequency).toBe(0.5);
    expect(e.topCosine).toBeCloseTo(1.75 / Math.hypot(2, 1.75), 6);
    // data mean (1.5, 1.125)
    expect(e.baselineCosine).toBeCloseTo(1.125 / Math.hypot(1.5, 1.125), 6);
  });

  it('rejects data of the wrong width', async () => {
    await expect(activationStatistics({ data: { data: new Float32Array(3), rows: 1, cols: 3 }, encoder, normalization })).rejects.toThrow(/3-d but the SAE expects 2-d/);
  });
});

describe('gateByEvidence', () => {
  it('un-names latents whose top samples do not look like the concept', () => {
    const ev = (index: number, lift: number, topCount = 5) => ({ index, frequency: 0.1, topCount, topCosine: 0.3 + lift, baselineCosine: 0.3, lift, topRows: [] });
    const latents = [
      { index: 0, name: 'a' },
      { index: 1, name: 'b' },
      { index: 2, name: null },
      { index: 3, name: 'd' },
      { index: 4, name: 'e' },
    ];
    const evidence = new Map([[0, ev(0, 0.05)], [1, ev(1, -0.01)], [3, ev(3, 0.02, 0)]]);
    expect(gateByEvidence(latents, evidence, 0)).toBe(1);
    expect(latents.map((l) => l.name)).toEqual(['a', null, null, null, null]);
  });
});

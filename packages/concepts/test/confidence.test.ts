import { describe, expect, it } from 'vitest';
import { confidence, nameLatents, passesThresholds, scoreStatistics } from '../src/index.js';

describe('confidence', () => {
  it('margin and z-score on hand-computed scores', () => {
    const scores = [0.9, 0.5, 0.1, 0.1, 0.4];
    const { mean, std } = scoreStatistics(scores);
    expect(mean).toBeCloseTo(0.4, 12);
    // var = (0.25 + 0.01 + 0.09 + 0.09 + 0) / 5 = 0.088
    expect(std).toBeCloseTo(Math.sqrt(0.088), 12);
    const c = confidence(0.9, 0.5, mean, std);
    expect(c.margin).toBeCloseTo(0.4, 12);
    expect(c.z).toBeCloseTo(0.5 / Math.sqrt(0.088), 10);
    expect(passesThresholds(c, { minZ: 1.6, minMargin: 0.4 - 1e-9 })).toBe(true);
    expect(passesThresholds(c, { minZ: 1.7, minMargin: 0 })).toBe(false);
    expect(passesThresholds(c, { minZ: 0, minMargin: 0.41 })).toBe(false);
    expect(confidence(1, 1, 1, 0).z).toBe(0);
  });

  it('nameLatents reports the known cosines, margin and z of a crafted vocabulary', async () => {
    // decoder row e1; vocabulary cosines 1, 0.6, 0, -1
    const vocabulary = {
      labels: ['a', 'b', 'c', 'd'],
      embeddings: { data: Float32Array.of(2, 0, 0.6, 0.8, 0, 3, -1, 0), rows: 4, cols: 2 },
    };
    const decoder = { data: Float32Array.of(5, 0), rows: 1, cols: 2 };
    const res = await nameLatents({ decoder, vocabulary, top: 3, thresholds: { minZ: 1.1, minMargin: 0.3 }, centerVocabulary: false });
    const l = res.latents[0];
    expect(l.candidates.map((c) => c.label)).toEqual(['a', 'b', 'c']);
    expect(l.score).toBeCloseTo(1, 6);
    expect(l.margin).toBeCloseTo(0.4, 6);
    // mean 0.15, var (0.85^2 + 0.45^2 + 0.15^2 + 1.15^2) / 4 = 0.5675
    expect(l.z).toBeCloseTo(0.85 / Math.sqrt(0.5675), 5);
    expect(l.name).toBe('a');
    expect(res.named).toBe(1);
    const strict = await nameLatents({ decoder, vocabulary, thresholds: { minZ: 1.2 }, centerVocabulary: false });
    expect(strict.latents[0].name).toBeNull();
    expect(strict.latents[0].candidates[0].label).toBe('a');
  });

  it('merges repeated labels before taking the margin (ImageNet has two "crane"s)', async () => {
    const vocabulary = {
      labels: ['crane', 'crane', 'heron'],
      embeddings: { data: Float32Array.of(1, 0, 0.99, 0.141, 0.8, 0.6), rows: 3, cols: 2 },
    };
    const res = await nameLatents({ decoder: { data: Float32Array.of(1, 0), rows: 1, cols: 2 }, vocabulary, centerVocabulary: false });
    const l = res.latents[0];
    expect(l.candidates.map((c) => c.label)).toEqual(['crane', 'heron']);
    expect(l.margin).toBeCloseTo(0.2, 5);
  });

  it('centres the vocabulary: cosines with normalize(u_i - mean u)', async () => {
    // unit rows (1,0,1)/sqrt2, (-1,0,1)/sqrt2, (0,1,1)/sqrt2 share the third axis: mean (0, 1/3, 1)/sqrt2
    // centred: (1, -1/3, 0), (-1, -1/3, 0), (0, 2/3, 0) (times 1/sqrt2); decoder row e1
    const s = Math.SQRT1_2;
    const vocabulary = { labels: ['a', 'b', 'c'], embeddings: { data: Float32Array.of(s, 0, s, -s, 0, s, 0, s, s), rows: 3, cols: 3 } };
    const decoder = { data: Float32Array.of(1, 0, 0), rows: 1, cols: 3 };
    const centred = await nameLatents({ decoder, vocabulary, top: 3 });
    expect(centred.centeredVocabulary).toBe(true);
    const c = centred.latents[0].candidates;
    expect(c.map((x) => x.label)).toEqual(['a', 'c', 'b']);
    expect(c[0].score).toBeCloseTo(1 / Math.hypot(1, 1 / 3), 6);
    expect(c[1].score).toBeCloseTo(0, 6);
    expect(c[2].score).toBeCloseTo(-1 / Math.hypot(1, 1 / 3), 6);
    const raw = await nameLatents({ decoder, vocabulary, top: 3, centerVocabulary: false });
    expect(raw.latents[0].candidates.map((x) => x.score)).toEqual([expect.closeTo(s, 6), expect.closeTo(0, 6), expect.closeTo(-s, 6)]);
  });

  it('leaves an all-zero (dead) decoder row unnamed', async () => {
    const vocabulary = { labels: ['a', 'b'], embeddings: { data: Float32Array.of(1, 0, 0, 1), rows: 2, cols: 2 } };
    const res = await nameLatents({ decoder: { data: new Float32Array(2), rows: 1, cols: 2 }, vocabulary, thresholds: { minZ: 0, minMargin: 0 } });
    expect(res.latents[0].z).toBe(0);
    expect(res.latents[0].margin).toBe(0);
    expect(res.latents[0].name).toBeNull();
  });
});

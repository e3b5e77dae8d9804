import { describe, expect, it } from 'vitest';
import {
  activationEvidence,
  activationStatistics,
  DEFAULT_THRESHOLDS,
  latentsForConcept,
  nameLatents,
} from '../src/index.js';
import { plantedBenchmark, scoreBenchmark } from '../src/testing.js';

describe('planted-concept benchmark (default thresholds)', () => {
  const bench = plantedBenchmark({ dim: 512, concepts: 100, distractors: 2000, randomLatents: 100, seed: 7 });

  it('names >= 90% of planted latents correctly and leaves >= 90% of random rows unnamed', async () => {
    const res = await nameLatents({ decoder: bench.decoder, vocabulary: bench.vocabulary, normalization: bench.normalization });
    expect(res.mapping).toBe('row');
    expect(res.thresholds).toEqual(DEFAULT_THRESHOLDS);
    const s = scoreBenchmark(bench.truth, res.latents);
    expect(s.plantedCorrect).toBeGreaterThanOrEqual(0.9);
    expect(s.randomUnnamed).toBeGreaterThanOrEqual(0.9);
    // unnamed latents still carry their best guesses
    const unnamed = res.latents.find((l) => l.name === null)!;
    expect(unnamed.candidates).toHaveLength(5);
    expect(unnamed.candidates[0].score).toBeGreaterThanOrEqual(unnamed.candidates[4].score);
    // concept -> latents
    expect(latentsForConcept(res, 'Concept-3').map((l) => l.index)).toEqual([3]);
  });

  it('the paper mapping (row / scale + mean) is dominated by the data mean and names nothing right', async () => {
    const res = await nameLatents({
      decoder: bench.decoder,
      vocabulary: bench.vocabulary,
      normalization: bench.normalization,
      mapping: 'affine',
    });
    const s = scoreBenchmark(bench.truth, res.latents);
    expect(s.plantedTop1).toBeLessThan(0.1);
    // every latent gets the same best guess: the word closest to the image mean
    expect(new Set(res.latents.map((l) => l.candidates[0].label)).size).toBeLessThanOrEqual(3);
  });

  it('a harder setting (d 128, smaller vocabulary) still names >= 85% and leaves >= 90% of random rows unnamed', async () => {
    const hard = plantedBenchmark({ dim: 128, concepts: 80, distractors: 800, randomLatents: 80, seed: 9 });
    const res = await nameLatents({ decoder: hard.decoder, vocabulary: hard.vocabulary });
    const s = scoreBenchmark(hard.truth, res.latents);
    expect(s.plantedCorrect).toBeGreaterThanOrEqual(0.85);
    expect(s.randomUnnamed).toBeGreaterThanOrEqual(0.9);
  });
});

describe('activation evidence on the planted benchmark', () => {
  it("a planted latent's top samples point at its concept; frequencies match the planted counts", async () => {
    const bench = plantedBenchmark({ dim: 128, concepts: 20, distractors: 200, randomLatents: 20, decoderNoise: 0.2, samples: 600, activePerSample: 2, seed: 5 });
    const { dIn, dSae } = { dIn: 128, dSae: bench.decoder.rows };
    // tied SAE: W_enc = W_dec^T, b_dec = 0, b_enc = -3 (a planted latent fires only when its concept is present)
    const W_enc = new Float32Array(dIn * dSae);
    for (let j = 0; j < dSae; j++) for (let i = 0; i < dIn; i++) W_enc[i * dSae + j] = bench.decoder.data[j * dIn + i];
    const encoder = { dIn, dSae, W_enc, b_enc: new Float32Array(dSae).fill(-3), b_dec: new Float32Array(dIn) };
    const latents = [0, 1, 2];
    const stats = await activationStatistics({ data: bench.data, encoder, normalization: bench.normalization, latents, topSamples: 10, rowBlock: 128 });
    for (const l of latents) {
      const planted = bench.sampleConcepts.filter((c) => c.includes(l)).length / bench.data.rows;
      expect(stats.frequency[l]).toBeGreaterThan(planted * 0.8);
      expect(stats.frequency[l]).toBeLessThan(planted * 1.2);
      for (let p = 0; p < 10; p++) expect(bench.sampleConcepts[stats.topRows[latents.indexOf(l) * 10 + p]]).toContain(l);
    }
    const conceptRows = latents.map((l) => {
      const e = bench.vocabulary.labels.indexOf(`concept-${l}`);
      return bench.vocabulary.embeddings.data.subarray(e * dIn, (e + 1) * dIn);
    });
    const ev = activationEvidence(stats, bench.data, conceptRows);
    for (const e of ev) {
      expect(e.topCount).toBe(10);
      expect(e.topCosine).toBeGreaterThan(e.baselineCosine + 0.05);
    }
  });
});

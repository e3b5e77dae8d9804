import { existsSync, readFileSync } from 'node:fs';
import { gemmABt } from '@msae/backend-cpu';
import { readEmbeddings } from '@msae/io';
import { describe, expect, it } from 'vitest';
import { nameWithEvidence } from '../src/index.js';
import { plantedClassBenchmark, precisionAcrossFdr } from '../src/testing.js';

const matmul = gemmABt;

/** Share of planted rows named with their class and of random rows left unnamed. */
function score(truth: (string | null)[], names: (string | null)[]) {
  let planted = 0;
  let right = 0;
  let random = 0;
  let unnamed = 0;
  truth.forEach((t, i) => {
    if (t === null) {
      random++;
      if (names[i] === null) unnamed++;
    } else {
      planted++;
      if (names[i] === t) right++;
    }
  });
  return { plantedRight: right / planted, randomUnnamed: unnamed / random };
}

describe('planted classes (issue 18 layout: 200 noisy class copies at cosine 0.96 + 312 random rows, vocabulary = 1000 classes)', () => {
  it('synthetic class embeddings: >= 90% of planted rows named right, >= 90% of random rows unnamed', async () => {
    const bench = plantedClassBenchmark({ seed: 1801 });
    const res = await nameWithEvidence({ decoder: bench.decoder, vocabulary: bench.vocabulary, matmul, nullSamples: 4096 });
    const s = score(bench.truth, res.decisions.map((d) => d.name));
    expect(s.plantedRight).toBeGreaterThanOrEqual(0.9);
    expect(s.randomUnnamed).toBeGreaterThanOrEqual(0.9);
    // every decision states its numbers
    const d0 = res.decisions[0];
    expect(d0.evidence?.pValue).toBeGreaterThan(0);
    expect(d0.evidence?.qValue).toBeGreaterThanOrEqual(d0.evidence!.pValue);
    expect(d0.summary).toMatch(/null directions/);
  });

  it('precision across FDR levels: planted 0.96 copies are found at every level; random rows are rarely named', async () => {
    const bench = plantedClassBenchmark({ seed: 1802 });
    const res = await nameWithEvidence({ decoder: bench.decoder, vocabulary: bench.vocabulary, matmul, nullSamples: 4096 });
    const pValues = res.decisions.map((d) => d.evidence!.pValue);
    const best = res.decisions.map((d) => d.candidates[0].label);
    const rows = precisionAcrossFdr(bench.truth, best, pValues, [0.01, 0.05, 0.2]);
    for (const r of rows) {
      expect(r.recall).toBeGreaterThanOrEqual(0.9);
      // BH keeps the false share near or under the level: allow sampling slack of 0.05
      expect(1 - r.precision).toBeLessThanOrEqual(r.fdr + 0.05);
    }
    expect(rows[0].named).toBeLessThanOrEqual(rows[2].named);
  });

  const head = '../../../../shared/data/clip-vit-b32/imagenet_zeroshot_1000_512.npy';
  it.skipIf(!existsSync(new URL(head, import.meta.url)))('the real ImageNet zero-shot head (../shared): the same bar', async () => {
    const classes = await readEmbeddings(new URL(head, import.meta.url).pathname);
    const labels = JSON.parse(readFileSync(new URL('../../../../shared/data/imagenet_classes.json', import.meta.url), 'utf8')) as string[];
    const bench = plantedClassBenchmark({ classEmbeddings: classes, classLabels: labels, seed: 1803 });
    const res = await nameWithEvidence({ decoder: bench.decoder, vocabulary: bench.vocabulary, matmul, nullSamples: 4096 });
    const s = score(bench.truth, res.decisions.map((d) => d.name));
    expect(s.plantedRight).toBeGreaterThanOrEqual(0.9);
    expect(s.randomUnnamed).toBeGreaterThanOrEqual(0.9);
  });
});

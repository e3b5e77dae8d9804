/**
 * The playground's naming is issue 18's evidence rule: planted concepts are named with their class and random
 * latents stay unnamed; the evidence record is rendered in words with its own numbers; the shipped example's names
 * satisfy the rule they claim.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeCheckpoint, resolveConfig } from '@msae/core';
import { plantedBenchmark } from '@msae/concepts/testing';
import { describe, expect, it } from 'vitest';
import { checkpointFromFiles } from '../lib/checkpoint-files.js';
import { evidenceSentences, namingSummary, type SiteNaming } from '../lib/evidence-naming.js';
import { evidenceRows, MAX_EVIDENCE_ROWS, nameCheckpoint } from '../lib/latent-naming.js';
import { holdOut, type PlaygroundDataset } from '../lib/session-store.js';

function plantedCase() {
  const bench = plantedBenchmark({ dim: 128, concepts: 24, randomLatents: 40, distractors: 600, decoderNoise: 0.3, samples: 1200, activePerSample: 2, seed: 5 });
  const dim = bench.decoder.cols;
  const dSae = bench.decoder.rows;
  const W_dec = bench.decoder.data;
  const W_enc = new Float32Array(dim * dSae);
  for (let j = 0; j < dSae; j++) for (let d = 0; d < dim; d++) W_enc[d * dSae + j] = W_dec[j * dim + d];
  const config = resolveConfig({ dIn: dim, dSae, architecture: 'msae', k: 8, weighting: 'rw' });
  const { cfgJson, weights } = encodeCheckpoint({ config, params: { W_enc, b_enc: new Float32Array(dSae), W_dec, b_dec: new Float32Array(dim) }, normalization: bench.normalization });
  const ck = checkpointFromFiles(cfgJson, weights, 'planted');
  const x = bench.data;
  const dataset: PlaygroundDataset = { name: 'planted', kind: 'file', x, val: holdOut(x).val };
  return { bench, ck, dataset };
}

describe('evidence naming in the playground', () => {
  it('names planted latents with their class, leaves random ones unnamed, and says why in words', async () => {
    const { bench, ck, dataset } = plantedCase();
    const naming = await nameCheckpoint(ck, bench.vocabulary, dataset);
    expect(naming.method).toBe('evidence');
    const planted = bench.truth.map((t, j) => [t, naming.latents[j].name] as const).filter(([t]) => t !== null);
    const random = bench.truth.map((t, j) => [t, naming.latents[j].name] as const).filter(([t]) => t === null);
    expect(planted.filter(([t, n]) => t === n).length / planted.length).toBeGreaterThanOrEqual(0.9);
    expect(random.filter(([, n]) => n !== null).length / random.length).toBeLessThanOrEqual(0.1);
    const rule = naming.evidenceRule!;
    expect(rule.data?.rows).toBe(holdOut(dataset.x).train.rows);
    for (const l of naming.latents.filter((v) => v.name)) {
      expect(l.evidence!.qValue).toBeLessThanOrEqual(rule.fdr);
      expect(l.evidence!.validateRank).toBeLessThanOrEqual(rule.maxEvidenceRank);
      expect(l.evidence!.lift).toBeGreaterThan(0);
    }
    const named = naming.latents.find((l) => l.name)!;
    const words = evidenceSentences(named, naming, 'planted').join(' ');
    expect(words).toContain(`"${named.name}"`);
    expect(words).toContain(`AUROC ${named.evidence!.auroc!.toFixed(2)}`);
    expect(words).toContain(`ranks ${named.evidence!.validateRank} of ${bench.vocabulary.labels.length}`);
    expect(words).toContain(`So the latent is named "${named.name}"`);
    const unnamed = naming.latents.find((l, j) => !l.name && bench.truth[j] === null)!;
    expect(evidenceSentences(unnamed, naming, 'planted').at(-1)).toMatch(/left unnamed .* is only a guess/);
    expect(namingSummary(naming)).toContain(`${naming.named} named by the evidence rule`);
  });

  it('without data only the decoder test decides (the example items never name another checkpoint)', async () => {
    const { bench, ck } = plantedCase();
    const example: PlaygroundDataset = { name: 'example', kind: 'example', x: bench.data, val: holdOut(bench.data).val };
    const naming = await nameCheckpoint(ck, bench.vocabulary, example);
    expect(naming.evidenceRule!.data).toBeUndefined();
    expect(naming.latents.every((l) => l.evidence!.auroc === undefined)).toBe(true);
    expect(naming.named).toBe(naming.evidenceRule!.decoderSignificant);
  });

  it('evidence comes from the rows the checkpoint could have seen, at most MAX_EVIDENCE_ROWS of them', () => {
    const { ck } = plantedCase();
    const cols = ck.config.dIn;
    const big = { data: new Float32Array(5000 * cols), rows: 5000, cols };
    const file: PlaygroundDataset = { name: 'big', kind: 'file', x: big, val: holdOut(big).val };
    const rows = evidenceRows(ck, file)!;
    expect([rows.evidence.rows, rows.heldOut.rows]).toEqual([MAX_EVIDENCE_ROWS, 500]);
    expect(evidenceRows(ck, { ...file, kind: 'example' })).toBeNull(); // the example's items, another checkpoint
    expect(evidenceRows(ck, { ...file, x: { data: new Float32Array(12), rows: 4, cols: 3 } })).toBeNull(); // other width
  });

  it("the shipped example's names pass the rule they claim, with the held-out counts of its record", () => {
    const file = fileURLToPath(new URL('../public/example/names.json', import.meta.url));
    const naming = JSON.parse(readFileSync(file, 'utf8')) as SiteNaming;
    const rule = naming.evidenceRule!;
    const named = naming.latents.filter((l) => l.name);
    expect(named.length).toBe(naming.named);
    for (const l of named) {
      expect(l.evidence!.qValue).toBeLessThanOrEqual(rule.fdr);
      expect(l.evidence!.validateRank).toBeLessThanOrEqual(rule.maxEvidenceRank);
    }
    const checked = named.filter((l) => l.evidence!.holdsUp !== undefined);
    expect(checked.length).toBe(rule.heldOut!.checkable);
    expect(checked.filter((l) => l.evidence!.holdsUp).length).toBe(rule.heldOut!.holdsUp);
    const c = checked[0];
    expect(evidenceSentences(c, naming, 'Detic').join(' ')).toContain(`"${c.name}" ranks ${c.evidence!.heldOutRank} by lift`);
  });
});

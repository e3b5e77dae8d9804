import { describe, expect, it } from 'vitest';
import { conceptDirection, conceptLatentSet, conceptResidue, conceptScores, parseEdit, resolveEdits, residueVerdict, steer } from '../src/index.js';
import { identitySae, rowsOf } from './planted-dictionary.js';

// the concept "mountain" is spread over latents 1 and 2 (t = (e1 + e2) / sqrt 2); only latent 1 is named
const d = 10;
const model = identitySae(d);
const decoder = { data: model.params.W_dec, rows: d, cols: d };
const t = new Float32Array(d);
t[1] = t[2] = Math.SQRT1_2;
const naming = {
  latents: [
    { index: 1, name: 'mountain', score: 0.4, margin: 0.1, z: 8, candidates: [{ label: 'mountain' }] },
    { index: 2, name: null, score: 0.2, margin: 0.01, z: 3, candidates: [{ label: 'hill' }] },
  ],
};
const concept = rowsOf(d, [{ 1: 1, 2: 1, 7: 1 }, { 1: 1, 2: 1, 7: 1 }]);
const others = rowsOf(d, [{ 4: 1 }, { 5: 1, 6: 1 }, { 7: 1 }]);

describe('concept-level edits', () => {
  it('a concept maps to its named latents and every latent whose decoder direction aligns with its text direction', () => {
    const set = conceptLatentSet({ decoder, direction: t, concept: 'mountain', naming, threshold: 0.3 });
    expect(set.carriers).toEqual([
      { latent: 1, named: true, alignment: expect.closeTo(Math.SQRT1_2, 6) },
      { latent: 2, named: false, alignment: expect.closeTo(Math.SQRT1_2, 6) },
    ]);
    expect(conceptLatentSet({ decoder, direction: t, concept: 'mountain', naming, threshold: 0.8 }).carriers.map((c) => c.latent)).toEqual([1]);
  });

  it('ablation residue: the named latent alone leaves sqrt(3/8) of the concept (it survives); every carrier removes it', async () => {
    const baseline = conceptScores(others, t).reduce((a, b) => a + b, 0) / others.rows;
    expect(baseline).toBe(0);
    // x = e1 + e2 + e7: cos(x, t) = sqrt(2) / sqrt(3); named only: x' = e2 + e7, cos = 1/2; residue = (1/2) / sqrt(2/3) = sqrt(3/8)
    const namedOnly = await steer(model, concept, resolveEdits([parseEdit('mountain=0')], d, naming));
    const r1 = conceptResidue({ x: concept, steered: namedOnly, direction: t, baseline });
    expect(r1.before).toBeCloseTo(Math.sqrt(2 / 3), 6);
    expect(r1.after).toBeCloseTo(0.5, 6);
    expect(r1.residue).toBeCloseTo(Math.sqrt(3 / 8), 6);
    expect(r1.survives).toBe(true);
    expect(residueVerdict('mountain', r1)).toMatch(/SURVIVES.*61%/);
    const set = conceptLatentSet({ decoder, direction: t, concept: 'mountain', naming });
    const all = resolveEdits([parseEdit('mountain=0')], d, naming, { conceptLatents: () => set.carriers.map((c) => c.latent) });
    expect(all.map((e) => e.latent)).toEqual([1, 2]);
    const r2 = conceptResidue({ x: concept, steered: await steer(model, concept, all), direction: t, baseline });
    expect(r2.residue).toBeCloseTo(0, 6);
    expect(r2.survives).toBe(false);
    expect(residueVerdict('mountain', r2)).toMatch(/removed: 0%/);
  });

  it('a kept class decision also counts as survival', () => {
    const r = conceptResidue({ x: concept, steered: concept, direction: t, baseline: 0, classified: { before: 13, after: 10 } });
    expect(r.survives).toBe(true);
    expect(residueVerdict('mountain', r)).toMatch(/10 of 13 rows still classified/);
  });

  it('concept text direction: centred on the vocabulary mean and unit length', () => {
    const labels = ['Mountain', 'beach', 'dog'];
    const embeddings = rowsOf(3, [{ 0: 1 }, { 1: 1 }, { 2: 1 }]);
    const v = conceptDirection({ labels, embeddings }, 'mountain');
    // e0 - (1,1,1)/3 = (2, -1, -1)/3, normalized
    expect(Array.from(v)).toEqual([expect.closeTo(2 / Math.sqrt(6), 6), expect.closeTo(-1 / Math.sqrt(6), 6), expect.closeTo(-1 / Math.sqrt(6), 6)]);
    expect(Array.from(conceptDirection({ labels, embeddings }, 'mountain', { center: false }))).toEqual([1, 0, 0]);
    expect(() => conceptDirection({ labels, embeddings }, 'cat')).toThrow(/not in the naming result|cat/);
  });
});

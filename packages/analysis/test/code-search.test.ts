import { createRng } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { codeIndex, codeSearch, dedupeHits, denseCodes, encodeRows, sparsifyCodes } from '../src/index.js';
import { identitySae, rowsOf } from './planted-dictionary.js';

describe('search in SAE code space', () => {
  it('equals a brute-force idf-weighted cosine of the codes', () => {
    const rng = createRng(4);
    const rows = 60, dSae = 24;
    const dense = new Float32Array(rows * dSae);
    for (let i = 0; i < dense.length; i++) if (rng.uniform() < 0.2) dense[i] = rng.uniform();
    const codes = sparsifyCodes(dense, rows, dSae);
    const index = codeIndex(codes);
    const queries = sparsifyCodes(dense.slice(0, 3 * dSae), 3, dSae);
    const hits = codeSearch(index, queries, { k: 5 });
    const df = Array.from({ length: dSae }, (_, j) => Array.from({ length: rows }, (_, r) => dense[r * dSae + j] > 0).filter(Boolean).length);
    const w = df.map((n) => Math.log((rows + 1) / (n + 1)));
    const wz = (r: number) => Array.from({ length: dSae }, (_, j) => w[j] * dense[r * dSae + j]);
    const cos = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0) / Math.sqrt(a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0));
    for (let q = 0; q < 3; q++) {
      const brute = Array.from({ length: rows }, (_, r) => [r, cos(wz(q), wz(r))] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      expect(Array.from(hits.rows.subarray(q * 5, q * 5 + 5))).toEqual(brute.slice(0, 5).map(([r]) => r));
      for (let t = 0; t < 5; t++) expect(hits.scores[q * 5 + t]).toBeCloseTo(brute[t][1], 5);
    }
  });

  it('planted: a shared rare concept outranks a shared common one', async () => {
    // latent 0 fires everywhere (e.g. "photo"), latent 3 is rare; the query has both
    const d = 6;
    const model = identitySae(d);
    const collection = rowsOf(d, [{ 0: 1, 1: 1 }, { 0: 1, 2: 1 }, { 0: 1, 3: 0.5, 4: 0.4 }, { 0: 2, 1: 0.1 }, { 0: 1, 5: 1 }]);
    const index = codeIndex(await encodeRows(model, collection));
    expect(index.weights[0]).toBeCloseTo(Math.log(6 / 6), 10);
    const query = await encodeRows(model, rowsOf(d, [{ 0: 3, 3: 0.3 }]));
    const hits = codeSearch(index, query, { k: 2 });
    expect(hits.rows[0]).toBe(2);
    expect(Array.from(denseCodes(query))).toEqual([3, 0, 0, expect.closeTo(0.3, 6), 0, 0]);
  });

  it('dedupe drops near-duplicate hits and the query\'s own row, keeping k', async () => {
    const m = rowsOf(3, [{ 0: 1 }, { 0: 1, 1: 0.01 }, { 0: 1, 1: 0.5 }, { 1: 1 }, { 0: 1 }]);
    const hits = { queries: 1, k: 5, rows: Int32Array.from([0, 4, 1, 2, 3]), scores: Float32Array.from([1, 1, 0.99, 0.9, 0.1]) };
    const vectorsOf = async (rows: number[]) => rows.map((r) => m.data.slice(r * 3, r * 3 + 3));
    const out = await dedupeHits(hits, vectorsOf, { k: 3, threshold: 0.98 });
    expect(Array.from(out.rows)).toEqual([0, 2, 3]);
    expect(out.dropped[0]).toBe(2);
    const noSelf = await dedupeHits(hits, vectorsOf, { k: 3, exclude: (_, r) => r === 0 });
    expect(Array.from(noSelf.rows)).toEqual([4, 2, 3]);
    // the query's own embedding counts as kept: its copy (row 4) goes too
    const noCopies = await dedupeHits(hits, vectorsOf, { k: 3, exclude: (_, r) => r === 0, keptBefore: () => m.data.slice(0, 3) });
    expect(Array.from(noCopies.rows)).toEqual([2, 3, -1]);
  });
});

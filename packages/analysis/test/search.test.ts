import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddingStream, writeEmbeddings } from '@msae/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLanceIndex, conceptSearch, createSaeModel, encodeRows, denseCodes, exactSearch, openLanceIndex, recallAtK, ShapeMismatchError } from '../src/index.js';
import { randomSae, unitData } from './fixtures.js';

/** Brute force: every cosine, sorted (ties by row). */
function bruteForce(q: Float32Array, x: Float32Array, rows: number, d: number, k: number, allow?: (r: number) => boolean): number[] {
  let qn = 0;
  for (let t = 0; t < d; t++) qn += q[t] * q[t];
  const scored: Array<[number, number]> = [];
  for (let r = 0; r < rows; r++) {
    if (allow && !allow(r)) continue;
    let dot = 0;
    let n = 0;
    for (let t = 0; t < d; t++) (dot += q[t] * x[r * d + t]), (n += x[r * d + t] ** 2);
    scored.push([dot / Math.sqrt(qn * n), r]);
  }
  scored.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  return scored.slice(0, k).map((s) => s[1]);
}

const d = 16;
const collection = unitData(1000, d, 5);
// scale rows so cosine differs from the dot product
for (let r = 0; r < collection.rows; r++) for (let t = 0; t < d; t++) collection.data[r * d + t] *= 1 + (r % 7);
const queries = unitData(9, d, 6);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-search-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('exact search', () => {
  it('equals a brute-force scan, in memory with blocks smaller than the collection', async () => {
    const hits = await exactSearch(queries, collection, { k: 10, blockRows: 77 });
    for (let q = 0; q < queries.rows; q++) {
      const expected = bruteForce(queries.data.subarray(q * d, (q + 1) * d), collection.data, collection.rows, d, 10);
      expect(Array.from(hits.rows.subarray(q * 10, (q + 1) * 10))).toEqual(expected);
    }
  });

  it('streams from an embedding file with the same answer, and filters rows', async () => {
    const file = join(dir, 'collection.npy');
    await writeEmbeddings(file, collection);
    const stream = await openEmbeddingStream(file);
    const allow = (r: number) => r % 3 === 0;
    const hits = await exactSearch(queries, () => stream.batches({ batchSize: 128 }), { k: 5, allow });
    await stream.close();
    for (let q = 0; q < queries.rows; q++) {
      const expected = bruteForce(queries.data.subarray(q * d, (q + 1) * d), collection.data, collection.rows, d, 5, allow);
      expect(Array.from(hits.rows.subarray(q * 5, (q + 1) * 5))).toEqual(expected);
    }
  });

  it('pads a collection smaller than k and rejects a width mismatch', async () => {
    const small = { data: collection.data.slice(0, 3 * d), rows: 3, cols: d };
    const hits = await exactSearch(queries, small, { k: 5 });
    expect(Array.from(hits.rows.subarray(3, 5))).toEqual([-1, -1]);
    await expect(exactSearch(unitData(1, d + 1), collection)).rejects.toThrow(ShapeMismatchError);
  });
});

describe('concept search', () => {
  it('ranks rows by the summed activation of the concept\'s latents (every positive code)', async () => {
    const sae = randomSae(d, 40, 3);
    const model = createSaeModel(sae);
    const latents = [2, 17];
    const hits = await conceptSearch(model, latents, collection, { k: 8, blockRows: 100 });
    const z = denseCodes(await encodeRows(model, collection));
    const score = (r: number) => z[r * 40 + 2] + z[r * 40 + 17];
    const order = Array.from({ length: collection.rows }, (_, r) => r).sort((a, b) => score(b) - score(a) || a - b);
    expect(Array.from(hits.rows)).toEqual(order.slice(0, 8));
    for (let t = 0; t < 8; t++) expect(hits.scores[t]).toBeCloseTo(score(order[t]), 4);
  });
});

describe('LanceDB index', () => {
  it('flat index agrees with exact search (recall@10 = 1), stores codes, filters by label', async () => {
    const sae = randomSae(d, 40, 3);
    const model = createSaeModel(sae);
    const labels = Array.from({ length: collection.rows }, (_, r) => (r % 2 ? 'odd' : 'even'));
    const ids = Array.from({ length: collection.rows }, (_, r) => `img${r}`);
    const built = await buildLanceIndex({ dir: join(dir, 'lance'), source: collection, ids, labels, model, topCodes: 4 });
    expect(built).toMatchObject({ rows: 1000, dim: d, ann: false });
    expect(built.indexSeconds).toBeLessThan(built.seconds);
    const index = await openLanceIndex(join(dir, 'lance'));
    try {
      expect(index.rows).toBe(1000);
      const exact = await exactSearch(queries, collection, { k: 10 });
      const approx = await index.query(queries, { k: 10 });
      expect(recallAtK(exact.rows, approx, 10)).toBe(1);
      expect(approx[0][0].score).toBeCloseTo(exact.scores[0], 4);
      const top = approx[0][0];
      expect(top.id).toBe(`img${top.row}`);
      const codes = await encodeRows(model, { data: collection.data.slice(top.row * d, (top.row + 1) * d), rows: 1, cols: d }, { k: 4 });
      expect(top.codes).toEqual(Array.from(codes.indices));
      const [v5, missing] = await index.vectors([5, 5000]);
      expect(missing).toBeUndefined();
      const n5 = Math.hypot(...collection.data.subarray(5 * d, 6 * d));
      for (let t = 0; t < d; t++) expect(v5![t]).toBeCloseTo(collection.data[5 * d + t] / n5, 6);
      const odd = await index.query(queries, { k: 5, label: 'odd' });
      const exactOdd = await exactSearch(queries, collection, { k: 5, allow: (r) => r % 2 === 1 });
      expect(odd.every((hs) => hs.every((h) => h.label === 'odd' && h.row % 2 === 1))).toBe(true);
      expect(recallAtK(exactOdd.rows, odd, 5)).toBe(1);
    } finally {
      index.close();
    }
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisError, annQueryDefaults, buildLanceIndex, exactSearch, fromLanceIndexType, openLanceIndex, recallAtK } from '../src/index.js';
import { annIndexConfig } from '../src/lance-ann.js';
import { importLance } from '../src/lance-index.js';
import { unitData } from './fixtures.js';

const d = 16;
const collection = unitData(2000, d, 11);
const queries = unitData(20, d, 12);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-lance-ann-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LanceDB ANN index types', () => {
  it('hnsw-sq (the default) with its default query knobs agrees with exact search (recall@10 >= 0.95)', async () => {
    const built = await buildLanceIndex({ dir: join(dir, 'hnsw'), source: collection, annMinRows: 1 });
    expect(built).toMatchObject({ rows: 2000, ann: true, indexType: 'hnsw-sq' });
    const index = await openLanceIndex(join(dir, 'hnsw'));
    try {
      expect(index.indexType).toBe('hnsw-sq');
      const exact = await exactSearch(queries, collection, { k: 10 });
      const approx = await index.query(queries, { k: 10 });
      expect(recallAtK(exact.rows, approx, 10)).toBeGreaterThanOrEqual(0.95);
      // refined hits carry the true cosine: the best hit's score equals the exact top score
      for (let q = 0; q < queries.rows; q++) expect(approx[q][0].score).toBeCloseTo(exact.scores[q * 10], 4);
    } finally {
      index.close();
    }
  });

  it('ivf-flat probing every partition is exact (recall@10 = 1); probing one is not better', async () => {
    const built = await buildLanceIndex({ dir: join(dir, 'flat'), source: collection, annMinRows: 1, indexType: 'ivf-flat', numPartitions: 8 });
    expect(built.indexType).toBe('ivf-flat');
    const index = await openLanceIndex(join(dir, 'flat'));
    try {
      expect(index.indexType).toBe('ivf-flat');
      const exact = await exactSearch(queries, collection, { k: 10 });
      expect(recallAtK(exact.rows, await index.query(queries, { k: 10, nprobes: 8 }), 10)).toBe(1);
      const one = recallAtK(exact.rows, await index.query(queries, { k: 10, nprobes: 1 }), 10);
      expect(one).toBeLessThan(1);
    } finally {
      index.close();
    }
  });

  it('maps LanceDB index type names, rejects an unknown type, has per-type query defaults', async () => {
    expect(fromLanceIndexType('IvfHnswSq')).toBe('hnsw-sq');
    expect(fromLanceIndexType('IVF_PQ')).toBe('ivf-pq');
    expect(fromLanceIndexType('BTree')).toBeUndefined();
    const { lancedb } = await importLance();
    expect(() => annIndexConfig(lancedb, 100, d, { indexType: 'lsh' as never })).toThrow(AnalysisError);
    expect(annQueryDefaults('hnsw-sq')).toEqual({ nprobes: 16, refineFactor: 10, ef: 4000 });
    expect(annQueryDefaults('ivf-pq').refineFactor).toBeGreaterThan(0);
  });
});

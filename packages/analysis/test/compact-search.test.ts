import { describe, expect, it } from 'vitest';
import { compactCollection, compactSearch, exactSearch, int8Int8MatmulABt, int8MatmulABt, ShapeMismatchError } from '../src/index.js';
import { unitData } from './fixtures.js';

const d = 64;
const collection = unitData(3000, d, 11);
// rows of varied length, so cosine differs from the dot product
for (let r = 0; r < collection.rows; r++) for (let t = 0; t < d; t++) collection.data[r * d + t] *= 0.5 + (r % 5);
const queries = unitData(20, d, 12);

describe('compact collection', () => {
  it('stores each unit row within half a quantization step: |u - scale * code| <= scale / 2', () => {
    const c = compactCollection(collection);
    expect(c.codes.length).toBe(collection.rows * d);
    let worst = -Infinity; // max over entries of |u - scale * code| - scale / 2
    for (let r = 0; r < collection.rows; r++) {
      let n = 0;
      for (let t = 0; t < d; t++) n += collection.data[r * d + t] ** 2;
      let peak = 0;
      for (let t = 0; t < d; t++) {
        const u = collection.data[r * d + t] / Math.sqrt(n);
        peak = Math.max(peak, Math.abs(c.codes[r * d + t]));
        worst = Math.max(worst, Math.abs(u - c.scale[r] * c.codes[r * d + t]) - c.scale[r] / 2);
      }
      if (peak !== 127) throw new Error(`row ${r}: largest code ${peak}, expected 127 (the full range)`);
    }
    expect(worst).toBeLessThanOrEqual(1e-7);
  });

  it('scores within the quantization bound without rescoring: |approx - cos| <= sum_t |q_t| scale / 2', async () => {
    const c = compactCollection(collection);
    const exact = await exactSearch(queries, collection, { k: 10 });
    const approx = await compactSearch(queries, c, { k: 10 });
    const scores = int8MatmulABt({ data: queries.data, rows: queries.rows, cols: d }, c);
    for (let i = 0; i < queries.rows; i++) {
      let l1 = 0;
      for (let t = 0; t < d; t++) l1 += Math.abs(queries.data[i * d + t]);
      for (let t = 0; t < 10; t++) {
        const row = exact.rows[i * 10 + t];
        expect(Math.abs(scores[i * c.rows + row] - exact.scores[i * 10 + t])).toBeLessThanOrEqual((l1 * c.scale[row]) / 2 + 1e-5);
      }
      // the approximate top score is within the same bound of the true best
      expect(Math.abs(approx.scores[i * 10] - exact.scores[i * 10])).toBeLessThan(0.02);
    }
  });

  it('finds the exact top 10 (recall@10 >= 0.99) after rescoring 4k candidates, with exact scores', async () => {
    const c = compactCollection(collection);
    const exact = await exactSearch(queries, collection, { k: 10 });
    const hits = await compactSearch(queries, c, { k: 10, refine: 4, rescore: collection });
    let found = 0;
    for (let i = 0; i < queries.rows; i++) {
      const truth = new Set(exact.rows.subarray(i * 10, i * 10 + 10));
      for (let t = 0; t < 10; t++) found += truth.has(hits.rows[i * 10 + t]) ? 1 : 0;
    }
    expect(found / (10 * queries.rows)).toBeGreaterThanOrEqual(0.99);
    for (let t = 0; t < hits.rows.length; t++) {
      const at = Array.from(exact.rows).indexOf(hits.rows[t]);
      if (at >= 0 && Math.floor(at / 10) === Math.floor(t / 10)) expect(hits.scores[t]).toBeCloseTo(exact.scores[at], 5);
    }
  });

  it('rescoring reads only the candidate rows through a reader function', async () => {
    const c = compactCollection(collection);
    const asked: number[] = [];
    const reader = (rows: Int32Array) => {
      asked.push(rows.length);
      const data = new Float32Array(rows.length * d);
      rows.forEach((r, i) => data.set(collection.data.subarray(r * d, (r + 1) * d), i * d));
      return { data, rows: rows.length, cols: d };
    };
    const viaReader = await compactSearch(queries, c, { k: 5, refine: 3, rescore: reader });
    const viaMatrix = await compactSearch(queries, c, { k: 5, refine: 3, rescore: collection });
    expect(asked).toEqual([queries.rows * 15]);
    expect(Array.from(viaReader.rows)).toEqual(Array.from(viaMatrix.rows));
  });

  it('more than 32 queries score decoded float32 blocks: the same hits as the int8 kernel path', async () => {
    const c = compactCollection(collection);
    const many = unitData(40, d, 13);
    const batch = await compactSearch(many, c, { k: 10, refine: 4, rescore: collection, blockRows: 1000 });
    for (let i = 0; i < many.rows; i += 13) {
      const one = { data: many.data.subarray(i * d, (i + 1) * d), rows: 1, cols: d };
      const single = await compactSearch(one, c, { k: 10, refine: 4, rescore: collection });
      expect(Array.from(batch.rows.subarray(i * 10, i * 10 + 10))).toEqual(Array.from(single.rows));
    }
  });

  it('int8 queries (int8 x int8 scores): recall@10 >= 0.99 after rescoring, for 1 and 40 queries, and the native kernel gives the same hits', async () => {
    const c = compactCollection(collection);
    const many = unitData(40, d, 14);
    const exact = await exactSearch(many, collection, { k: 10 });
    const hits = await compactSearch(many, c, { k: 10, refine: 4, rescore: collection, matmulInt8Int8: int8Int8MatmulABt, blockRows: 1000 });
    let found = 0;
    for (let i = 0; i < many.rows; i++) {
      const truth = new Set(exact.rows.subarray(i * 10, i * 10 + 10));
      for (let t = 0; t < 10; t++) found += truth.has(hits.rows[i * 10 + t]) ? 1 : 0;
    }
    expect(found / (10 * many.rows)).toBeGreaterThanOrEqual(0.99);
    const one = { data: many.data.subarray(0, d), rows: 1, cols: d };
    const single = await compactSearch(one, c, { k: 10, refine: 4, rescore: collection, matmulInt8Int8: int8Int8MatmulABt });
    expect(Array.from(single.rows)).toEqual(Array.from(hits.rows.subarray(0, 10)));
    const cpu = await import('@msae/backend-cpu').catch(() => undefined);
    if (cpu?.nativeKernelInfo().variant) {
      const native = await compactSearch(many, c, { k: 10, refine: 4, rescore: collection, matmulInt8Int8: cpu.gemmInt8Int8ABt, blockRows: 1000 });
      expect(Array.from(native.rows)).toEqual(Array.from(hits.rows));
    }
  });

  it('rejects queries of another width with a ShapeMismatchError', async () => {
    await expect(compactSearch(unitData(1, 8), compactCollection(collection))).rejects.toBeInstanceOf(ShapeMismatchError);
  });
});

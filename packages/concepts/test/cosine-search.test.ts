import { Rng } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { cosineSearch, scoreStatistics } from '../src/index.js';

function random(rng: Rng, rows: number, cols: number) {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal() * (1 + (i % 3));
  return { data, rows, cols };
}

function cos(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] ** 2; bb += b[i] ** 2; }
  return ab / Math.sqrt(aa * bb);
}

describe('cosineSearch', () => {
  it('matches brute force (top list, mean, std) with blocks smaller than the inputs', async () => {
    const rng = new Rng(11);
    const q = random(rng, 10, 6);
    const k = random(rng, 23, 6);
    const res = await cosineSearch(q, k, { keep: 4, rowBlock: 3, keyBlock: 5 });
    for (let r = 0; r < q.rows; r++) {
      const all = Array.from({ length: k.rows }, (_, j) => cos(q.data.subarray(r * 6, r * 6 + 6), k.data.subarray(j * 6, j * 6 + 6)));
      const order = all.map((s, j) => [s, j]).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
      expect(Array.from(res.indices.subarray(r * 4, r * 4 + 4))).toEqual(order.slice(0, 4).map((x) => x[1]));
      order.slice(0, 4).forEach(([s], p) => expect(res.scores[r * 4 + p]).toBeCloseTo(s, 5));
      const { mean, std } = scoreStatistics(all);
      expect(res.mean[r]).toBeCloseTo(mean, 6);
      expect(res.std[r]).toBeCloseTo(std, 5);
    }
  });

  it('keeps the lower key index on ties and caps keep at the number of keys', async () => {
    const q = { data: Float32Array.of(1, 0), rows: 1, cols: 2 };
    const k = { data: Float32Array.of(0, 1, 2, 0, 1, 0), rows: 3, cols: 2 };
    const res = await cosineSearch(q, k, { keep: 10, keyBlock: 1 });
    expect(res.keep).toBe(3);
    expect(Array.from(res.indices)).toEqual([1, 2, 0]);
    expect(Array.from(res.scores)).toEqual([1, 1, 0]);
  });

  it('uses the injected matmul for every block', async () => {
    const rng = new Rng(2);
    const calls: [number, number][] = [];
    const res = await cosineSearch(random(rng, 5, 3), random(rng, 7, 3), {
      keep: 2,
      rowBlock: 2,
      keyBlock: 4,
      matmul: async (a, b) => {
        calls.push([a.rows, b.rows]);
        const out = new Float32Array(a.rows * b.rows);
        for (let i = 0; i < a.rows; i++) for (let j = 0; j < b.rows; j++) for (let c = 0; c < 3; c++) out[i * b.rows + j] += a.data[i * 3 + c] * b.data[j * 3 + c];
        return out;
      },
    });
    expect(calls).toEqual([[2, 4], [2, 3], [2, 4], [2, 3], [1, 4], [1, 3]]);
    expect(res.rows).toBe(5);
  });
});

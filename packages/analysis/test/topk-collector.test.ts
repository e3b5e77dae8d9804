import { Rng } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { TopKCollector } from '../src/topk-collector.js';

describe('TopKCollector', () => {
  const rng = new Rng(5);
  const [queries, rows, k] = [3, 500, 7];
  const block = new Float32Array(queries * rows).map(() => rng.normal());
  const scale = new Float32Array(rows).map(() => 0.5 + Math.abs(rng.normal()));
  // a tie across rows: the lower row wins
  block[10] = block[20] = 9;

  it('keeps the k best per query, best first, ties to the lower row (a sort of all scores)', () => {
    // two blocks of 250 rows, each [queries, 250]
    const second = new Float32Array(queries * 250);
    for (let q = 0; q < queries; q++) second.set(block.subarray(q * rows + 250, q * rows + rows), q * 250);
    const first = new Float32Array(queries * 250);
    for (let q = 0; q < queries; q++) first.set(block.subarray(q * rows, q * rows + 250), q * 250);
    const c2 = new TopKCollector(queries, k);
    c2.offerBlock(first, 250, 0);
    c2.offerBlock(second, 250, 250);
    const hits = c2.result();
    for (let q = 0; q < queries; q++) {
      const want = Array.from({ length: rows }, (_, r) => r).sort((a, b) => block[q * rows + b] - block[q * rows + a] || a - b).slice(0, k);
      expect(Array.from(hits.rows.subarray(q * k, q * k + k))).toEqual(want);
    }
    expect(Array.from(hits.rows.subarray(0, 2))).toEqual([10, 20]);
    expect(hits.k).toBe(k);
  });

  it('rowScale gives the same hits and scores as offering the scaled block (stored as float32)', () => {
    const scaled = new Float32Array(block.length);
    for (let q = 0; q < queries; q++) for (let r = 0; r < rows; r++) scaled[q * rows + r] = block[q * rows + r] * scale[r]; // score * 1/|row|
    const a = new TopKCollector(queries, k);
    a.offerBlock(block, rows, 100, undefined, scale);
    const b = new TopKCollector(queries, k);
    b.offerBlock(scaled, rows, 100);
    expect(Array.from(a.result().rows)).toEqual(Array.from(b.result().rows));
    expect(Array.from(a.result().scores)).toEqual(Array.from(b.result().scores));
    const odd = (r: number) => r % 2 === 1; // with a filter too
    const fa = new TopKCollector(queries, k);
    fa.offerBlock(block, rows, 0, odd, scale);
    const fb = new TopKCollector(queries, k);
    fb.offerBlock(scaled, rows, 0, odd);
    expect(Array.from(fa.result().rows)).toEqual(Array.from(fb.result().rows));
    expect(Array.from(fa.result().rows).every(odd)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { Rng } from '../src/rng.js';
import { nestedLevelsPerRow, batchTopKMask, kthLargest, rankRows, topKIndicesPerRow, topKMaskPerRow, keepTopKPerRow } from '../src/topk-selection.js';

/** Brute force: indices sorted by (value desc, index asc). */
function sortedIdx(v: ArrayLike<number>, off: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => (v[off + b] - v[off + a]) || a - b);
}

describe('topk selection', () => {
  const rng = new Rng(7);
  it('kthLargest matches a sort on random and tie-heavy arrays', () => {
    for (let t = 0; t < 200; t++) {
      const n = 1 + rng.int(60);
      const v = new Float64Array(n).map(() => (t % 2 ? rng.int(4) : rng.normal()));
      const sorted = Array.from(v).sort((a, b) => b - a);
      const k = 1 + rng.int(n);
      expect(kthLargest(v, k)).toBe(sorted[k - 1]);
    }
  });
  it('per-row TopK indices, masks and ranks match brute force with ties by lower index', () => {
    for (let t = 0; t < 50; t++) {
      const rows = 1 + rng.int(5);
      const cols = 1 + rng.int(40);
      const v = new Float32Array(rows * cols).map(() => (t % 2 ? rng.int(3) : rng.normal()));
      const k = 1 + rng.int(cols);
      const idx = topKIndicesPerRow(v, rows, cols, k);
      const mask = topKMaskPerRow(v, rows, cols, k);
      const ranks = rankRows(v, rows, cols, k);
      for (let b = 0; b < rows; b++) {
        const exp = sortedIdx(v, b * cols, cols);
        expect(Array.from(idx.subarray(b * k, (b + 1) * k))).toEqual(exp.slice(0, k));
        for (let r = 0; r < cols; r++) {
          expect(mask[b * cols + exp[r]]).toBe(r < k ? 1 : 0);
          expect(ranks[b * cols + exp[r]]).toBe(Math.min(r, k));
        }
      }
    }
  });
  it('batch TopK keeps the count largest entries, ties by lower flat index', () => {
    const v = new Float32Array([1, 3, 2, 3, 0, 3, 1, 2]);
    expect(Array.from(batchTopKMask(v, 2))).toEqual([0, 1, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(batchTopKMask(v, 5))).toEqual([0, 1, 1, 1, 0, 1, 0, 1]);
    for (let t = 0; t < 30; t++) {
      const n = 1 + rng.int(80);
      const w = new Float32Array(n).map(() => rng.int(5));
      const c = rng.int(n + 1);
      const exp = sortedIdx(w, 0, n).slice(0, c);
      const m = batchTopKMask(w, c);
      expect(m.reduce((a, b) => a + b, 0)).toBe(c);
      for (const i of exp) expect(m[i]).toBe(1);
    }
  });
  it('keepTopKPerRow zeroes everything but the k largest', () => {
    const v = new Float32Array([0.5, 2, 1, 0, 4, 3, 3, 1]);
    expect(Array.from(keepTopKPerRow(v, 2, 4, 2))).toEqual([0, 2, 1, 0, 4, 3, 0, 0]);
  });
  it('nestedLevelsPerRow: first level whose k exceeds the rank, with ties', () => {
    for (let t = 0; t < 40; t++) {
      const rows = 1 + rng.int(4);
      const cols = 2 + rng.int(40);
      const v = new Float32Array(rows * cols).map(() => (t % 2 ? rng.int(3) : Math.max(0, rng.normal())));
      const nesting: number[] = [];
      for (let k = 1 + rng.int(3); k < cols; k *= 2) nesting.push(k);
      if (t % 3) nesting.push(cols);
      const levels = nestedLevelsPerRow(v, rows, cols, nesting);
      const ranks = rankRows(v, rows, cols);
      for (let e = 0; e < v.length; e++) {
        let l = 0;
        while (l < nesting.length && ranks[e] >= nesting[l]) l++;
        expect(levels[e]).toBe(l);
      }
    }
  });
});

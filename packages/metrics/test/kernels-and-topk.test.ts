import { describe, expect, it } from 'vitest';
import { linearKernel, progressiveKs, rowDots, toSparseRows } from '../src/index.js';
import { randomCodes, randomMatrix } from './random-data.js';

describe('rowDots and linearKernel', () => {
  it('match naive dot products, dense and sparse', () => {
    const a = randomMatrix(11, 9, 1);
    const b = randomMatrix(7, 9, 2);
    const c = rowDots(a, b);
    for (let i = 0; i < 11; i++) {
      for (let j = 0; j < 7; j++) {
        let s = 0;
        for (let q = 0; q < 9; q++) s += a.data[i * 9 + q] * b.data[j * 9 + q];
        expect(c[i * 7 + j]).toBeCloseTo(s, 9);
      }
    }
    // shift 1: ~16% density (column-wise sparse path); shift 0: ~50% (densified path); 11 rows: tile leftovers
    for (const shift of [1, 0]) {
      const z = randomCodes(11, 30, 3, shift);
      const naive = new Float64Array(121);
      for (let i = 0; i < 11; i++) {
        for (let j = 0; j < 11; j++) {
          for (let q = 0; q < 30; q++) naive[i * 11 + j] += z.data[i * 30 + q] * z.data[j * 30 + q];
        }
      }
      const dense = linearKernel(z);
      const sparse = linearKernel(toSparseRows(z));
      for (let t = 0; t < 121; t++) {
        expect(dense[t]).toBeCloseTo(naive[t], 9);
        expect(sparse[t]).toBeCloseTo(naive[t], 9);
      }
    }
  });
});

describe('progressiveKs', () => {
  it('doubles from 16 and ends at dSae', () => {
    expect(progressiveKs(4096)).toEqual([16, 32, 64, 128, 256, 512, 1024, 2048, 4096]);
    expect(progressiveKs(100)).toEqual([16, 32, 64, 100]);
    expect(progressiveKs(8)).toEqual([8]);
  });
});

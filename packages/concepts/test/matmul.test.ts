import { Rng } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { blockedMatmulABt } from '../src/index.js';

function random(rng: Rng, rows: number, cols: number) {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { data, rows, cols };
}

describe('blockedMatmulABt', () => {
  it('computes A B^T on a hand-checked 2x3 by 3x3 example', async () => {
    const a = { data: Float32Array.of(1, 2, 3, 4, 5, 6), rows: 2, cols: 3 };
    const b = { data: Float32Array.of(1, 0, 0, 0, 1, 0, 1, 1, 1), rows: 3, cols: 3 };
    expect(Array.from(await blockedMatmulABt(a, b))).toEqual([1, 2, 6, 4, 5, 15]);
  });

  it('agrees with a triple loop on sizes that are not multiples of the 4x4 block', async () => {
    const rng = new Rng(3);
    for (const [m, n, d] of [[7, 9, 5], [4, 4, 1], [1, 13, 6], [9, 2, 3]]) {
      const a = random(rng, m, d);
      const b = random(rng, n, d);
      const c = await blockedMatmulABt(a, b);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += a.data[i * d + k] * b.data[j * d + k];
          expect(c[i * n + j]).toBeCloseTo(s, 4);
        }
      }
    }
  });

  it('rejects mismatched inner dimensions', async () => {
    const a = { data: new Float32Array(6), rows: 2, cols: 3 };
    const b = { data: new Float32Array(8), rows: 2, cols: 4 };
    await expect(blockedMatmulABt(a, b)).rejects.toThrow(/inner dimensions differ/);
  });
});

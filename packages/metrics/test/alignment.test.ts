import { describe, expect, it } from 'vitest';
import type { Matrix } from '@msae/core';
import { alignment } from '../src/index.js';
import { randomMatrix } from './random-data.js';

function cosineMatrix(a: Matrix, b: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.rows; i++) {
    const row: number[] = [];
    for (let j = 0; j < b.rows; j++) {
      let dot = 0, na = 0, nb = 0;
      for (let q = 0; q < a.cols; q++) {
        const x = a.data[i * a.cols + q], y = b.data[j * b.cols + q];
        dot += x * y;
        na += x * x;
        nb += y * y;
      }
      row.push(dot / Math.sqrt(na * nb));
    }
    out.push(row);
  }
  return out;
}

/** Best one-to-one matching of every row of the (n1 <= n2) cosine matrix, by trying every injective map. */
function exhaustiveBest(cos: number[][]): { sum: number; match: number[] } {
  const n1 = cos.length, n2 = cos[0].length;
  let best = { sum: -Infinity, match: [] as number[] };
  const used = new Array(n2).fill(false);
  const match: number[] = [];
  const visit = (i: number, sum: number): void => {
    if (i === n1) {
      if (sum > best.sum) best = { sum, match: match.slice() };
      return;
    }
    for (let j = 0; j < n2; j++) {
      if (used[j]) continue;
      used[j] = true;
      match.push(j);
      visit(i + 1, sum + cos[i][j]);
      match.pop();
      used[j] = false;
    }
  };
  visit(0, 0);
  return best;
}

describe('alignment (Hungarian matching by cosine)', () => {
  it.each([
    [5, 5, 1],
    [6, 6, 2],
    [7, 7, 3],
    [4, 6, 4],
  ])('finds the same optimum as exhaustive search (%i x %i, seed %i)', (n1, n2, seed) => {
    const a = randomMatrix(n1, 3, 100 + seed);
    const b = randomMatrix(n2, 3, 200 + seed);
    const cos = cosineMatrix(a, b);
    const best = exhaustiveBest(cos);
    const result = alignment(a, b);
    expect(result.pairs).toBe(n1);
    expect(result.meanCosine).toBeCloseTo(best.sum / n1, 6);
    expect(Array.from(result.matches)).toEqual(best.match);
    const above = best.match.filter((j, i) => cos[i][j] > 0.7).length;
    expect(result.fractionAbove07).toBeCloseTo(above / n1, 12);
  });

  it('recovers a permutation of rescaled rows exactly', () => {
    const a = randomMatrix(9, 16, 7);
    const perm = [3, 0, 8, 1, 5, 2, 7, 4, 6];
    const b = { data: new Float32Array(9 * 16), rows: 9, cols: 16 };
    perm.forEach((src, dst) => {
      for (let q = 0; q < 16; q++) b.data[dst * 16 + q] = a.data[src * 16 + q] * (dst + 1);
    });
    const result = alignment(a, b);
    expect(result.meanCosine).toBeCloseTo(1, 6);
    expect(result.fractionAbove07).toBe(1);
    perm.forEach((src, dst) => expect(result.matches[src]).toBe(dst));
  });

  it('rejects decoders of different widths', () => {
    expect(() => alignment(randomMatrix(3, 4, 1), randomMatrix(3, 5, 1))).toThrow(/dimensions/);
  });
});

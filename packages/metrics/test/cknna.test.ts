import { describe, expect, it } from 'vitest';
import type { Matrix } from '@msae/core';
import { cknna, toSparseRows } from '../src/index.js';
import { randomCodes, randomMatrix, rowsOf } from './random-data.js';

// Brute force, transcribed step by step from the Platonic Representation Hypothesis code (dense n x n matrices).
function gram(m: Matrix): number[][] {
  const r = rowsOf(m);
  return r.map((a) => r.map((b) => a.reduce((s, v, q) => s + v * b[q], 0)));
}
function topkMask(k: number[][], topk: number): number[][] {
  const n = k.length;
  return k.map((row, i) => {
    const order = row.map((v, j) => ({ v: j === i ? -Infinity : v, j })).sort((a, b) => b.v - a.v || a.j - b.j);
    const mask = new Array(n).fill(0);
    for (let t = 0; t < topk; t++) mask[order[t].j] = 1;
    return mask;
  });
}
function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, q) => s + v * b[q][j], 0)));
}
function sumAll(a: number[][]): number {
  return a.reduce((s, row) => s + row.reduce((t, v) => t + v, 0), 0);
}
function hsicUnbiased(K: number[][], L: number[][]): number {
  const m = K.length;
  const Kt = K.map((row, i) => row.map((v, j) => (i === j ? 0 : v)));
  const Lt = L.map((row, i) => row.map((v, j) => (i === j ? 0 : v)));
  let trace = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) trace += Kt[i][j] * Lt[j][i]; // sum(K~ * L~^T)
  const value = trace + (sumAll(Kt) * sumAll(Lt)) / ((m - 1) * (m - 2)) - (2 * sumAll(matmul(Kt, Lt))) / (m - 2);
  return value / (m * (m - 3));
}
function bruteCknna(A: Matrix, B: Matrix, topk: number): number {
  const K = gram(A);
  const L = gram(B);
  const similarity = (P: number[][], Q: number[][]): number => {
    const mp = topkMask(P, topk);
    const mq = topkMask(Q, topk);
    const mask = mp.map((row, i) => row.map((v, j) => v * mq[i][j]));
    return hsicUnbiased(
      P.map((row, i) => row.map((v, j) => v * mask[i][j])),
      Q.map((row, i) => row.map((v, j) => v * mask[i][j])),
    );
  };
  return similarity(K, L) / (Math.sqrt(similarity(K, K) * similarity(L, L)) + 1e-6);
}

describe('cknna', () => {
  it.each([
    [24, 6, 40, 3],
    [30, 5, 64, 10],
    [12, 4, 16, 11],
  ])('matches the brute-force PRH computation (n=%i, dA=%i, dB=%i, topk=%i)', (n, dA, dB, topk) => {
    const A = randomMatrix(n, dA, 11 + n, 1, 0.5);
    // B: sparse non-negative codes of a noisy linear map of A, so the two are related
    const W = randomMatrix(dA, dB, 12 + n);
    const B = randomCodes(n, dB, 13 + n, 0.5);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < dB; j++) {
        let s = 0;
        for (let q = 0; q < dA; q++) s += A.data[i * dA + q] * W.data[q * dB + j];
        B.data[i * dB + j] = Math.max(0, s + 0.3 * B.data[i * dB + j]);
      }
    }
    const expected = bruteCknna(A, B, Math.min(topk, n - 1));
    expect(Number.isFinite(expected)).toBe(true);
    expect(cknna(A, B, { topk })).toBeCloseTo(expected, 6);
    expect(cknna(A, toSparseRows(B), { topk })).toBeCloseTo(expected, 6);
  });

  it('is ~1 for a representation against itself and invariant to a rotation of one side', () => {
    const A = randomMatrix(40, 8, 21);
    expect(cknna(A, A, { topk: 10 })).toBeCloseTo(1, 4);
    // rotate A by a Givens rotation in the (0, 1) plane: linear kernel unchanged
    const R = { data: A.data.slice(), rows: 40, cols: 8 };
    const c = Math.cos(0.7), s = Math.sin(0.7);
    for (let i = 0; i < 40; i++) {
      const a0 = A.data[i * 8], a1 = A.data[i * 8 + 1];
      R.data[i * 8] = c * a0 - s * a1;
      R.data[i * 8 + 1] = s * a0 + c * a1;
    }
    const B = randomMatrix(40, 5, 22);
    expect(cknna(R, B, { topk: 10 })).toBeCloseTo(cknna(A, B, { topk: 10 }), 5);
  });

  it('rejects topk < 2, fewer than 4 rows and mismatched row counts', () => {
    const A = randomMatrix(10, 3, 1);
    expect(() => cknna(A, A, { topk: 1 })).toThrow(/topk >= 2/);
    expect(() => cknna(randomMatrix(3, 3, 1), randomMatrix(3, 3, 2))).toThrow(/at least 4 rows/);
    expect(() => cknna(A, randomMatrix(9, 3, 1))).toThrow(/rows/);
  });
});

import { describe, expect, it } from 'vitest';
import { cosine, fvu, fvuGlobal, nmae, ReconstructionAccumulator } from '../src/index.js';
import { fromRows, randomMatrix } from './random-data.js';

// x = [[1,2,3],[2,0,2]], x^ = [[1,2,1],[1,1,2]]  (hand-computed values below)
const x = fromRows([
  [1, 2, 3],
  [2, 0, 2],
]);
const xhat = fromRows([
  [1, 2, 1],
  [1, 1, 2],
]);

describe('reconstruction metrics on a hand-computed example', () => {
  it('fvu: row 1 Var(e)=8/9, Var(x)=2/3 -> 4/3; row 2 Var(e)=2/3, Var(x)=8/9 -> 3/4; mean 25/24', () => {
    expect(fvu(x, xhat)).toBeCloseTo(25 / 24, 12);
  });
  it('fvuGlobal: sum||e||^2 = 4 + 2 = 6, sum||x - mean||^2 = 1.5 + 1.5 = 3 -> 2', () => {
    expect(fvuGlobal(x, xhat)).toBeCloseTo(2, 12);
  });
  it('cosine: mean(8/sqrt(14*6), 6/sqrt(8*6))', () => {
    expect(cosine(x, xhat)).toBeCloseTo((8 / Math.sqrt(84) + 6 / Math.sqrt(48)) / 2, 12);
  });
  it('nmae: mean((2/3)/2, (2/3)/(4/3)) = 5/12', () => {
    expect(nmae(x, xhat)).toBeCloseTo(5 / 12, 12);
  });
  it('perfect reconstruction gives fvu 0 and cosine 1; a zero reconstruction gives cosine 0 and nmae 1', () => {
    expect(fvu(x, x)).toBe(0);
    expect(cosine(x, x)).toBeCloseTo(1, 12);
    const zero = { data: new Float32Array(6), rows: 2, cols: 3 };
    expect(cosine(x, zero)).toBe(0);
    expect(nmae(x, zero)).toBeCloseTo(1, 12);
  });
  it('rejects mismatched shapes', () => {
    expect(() => fvu(x, fromRows([[1, 2, 3]]))).toThrow(/does not match/);
  });
});

describe('ReconstructionAccumulator', () => {
  it('batches give the same result as one pass', () => {
    const a = randomMatrix(37, 16, 1, 1, 3);
    const b = randomMatrix(37, 16, 2, 0.3, 3);
    const whole = new ReconstructionAccumulator().add(a, b).result();
    const acc = new ReconstructionAccumulator();
    for (const [from, to] of [[0, 10], [10, 11], [11, 37]]) {
      acc.add(
        { data: a.data.subarray(from * 16, to * 16), rows: to - from, cols: 16 },
        { data: b.data.subarray(from * 16, to * 16), rows: to - from, cols: 16 },
      );
    }
    const parts = acc.result();
    for (const key of ['fvu', 'fvuGlobal', 'cosine', 'nmae'] as const) expect(parts[key]).toBeCloseTo(whole[key], 10);
    expect(parts.rows).toBe(37);
  });

  it('fvuGlobal stays accurate on data far from the origin (two-pass float64 oracle)', () => {
    const n = 200, d = 8;
    const a = randomMatrix(n, d, 3, 0.01, 1000);
    const b = randomMatrix(n, d, 4, 0.001, 0);
    for (let i = 0; i < b.data.length; i++) b.data[i] += a.data[i];
    const mean = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += a.data[r * d + j] / n;
    let num = 0, den = 0;
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < d; j++) {
        num += (a.data[r * d + j] - b.data[r * d + j]) ** 2;
        den += (a.data[r * d + j] - mean[j]) ** 2;
      }
    }
    expect(fvuGlobal(a, b)).toBeCloseTo(num / den, 8);
  });
});

import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, cholesky, conceptAuroc, conceptLifts, nullDirections, nullPValue, rankAmong, splitRows } from '../src/index.js';

describe('decoder null model', () => {
  it('Benjamini-Hochberg: known cutoff and adjusted p-values', () => {
    // m = 5, fdr 0.05: thresholds 0.01 0.02 0.03 0.04 0.05; sorted p 0.001 0.012 0.035 0.04 0.5 -> largest passing rank 4 (0.04 <= 0.04)
    const p = [0.04, 0.001, 0.5, 0.012, 0.035];
    const { q, cutoff } = benjaminiHochberg(p, 0.05);
    expect(cutoff).toBe(0.04);
    // q_(i) = min_{j >= i} p_(j) m / j: 0.005, 0.03, 0.04375 -> min(0.0583, 0.05) = 0.05, 0.05, 0.5
    expect(Array.from(q).map((x) => Number(x.toFixed(5)))).toEqual([0.05, 0.005, 0.5, 0.03, 0.05]);
    expect(benjaminiHochberg([0.9, 0.8], 0.05).cutoff).toBe(-1);
  });

  it('p-value of a score against sorted null maxima, with the +1 correction', () => {
    const nul = { bestScores: Float64Array.from([0.1, 0.2, 0.3, 0.4]) };
    expect(nullPValue(nul, 0.5)).toBeCloseTo(1 / 5);
    expect(nullPValue(nul, 0.3)).toBeCloseTo(3 / 5); // 0.3 and 0.4 reach it
    expect(nullPValue(nul, 0)).toBeCloseTo(1);
  });

  it('Cholesky factor reproduces the matrix, and null directions have the decoder rows\' second moment', async () => {
    const a = Float64Array.from([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
    const l = cholesky(a, 3);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += l[i * 3 + k] * l[j * 3 + k];
        expect(s).toBeCloseTo(a[i * 3 + j], 10);
      }
    // decoder rows along x only (plus one along y, half as long): E[n n^T] = W^T W = diag(2, 0.25)
    const decoder = { data: new Float32Array([1, 0, 1, 0, 0, 0.5]), rows: 3, cols: 2 };
    const n = await nullDirections(decoder, 20000, 5);
    let xx = 0;
    let yy = 0;
    let xy = 0;
    for (let i = 0; i < n.rows; i++) {
      xx += n.data[2 * i] ** 2;
      yy += n.data[2 * i + 1] ** 2;
      xy += n.data[2 * i] * n.data[2 * i + 1];
    }
    expect(xx / n.rows).toBeCloseTo(2, 1);
    expect(yy / n.rows).toBeCloseTo(0.25, 1);
    expect(Math.abs(xy / n.rows)).toBeLessThan(0.03);
  });
});

describe('concept evidence', () => {
  // 4 rows x 2 concepts: cos(row, concept)
  const sim = { data: new Float32Array([0.9, 0.1, 0.8, 0.2, 0.1, 0.5, 0.2, 0.4]), rows: 4, cols: 2 };
  it('lift, rank and AUROC on a hand-made pool', () => {
    const pool = [0, 1, 2, 3];
    const mean = Float64Array.from([0.5, 0.3]);
    const lifts = conceptLifts(sim, [0, 1], mean);
    expect(lifts[0]).toBeCloseTo(0.35); // (0.9 + 0.8) / 2 - 0.5
    expect(lifts[1]).toBeCloseTo(-0.15);
    expect(rankAmong(lifts, 0)).toBe(1);
    expect(rankAmong(lifts, 1)).toBe(2);
    expect(conceptAuroc(sim, pool, [0, 1], 0)).toBe(1); // both top rows score above both others
    expect(conceptAuroc(sim, pool, [0, 1], 1)).toBe(0);
    expect(conceptAuroc(sim, pool, [0, 2], 0)).toBe(0.5);
  });

  it('the choose/validate split keeps near-duplicate groups whole and covers every group once', () => {
    const representative = Int32Array.from([0, 0, 2, 3, 3, 3]);
    const split = splitRows(6, 11, { rows: 6, representative, groupSize: Int32Array.from([2, 2, 1, 3, 3, 3]), duplicateRows: 3, distinctRows: 3, largestGroup: 3 });
    expect([...split.choose, ...split.validate].sort()).toEqual([0, 2, 3]);
  });
});

import { describe, expect, it } from 'vitest';
import { generateDemoEmbeddings, demoDataset } from '../src/demo-data.js';

describe('demo data', () => {
  it('is deterministic, unit norm, and shares a mean direction', () => {
    const a = generateDemoEmbeddings({ rows: 300, seed: 5 });
    const b = generateDemoEmbeddings({ rows: 300, seed: 5 });
    expect(Array.from(a.x.data.slice(0, 50))).toEqual(Array.from(b.x.data.slice(0, 50)));
    const { rows, cols, data } = a.x;
    const mean = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      let n = 0;
      for (let d = 0; d < cols; d++) {
        n += data[r * cols + d] ** 2;
        mean[d] += data[r * cols + d] / rows;
      }
      expect(Math.sqrt(n)).toBeCloseTo(1, 5);
    }
    // Like CLIP: rows sit well away from the origin-centred sphere, cos(x, mean) is large.
    let cosSum = 0;
    const mNorm = Math.sqrt(mean.reduce((s, v) => s + v * v, 0));
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      for (let d = 0; d < cols; d++) dot += data[r * cols + d] * mean[d];
      cosSum += dot / mNorm;
    }
    expect(cosSum / rows).toBeGreaterThan(0.5);
  });

  it('plants a hierarchy: rows of the same fine concept are closer than rows of the same coarse concept', () => {
    const { x, coarseLabel, fineLabel } = generateDemoEmbeddings({ rows: 2000, seed: 3 });
    const d = x.cols;
    const cos = (i: number, j: number) => {
      let s = 0;
      for (let k = 0; k < d; k++) s += x.data[i * d + k] * x.data[j * d + k];
      return s;
    };
    let sameFine = 0, nFine = 0, sameCoarse = 0, nCoarse = 0, other = 0, nOther = 0;
    for (let i = 0; i < 400; i++) {
      for (let j = i + 1; j < 400; j++) {
        const c = cos(i, j);
        if (fineLabel[i] >= 0 && fineLabel[i] === fineLabel[j]) { sameFine += c; nFine++; }
        else if (coarseLabel[i] === coarseLabel[j]) { sameCoarse += c; nCoarse++; }
        else { other += c; nOther++; }
      }
    }
    expect(nFine).toBeGreaterThan(0);
    expect(sameFine / nFine).toBeGreaterThan(sameCoarse / nCoarse);
    expect(sameCoarse / nCoarse).toBeGreaterThan(other / nOther);
  });

  it('train and val come from one dictionary with different rows', () => {
    const { train, val } = demoDataset({ train: 100, val: 50 });
    expect(train.x.rows).toBe(100);
    expect(val.x.rows).toBe(50);
    expect(Array.from(train.dictionary.mean)).toEqual(Array.from(val.dictionary.mean));
    expect(train.x.data[0]).not.toBe(val.x.data[0]);
  });
});

import { describe, expect, it } from 'vitest';
import { decoderOrthogonality } from '../src/index.js';
import { fromRows, randomMatrix } from './random-data.js';

describe('decoderOrthogonality', () => {
  it('W = [[1,0],[0,1],[1,1]]: off-diagonal Gram entries 0,1,1 (each twice) -> 4 / 6', () => {
    expect(decoderOrthogonality(fromRows([[1, 0], [0, 1], [1, 1]]))).toBeCloseTo(2 / 3, 12);
  });
  it('orthonormal rows give 0', () => {
    expect(decoderOrthogonality(fromRows([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))).toBe(0);
  });
  it('matches the direct mean of squared off-diagonal entries of W W^T', () => {
    const w = randomMatrix(13, 7, 5);
    let sum = 0;
    for (let i = 0; i < 13; i++) {
      for (let j = 0; j < 13; j++) {
        if (i === j) continue;
        let dot = 0;
        for (let q = 0; q < 7; q++) dot += w.data[i * 7 + q] * w.data[j * 7 + q];
        sum += dot * dot;
      }
    }
    expect(decoderOrthogonality(w)).toBeCloseTo(sum / (13 * 12), 9);
  });
});

import { describe, expect, it } from 'vitest';
import { CodeAccumulator, deadLatents, l0, sparsity } from '../src/index.js';
import { fromRows } from './random-data.js';

const z = fromRows([
  [0, 1, 0, 2],
  [0, 0, 0, 3],
  [0, 0, 0, 0],
]);

describe('code sparsity metrics', () => {
  it('l0 = (2 + 1 + 0) / 3 = 1', () => expect(l0(z)).toBe(1));
  it('sparsity = 1 - 1/4', () => expect(sparsity(z)).toBe(0.75));
  it('dead latents are 0 and 2', () => expect(deadLatents(z)).toBe(2));
  it('negative codes count as non-zero; batches accumulate', () => {
    const acc = new CodeAccumulator().add(fromRows([[0, -1, 0, 0]])).add(fromRows([[5, 0, 0, 0]]));
    expect(acc.result()).toEqual({ rows: 2, l0: 1, sparsity: 0.75, deadLatents: 2 });
  });
});

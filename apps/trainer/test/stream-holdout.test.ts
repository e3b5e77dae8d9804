import { describe, expect, it } from 'vitest';
import { splitStream, STREAM_HOLDOUT_CAP } from '../src/stream-holdout.js';

function rowsOf(ranges: { start: number; count: number }[]): number[] {
  return ranges.flatMap((r) => Array.from({ length: r.count }, (_, i) => r.start + i));
}

describe('splitStream', () => {
  it.each([
    [1500, 150],
    [20, 2],
    [1_000_003, STREAM_HOLDOUT_CAP],
  ])('holds out %i rows -> %i validation rows, disjoint from training, covering every row once', (rows, valRows) => {
    const split = splitStream(rows, 42);
    expect(split.valRows).toBe(valRows);
    const val = rowsOf(split.val);
    const train = rowsOf(split.train);
    expect(val).toHaveLength(valRows);
    expect(new Set([...val, ...train]).size).toBe(rows);
    expect(val.length + train.length).toBe(rows);
    expect(split.val.length).toBeLessThanOrEqual(17);
  });

  it('depends on the seed only through the positions of the runs', () => {
    expect(splitStream(5000, 1)).toEqual(splitStream(5000, 1));
    expect(rowsOf(splitStream(5000, 1).val)).not.toEqual(rowsOf(splitStream(5000, 2).val));
  });
});

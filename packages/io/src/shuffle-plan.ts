import { createRng, type Rng } from '@msae/core';

/** Rows [start, start + count) of a sharded stream (global row numbers). */
export interface RowRange {
  start: number;
  count: number;
}

/** Mix (seed, epoch) into one 32-bit seed (murmur3 finalizer over seed ^ golden-ratio * epoch). */
export function epochSeed(seed: number, epoch: number): number {
  let h = (seed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** `ranges` cut at every shard start in `shardStarts` (ascending, first 0) and into pieces of at most `chunkRows` rows. */
export function cutIntoChunks(ranges: RowRange[], shardStarts: number[], chunkRows: number): RowRange[] {
  const chunks: RowRange[] = [];
  let shard = 0;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  for (const range of sorted) {
    let at = range.start;
    const end = range.start + range.count;
    while (at < end) {
      while (shard + 1 < shardStarts.length && shardStarts[shard + 1] <= at) shard++;
      while (shard > 0 && shardStarts[shard] > at) shard--;
      const shardEnd = shard + 1 < shardStarts.length ? shardStarts[shard + 1] : Number.POSITIVE_INFINITY;
      const count = Math.min(chunkRows, end - at, shardEnd - at);
      chunks.push({ start: at, count });
      at += count;
    }
  }
  return chunks;
}

/** One window of an epoch: the chunks read together and how many full batches it completes. */
export interface WindowPlan {
  chunks: RowRange[];
  rows: number;
  /** Index (within the epoch) of the first full batch this window completes. */
  firstBatch: number;
  /** Full batches completed once this window's rows join the rows carried over from earlier windows. */
  batches: number;
}

export interface EpochPlan {
  rng: Rng;
  windows: WindowPlan[];
  /** Full batches in the epoch; a last, partial batch of `remainder` rows follows when remainder > 0. */
  fullBatches: number;
  remainder: number;
}

/**
 * The shuffle of one epoch, a pure function of (seed, epoch, chunks, chunksPerWindow, batchSize): chunks in a
 * seeded random order, `chunksPerWindow` at a time; the returned rng then draws one permutation per window
 * (of the carried rows followed by the window's rows), in window order.
 */
export function planEpoch(seed: number, epoch: number, chunks: RowRange[], chunksPerWindow: number, batchSize: number): EpochPlan {
  const rng = createRng(epochSeed(seed, epoch));
  const order = rng.permutation(chunks.length);
  const windows: WindowPlan[] = [];
  let carry = 0;
  let batches = 0;
  for (let from = 0; from < order.length; from += chunksPerWindow) {
    const picked = Array.from(order.subarray(from, Math.min(order.length, from + chunksPerWindow)), (c) => chunks[c]);
    const rows = picked.reduce((n, c) => n + c.count, 0);
    const full = Math.floor((carry + rows) / batchSize);
    windows.push({ chunks: picked, rows, firstBatch: batches, batches: full });
    batches += full;
    carry = (carry + rows) % batchSize;
  }
  return { rng, windows, fullBatches: batches, remainder: carry };
}

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IoError, openShardedEmbeddingStream, resolveShardPaths, writeEmbeddings, type ShardedEmbeddingStream } from '../src/index.js';

const COLS = 6;
// Shards of different sizes and formats; row r (global) is [r, r + 0.5, r * 2, ...].
const SHARDS: Array<[string, number]> = [
  ['a_1.npy', 1000],
  ['b_2.safetensors', 1300],
  ['c_700_6.npy', 700], // paper memmap (headerless)
  ['d_10.npy', 37],
];
const TOTAL = SHARDS.reduce((n, [, r]) => n + r, 0);
const value = (r: number, c: number) => r + c * 0.5;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-shards-'));
  let start = 0;
  await mkdir(join(dir, 'shards'));
  for (const [name, rows] of SHARDS) {
    const data = new Float32Array(rows * COLS);
    for (let i = 0; i < rows; i++) for (let c = 0; c < COLS; c++) data[i * COLS + c] = value(start + i, c);
    await writeEmbeddings(join(dir, 'shards', name), { data, rows, cols: COLS }, name.includes('_700_') ? { format: 'memmap' } : {});
    start += rows;
  }
  await mkdir(join(dir, 'wide'));
  await writeEmbeddings(join(dir, 'wide', 'x_1.npy'), { data: new Float32Array(2 * COLS), rows: 2, cols: COLS });
  await writeEmbeddings(join(dir, 'wide', 'x_2.npy'), { data: new Float32Array(2 * 4), rows: 2, cols: 4 });
  await mkdir(join(dir, 'empty'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function epoch(s: ShardedEmbeddingStream, options: Parameters<ShardedEmbeddingStream['shuffledBatches']>[0]) {
  const indices: number[] = [];
  const sizes: number[] = [];
  for await (const b of s.shuffledBatches(options)) {
    for (let i = 0; i < b.rows; i++) {
      const r = b.indices[i];
      for (let c = 0; c < COLS; c++) expect(b.data[i * COLS + c]).toBe(value(r, c));
      indices.push(r);
    }
    sizes.push(b.rows);
  }
  return { indices, sizes };
}

describe('sharded embedding stream', () => {
  it('resolves a directory, a glob and a file, in natural shard order', async () => {
    const names = (await resolveShardPaths(join(dir, 'shards'))).map((p) => p.slice(p.lastIndexOf('/') + 1));
    expect(names).toEqual(SHARDS.map(([n]) => n));
    expect(await resolveShardPaths(join(dir, 'shards', '*_1*.npy'))).toEqual([join(dir, 'shards', 'a_1.npy'), join(dir, 'shards', 'd_10.npy')]);
    expect(await resolveShardPaths(join(dir, 'shards', 'a_1.npy'))).toEqual([join(dir, 'shards', 'a_1.npy')]);
  });

  it('covers every row exactly once per epoch across shards, the same order for the same (seed, epoch)', async () => {
    const s = await openShardedEmbeddingStream(join(dir, 'shards'));
    expect(s.rows).toBe(TOTAL);
    expect(s.cols).toBe(COLS);
    expect(s.shards.map((x) => x.start)).toEqual([0, 1000, 2300, 3000]);
    // Small windows (~3 chunks of 128 rows) so rows are carried from window to window.
    const options = { batchSize: 100, seed: 7, epoch: 0, chunkRows: 128, windowBytes: 3 * 128 * COLS * 4 };
    const a = await epoch(s, options);
    expect([...a.indices].sort((x, y) => x - y)).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
    expect(a.sizes).toEqual([...Array(Math.floor(TOTAL / 100)).fill(100), TOTAL % 100]);
    const again = await epoch(s, options);
    expect(again.indices).toEqual(a.indices);
    const next = await epoch(s, { ...options, epoch: 1 });
    expect(next.indices).not.toEqual(a.indices);
    // Rows from every shard are mixed into the first batches (chunks are visited in random order).
    const firstShards = new Set(a.indices.slice(0, 1000).map((r) => (r < 1000 ? 0 : r < 2300 ? 1 : r < 3000 ? 2 : 3)));
    expect(firstShards.size).toBeGreaterThanOrEqual(3);
    await s.close();
  });

  it('skipBatches yields exactly the rest of the epoch, and ranges leave held-out rows out', async () => {
    const s = await openShardedEmbeddingStream(join(dir, 'shards'));
    const options = { batchSize: 64, seed: 3, epoch: 2, chunkRows: 100, windowBytes: 2 * 100 * COLS * 4 };
    const whole = await epoch(s, options);
    for (const skip of [1, 17, Math.floor(TOTAL / 64), Math.ceil(TOTAL / 64)]) {
      const rest = await epoch(s, { ...options, skipBatches: skip });
      expect(rest.indices).toEqual(whole.indices.slice(skip * 64));
    }
    const ranges = [
      { start: 0, count: 950 },
      { start: 1200, count: TOTAL - 1200 },
    ];
    const kept = await epoch(s, { ...options, ranges });
    expect([...kept.indices].sort((x, y) => x - y)).toEqual([...Array.from({ length: 950 }, (_, i) => i), ...Array.from({ length: TOTAL - 1200 }, (_, i) => 1200 + i)]);
    const seq: number[] = [];
    for await (const b of s.batches({ batchSize: 500, ranges: [{ start: 900, count: 200 }, { start: 2999, count: 3 }] })) {
      for (let i = 0; i < b.rows; i++) seq.push(b.data[i * COLS]);
    }
    expect(seq).toEqual([...Array.from({ length: 200 }, (_, i) => 900 + i), 2999, 3000, 3001]);
    const picked = await s.readRowsAt([3036, 0, 1999]);
    expect([picked[0], picked[COLS], picked[2 * COLS + 1]]).toEqual([3036, 0, 1999.5]);
    await s.close();
  });

  it.each([
    ['a glob matching nothing', () => join(dir, 'shards', '*.parquet'), /\*\.parquet: the glob matches no files$/],
    ['a width mismatch across shards', () => join(dir, 'wide'), /x_2\.npy: width 4 does not match width 6 of the first shard .*x_1\.npy$/],
    ['a directory without shards', () => join(dir, 'empty'), /empty: directory holds no \.npy or \.safetensors shards$/],
    ['a missing path', () => join(dir, 'nope'), /nope: not found$/],
  ])('rejects %s with a one-line IoError', async (_name, spec, pattern) => {
    const err = await openShardedEmbeddingStream(spec()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toMatch(pattern);
    expect((err as Error).message).not.toContain('\n');
  });
});

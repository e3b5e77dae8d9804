import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { npyFile } from './fixtures.js';

const SHARD_ROWS = [96_000, 120_000, 72_000, 96_000];
const COLS = 256;
const ROWS = SHARD_ROWS.reduce((a, b) => a + b, 0);
const BLOCK_ROWS = 8192;
let dir: string;
let script: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-shard-mem-'));
  script = join(dir, 'child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./sharded-child.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    logLevel: 'silent',
  });
  // ~393 MB in four .npy shards, written block by block (never held in memory at once).
  await mkdir(join(dir, 'shards'));
  let first = 0;
  for (const [s, rows] of SHARD_ROWS.entries()) {
    const header = npyFile({ shape: `(${rows}, ${COLS})`, body: new Uint8Array(0) });
    const handle = await open(join(dir, 'shards', `part_${s}.npy`), 'w');
    try {
      await handle.write(header, 0, header.byteLength, 0);
      const block = new Float32Array(BLOCK_ROWS * COLS);
      for (let start = 0; start < rows; start += BLOCK_ROWS) {
        const count = Math.min(BLOCK_ROWS, rows - start);
        for (let i = 0; i < count; i++) {
          const r = first + start + i;
          block[i * COLS] = r;
          for (let c = 1; c < COLS; c++) block[i * COLS + c] = (r * 7 + c) % 1009;
        }
        const bytes = new Uint8Array(block.buffer, 0, count * COLS * 4);
        await handle.write(bytes, 0, bytes.byteLength, header.byteLength + start * COLS * 4);
      }
    } finally {
      await handle.close();
    }
    first += rows;
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('streams a directory of shards several times larger than its memory cap, every row once', { timeout: 120_000 }, async () => {
  const size = ROWS * COLS * 4;
  const { stdout } = await promisify(execFile)(process.execPath, ['--max-old-space-size=64', script, join(dir, 'shards'), '4096', '5'], {
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(result.rows).toBe(ROWS);
  expect(result.shards).toBe(4);
  expect(result.wrong).toBe(0);
  expect(result.onceEach).toBe(ROWS);
  expect(result.batches).toBe(Math.ceil(ROWS / 4096));
  // Bounded memory: Node (~40 MB), two 8 MiB windows and batches awaiting GC, far below the data size.
  expect(result.peakRss).toBeLessThan(0.45 * size);
  console.log(`streamed ${(size / 1e6).toFixed(0)} MB in 4 shards: peak RSS ${(result.peakRss / 1e6).toFixed(0)} MB`);
});

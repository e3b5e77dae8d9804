import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { npyFile } from './fixtures.js';

const ROWS = 384_000;
const COLS = 256;
const BLOCK_ROWS = 8192;
let dir: string;
let file: string;
let script: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-stream-'));
  file = join(dir, 'big.npy');
  script = join(dir, 'child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./stream-child.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    logLevel: 'silent',
  });
  // ~393 MB .npy written block by block with positioned writes (never held in memory at once).
  const header = npyFile({ shape: `(${ROWS}, ${COLS})`, body: new Uint8Array(0) });
  const handle = await open(file, 'w');
  try {
    await handle.write(header, 0, header.byteLength, 0);
    const block = new Float32Array(BLOCK_ROWS * COLS);
    for (let start = 0; start < ROWS; start += BLOCK_ROWS) {
      const count = Math.min(BLOCK_ROWS, ROWS - start);
      for (let i = 0; i < count; i++) {
        const r = start + i;
        block[i * COLS] = r;
        for (let c = 1; c < COLS; c++) block[i * COLS + c] = (r * 7 + c) % 1009;
      }
      const bytes = new Uint8Array(block.buffer, 0, count * COLS * 4);
      await handle.write(bytes, 0, bytes.byteLength, header.byteLength + start * COLS * 4);
    }
  } finally {
    await handle.close();
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('streams a file several times larger than its memory cap, every row once per epoch', async () => {
  const size = (await stat(file)).size;
  expect(size).toBeGreaterThan(390e6);
  const { stdout } = await promisify(execFile)(process.execPath, ['--max-old-space-size=64', script, file, '4096', '3'], {
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(result.rows).toBe(ROWS);
  expect(result.cols).toBe(COLS);
  expect(result.wrong).toBe(0);
  expect(result.onceEach).toBe(ROWS);
  expect(result.shuffledBatches).toBe(Math.ceil(ROWS / 4096));
  expect(result.sequentialRows).toBe(ROWS);
  expect(result.adjacent / ROWS).toBeLessThan(0.01);
  // Bounded memory: the whole process (Node itself ~40 MB, two 8 MiB windows, batches awaiting GC)
  // stays far below the file size.
  expect(result.peakRss).toBeLessThan(0.45 * size);
  console.log(
    `streamed ${(size / 1e6).toFixed(0)} MB: peak RSS ${(result.peakShuffledRss / 1e6).toFixed(0)} MB shuffled, ${(result.peakRss / 1e6).toFixed(0)} MB overall`,
  );
});

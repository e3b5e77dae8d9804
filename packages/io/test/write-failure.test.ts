// Simulated I/O failures in the middle of a write: nothing half-written may remain.
import { createRng, resolveConfig, type Checkpoint } from '@msae/core';
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { embeddingFileParts, loadCheckpoint, readEmbeddings, saveCheckpoint, writeEmbeddings, writeFilesAtomic } from '../src/index.js';
import { tempDir } from './fixtures.js';

/** Opening a path matching `open` fails with EIO; on a path matching `write`, the second write fails with ENOSPC. */
const failure: { open: RegExp | null; write: RegExp | null } = { open: null, write: null };

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open = (async (path: Parameters<typeof actual.open>[0], ...rest: unknown[]) => {
    if (failure.open && failure.open.test(String(path))) {
      throw Object.assign(new Error(`EIO: i/o error, open '${String(path)}'`), { code: 'EIO' });
    }
    const handle = await (actual.open as (...a: unknown[]) => ReturnType<typeof actual.open>)(path, ...rest);
    if (failure.write && failure.write.test(String(path))) {
      const write = handle.write.bind(handle) as (...a: unknown[]) => unknown;
      let calls = 0;
      (handle as { write: unknown }).write = async (...args: unknown[]) => {
        if (++calls > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return write(...args);
      };
    }
    return handle;
  }) as typeof actual.open;
  return { ...actual, open, default: { ...actual, open } };
});

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});
beforeEach(() => {
  failure.open = null;
  failure.write = null;
});

function checkpoint(seed: number): Checkpoint {
  const config = resolveConfig({ dIn: 4, architecture: 'topk', k: 2, dSae: 8 });
  const rng = createRng(seed);
  const f = (n: number) => rng.fillUniform(new Float32Array(n), -1, 1);
  return { config, params: { W_enc: f(32), b_enc: f(8), W_dec: f(32), b_dec: f(4) }, normalization: { mean: f(4), scale: 2 } };
}

it('a checkpoint save failing after cfg.json was written leaves the old directory and no temp dir', async () => {
  const dir = `${tmp.dir}/ckpt`;
  await saveCheckpoint(dir, checkpoint(1));
  failure.open = /\.ckpt\.tmp-.*sae_weights\.safetensors$/; // cfg.json is written first, then this fails
  await expect(saveCheckpoint(dir, checkpoint(2))).rejects.toThrow(`${dir}: cannot save checkpoint: EIO: i/o error`);
  failure.open = null;
  expect(await readdir(tmp.dir)).toEqual(['ckpt']);
  expect((await loadCheckpoint(dir)).params).toEqual(checkpoint(1).params);
});

it('an embedding write failing at open leaves the old file and no temp file', async () => {
  const path = `${tmp.dir}/x.npy`;
  await writeEmbeddings(path, { data: new Float32Array([1, 2]), rows: 1, cols: 2 });
  const before = await readFile(path);
  failure.open = /\.x\.npy\.tmp-/;
  await expect(writeEmbeddings(path, { data: new Float32Array([3, 4]), rows: 1, cols: 2 })).rejects.toThrow(`${path}: cannot write: EIO: i/o error`);
  failure.open = null;
  expect((await readdir(tmp.dir)).sort()).toEqual(['ckpt', 'x.npy']);
  expect(await readFile(path)).toEqual(before);
  expect(Array.from((await readEmbeddings(path)).data)).toEqual([1, 2]);
});

it('an embedding write failing after the header was written leaves the old file and no temp file', async () => {
  const path = `${tmp.dir}/y.npy`;
  await writeEmbeddings(path, { data: new Float32Array([5, 6]), rows: 2, cols: 1 });
  failure.write = /\.y\.npy\.tmp-/; // header written, data write fails
  await expect(writeEmbeddings(path, { data: new Float32Array([7, 8, 9]), rows: 3, cols: 1 })).rejects.toThrow(
    `${path}: cannot write: no space left on device`,
  );
  failure.write = null;
  expect((await readdir(tmp.dir)).sort()).toEqual(['ckpt', 'x.npy', 'y.npy']);
  expect(Array.from((await readEmbeddings(path)).data)).toEqual([5, 6]);
});

it('embeddings + sidecar written as one unit: a failing sidecar leaves neither new file nor temp files', async () => {
  const npy = `${tmp.dir}/z.npy`, json = `${tmp.dir}/z.json`;
  const m = { data: new Float32Array([1, 2, 3, 4]), rows: 2, cols: 2 };
  const files = [
    { path: npy, parts: embeddingFileParts(npy, m) },
    { path: json, parts: [new TextEncoder().encode('{"count": 2}\n')] },
  ];
  failure.open = /\.z\.json\.tmp-/; // the .npy temp is written in full, then the sidecar fails
  await expect(writeFilesAtomic(files)).rejects.toThrow(`${json}: cannot write: EIO: i/o error`);
  failure.open = null;
  expect((await readdir(tmp.dir)).sort()).toEqual(['ckpt', 'x.npy', 'y.npy']);
  await writeFilesAtomic(files);
  expect((await readdir(tmp.dir)).sort()).toEqual(['ckpt', 'x.npy', 'y.npy', 'z.json', 'z.npy']);
  expect(Array.from((await readEmbeddings(npy)).data)).toEqual([1, 2, 3, 4]);
  expect(await readFile(json, 'utf8')).toBe('{"count": 2}\n');
});

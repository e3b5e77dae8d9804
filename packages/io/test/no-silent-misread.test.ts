// A cfg.json that holds msae's `normalization` but no `"format": "msae"` is read by the SAELens reader: the
// normalization changes the math (x_n = (x - mean) * scale), so it must be applied, never dropped.
import { computeNormalization, encodeCheckpoint, initParams, resolveConfig, type Checkpoint } from '@msae/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IoError, loadCheckpoint, type CheckpointSource } from '../src/index.js';
import { tempDir } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let ckpt: Checkpoint;
beforeAll(async () => {
  tmp = await tempDir();
  const config = resolveConfig({ dIn: 4, dSae: 8, architecture: 'topk', k: 2 });
  const x = { data: Float32Array.from({ length: 40 }, (_, i) => 3 + Math.sin(i) * (1 + (i % 4))), rows: 10, cols: 4 };
  ckpt = { config, params: initParams(config, 1), normalization: computeNormalization(x), training: { epochs: 0 } };
});
afterAll(async () => {
  await tmp.cleanup();
});

/** msae's own cfg.json and weights, with the cfg edited. */
async function writeEdited(name: string, edit: (cfg: Record<string, unknown>) => void): Promise<string> {
  const dir = join(tmp.dir, name);
  await mkdir(dir);
  const { cfgJson, weights } = encodeCheckpoint(ckpt);
  const cfg = JSON.parse(cfgJson) as Record<string, unknown>;
  edit(cfg);
  await writeFile(join(dir, 'cfg.json'), JSON.stringify(cfg));
  await writeFile(join(dir, 'sae_weights.safetensors'), weights);
  return dir;
}

describe('no silent misread: msae normalization without "format": "msae"', () => {
  it('is applied by the SAELens reader (mean and scale as stored), and the source says so', async () => {
    const dir = await writeEdited('no-format', (cfg) => {
      delete cfg.format;
      delete cfg.format_version;
    });
    const read = await loadCheckpoint(dir);
    expect(read.format).toBe('saelens');
    expect(read.normalization.scale).toBeCloseTo(ckpt.normalization.scale, 6);
    expect(read.normalization.scale).not.toBe(1);
    expect(Array.from(read.normalization.mean)).toEqual(Array.from(ckpt.normalization.mean));
    const source = read.training?.source as CheckpointSource;
    expect(source.assumed.normalization).toBeUndefined();
    expect(source.folded.join(' ')).toMatch(/normalization/);
  });

  it('a malformed normalization refuses the file with one line naming the key', async () => {
    const dir = await writeEdited('bad-normalization', (cfg) => {
      delete cfg.format;
      cfg.normalization = { mean: [0, 0], scale: 2 };
    });
    const err = await loadCheckpoint(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toMatch(/cfg\.json: 'normalization' must be \{mean: 4 numbers/);
    expect((err as Error).message.split('\n')).toHaveLength(1);
  });

  it('without the key a SAELens directory still reads with the identity normalization, recorded as assumed', async () => {
    const dir = await writeEdited('plain-saelens', (cfg) => {
      delete cfg.format;
      delete cfg.normalization;
    });
    const read = await loadCheckpoint(dir);
    expect(read.normalization.scale).toBe(1);
    expect((read.training?.source as CheckpointSource).assumed.normalization).toMatch(/identity/);
  });
});

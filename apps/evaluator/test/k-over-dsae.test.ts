import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lastJson, runCli } from './cli-harness.js';
import { makeCheckpoint, makeData, writeCheckpointDir, writeData } from './fixtures.js';

// `--k` values above d_sae are not clamped silently (issue 22, item 8): a note names them and what they mean.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-eval-k-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('evaluate --k 65,1000 on a 64-latent checkpoint prints a note naming both k values', async () => {
  const x = makeData(40, 8, 1);
  await writeCheckpointDir(join(dir, 'ckpt'), makeCheckpoint(x, 64, 2));
  await writeData(join(dir, 'x.npy'), x);
  const run = await runCli(['--checkpoint', join(dir, 'ckpt'), '--data', join(dir, 'x.npy'), '--k', '8,65,1000', '--json', '--out', join(dir, 'report'), '--backend', 'reference']);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toContain('note: ckpt has d_sae = 64; k 65, 1000 exceed it and are evaluated as k = 64 (every latent may fire)');
  expect(lastJson(run.stdout).results.map((r: { k: number }) => r.k)).toHaveLength(3);
});

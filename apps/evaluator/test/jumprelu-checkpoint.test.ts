// A jumprelu checkpoint evaluates like every other: the progressive-k table keeps each row's top-k of its
// thresholded codes z = pre * H(pre - theta), so L0 at 'all' is the mean number of codes above their threshold.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeNormalization, createRng, initParams, normalize, resolveConfig, type Checkpoint } from '@msae/core';
import { referenceForward } from '@msae/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runCli } from './cli-harness.js';
import { makeData, writeCheckpointDir, writeData } from './fixtures.js';

let dir: string;
let dataFile: string;
let ckptDir: string;
let ckpt: Checkpoint;
const x = makeData(120, 16, 3);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-eval-jumprelu-'));
  dataFile = join(dir, 'x.npy');
  await writeData(dataFile, x);
  const config = resolveConfig({ dIn: 16, dSae: 64, architecture: 'jumprelu', bandwidth: 0.01 });
  const params = initParams(config, 5);
  const rng = createRng(6);
  for (let i = 0; i < params.W_enc.length; i++) params.W_enc[i] *= 10;
  for (let i = 0; i < params.b_enc.length; i++) params.b_enc[i] = 0.05 * rng.normal();
  params.log_threshold = Float32Array.from({ length: 64 }, () => Math.log(0.05 + 0.2 * rng.uniform())); // theta in [0.05, 0.25)
  ckpt = { config, params, normalization: computeNormalization(x), training: { epochs: 0, seed: 5, data: 'synthetic test data' } };
  ckptDir = join(dir, 'jumprelu');
  await writeCheckpointDir(ckptDir, ckpt);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('msae-eval on a jumprelu checkpoint', () => {
  it('progressive k: L0 at all = mean #{j: pre_bj > theta_j} (the thresholds the checkpoint stores), and L0 <= k below', async () => {
    const run = await runCli(['--checkpoint', ckptDir, '--data', dataFile, '--k', '2,4,8,all', '--cknna-rows', '0', '--json', '--backend', 'reference']);
    expect(run.code, run.stderr).toBe(0);
    const results = lastJson(run.stdout).results as { k: number; l0: number; fvu: number }[];
    expect(results.map((r) => r.k)).toEqual([2, 4, 8, 64]);
    const f = referenceForward(ckpt.config, ckpt.params, normalize(x.data, ckpt.normalization), x.rows);
    const kept = f.level.reduce((n, v) => n + (v === 0 ? 1 : 0), 0); // level 0 = pre > theta
    expect(results[3].l0).toBeCloseTo(kept / x.rows, 10);
    expect(results[3].l0).toBeLessThan(60); // the thresholds drop codes
    for (const r of results.slice(0, 3)) expect(r.l0).toBeLessThanOrEqual(r.k);
    for (let i = 1; i < results.length; i++) expect(results[i].fvu).toBeLessThanOrEqual(results[i - 1].fvu + 1e-12);
  });

  it('the default k list is 16, 32, then d_sae; tfjs-cpu gives the reference numbers; --backend cpu is refused in one line', async () => {
    const ref = await runCli(['--checkpoint', ckptDir, '--data', dataFile, '--cknna-rows', '0', '--json', '--backend', 'reference']);
    const tfjs = await runCli(['--checkpoint', ckptDir, '--data', dataFile, '--cknna-rows', '0', '--json', '--backend', 'tfjs-cpu']);
    expect(tfjs.code, tfjs.stderr).toBe(0);
    const a = lastJson(ref.stdout).results as { k: number; l0: number; fvu: number }[];
    const b = lastJson(tfjs.stdout).results as { k: number; l0: number; fvu: number }[];
    expect(a.map((r) => r.k)).toEqual([16, 32, 64]);
    b.forEach((r, i) => {
      expect(r.k).toBe(a[i].k);
      expect(r.l0).toBeCloseTo(a[i].l0, 10);
      expect(r.fvu).toBeCloseTo(a[i].fvu, 4);
    });
    const cpu = await runCli(['--checkpoint', ckptDir, '--data', dataFile, '--backend', 'cpu']);
    expect(cpu.code).not.toBe(0);
    expect(cpu.stderr.trim().split('\n').pop()).toBe("msae-eval: engine 'cpu' does not support architecture jumprelu; use --backend tfjs-wasm, tfjs-cpu or reference");
  });
});

// The "done" check: a SAELens-layout checkpoint without msae keys and the paper's .pth evaluate with
// `msae-eval --checkpoint` to the same metrics as the same weights saved by msae. The fixtures were written
// by packages/io/scripts/make-interop-fixtures.py in the tools' own formats; expected.json holds the tensors.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig, type Architecture, type Weighting } from '@msae/core';
import { loadCheckpoint, saveCheckpoint } from '@msae/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runCli } from './cli-harness.js';
import { makeData, writeData } from './fixtures.js';

const FIXTURES = fileURLToPath(new URL('../../../packages/io/test/fixtures/interop/', import.meta.url));
const PAPER = join(FIXTURES, 'paper', '32_8_TopKReLU_4_RW_False_False_0.0_synthetic_train_64_8.pth');
const SAELENS = join(FIXTURES, 'saelens-v6');
const METRICS = ['fvu', 'fvuGlobal', 'cosine', 'nmae', 'l0', 'sparsity', 'deadLatents', 'cknna'] as const;

let dir: string;
let dataFile: string;

/** The fixture's tensors saved by msae itself (saveCheckpoint), from expected.json alone. */
async function msaeCopy(fixture: string, out: string): Promise<void> {
  const e = JSON.parse(await readFile(join(FIXTURES, fixture, 'expected.json'), 'utf8'));
  const config = resolveConfig({ dIn: e.d_in, dSae: e.d_sae, architecture: e.config.architecture as Architecture, k: e.config.k, weighting: e.config.architecture === 'msae' ? (e.config.weighting as Weighting) : undefined });
  const f = (v: number[]) => Float32Array.from(v);
  await saveCheckpoint(out, {
    config,
    params: { W_enc: f(e.W_enc), b_enc: f(e.b_enc), W_dec: f(e.W_dec), b_dec: f(e.b_dec) },
    normalization: { mean: f(e.normalization.mean), scale: e.normalization.scale },
  });
}

async function evaluate(checkpoint: string): Promise<Record<string, number>[]> {
  const run = await runCli(['--checkpoint', checkpoint, '--data', dataFile, '--k', '2,4,8,all', '--cknna-rows', '50', '--json', '--backend', 'reference']);
  expect(run.code, run.stderr).toBe(0);
  return lastJson(run.stdout).results;
}

function expectSameMetrics(a: Record<string, number>[], b: Record<string, number>[]): void {
  expect(a.map((r) => r.k)).toEqual([2, 4, 8, 32]);
  expect(b.map((r) => r.k)).toEqual(a.map((r) => r.k));
  a.forEach((r, i) => {
    for (const key of METRICS) expect(Math.abs(r[key] - b[i][key]), `${key} at k ${r.k}`).toBeLessThanOrEqual(1e-6);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-interop-'));
  dataFile = join(dir, 'val_120_8.npy');
  await writeData(dataFile, makeData(120, 8, 5));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('msae-eval on checkpoints written by other tools', () => {
  it('a SAELens 6.x directory without msae keys evaluates like the same weights saved by msae', async () => {
    await msaeCopy('saelens-v6', join(dir, 'saelens-as-msae'));
    const theirs = await evaluate(SAELENS);
    const ours = await evaluate(join(dir, 'saelens-as-msae'));
    expectSameMetrics(theirs, ours);
    expect(theirs[1].l0).toBeCloseTo(4, 6); // topk at its own k keeps 4 codes per row
    expect(theirs[3].l0).toBeGreaterThan(theirs[1].l0); // 'all' keeps every positive code
  });

  it("the paper's .pth evaluates like the same weights and normalization saved by msae", async () => {
    await msaeCopy('paper', join(dir, 'paper-as-msae'));
    const theirs = await evaluate(PAPER);
    const ours = await evaluate(join(dir, 'paper-as-msae'));
    expectSameMetrics(theirs, ours);
    // the input normalization matters: without it (mean 0, scale 1) the metrics differ
    const e = JSON.parse(await readFile(join(FIXTURES, 'paper', 'expected.json'), 'utf8'));
    const unnormalized = join(dir, 'paper-unnormalized');
    await msaeCopy('paper', unnormalized);
    const cfg = JSON.parse(await readFile(join(unnormalized, 'cfg.json'), 'utf8'));
    cfg.normalization = { mean: new Array(e.d_in).fill(0), scale: 1 };
    await writeFile(join(unnormalized, 'cfg.json'), JSON.stringify(cfg));
    const wrong = await evaluate(unnormalized);
    expect(Math.abs(wrong[1].fvu - theirs[1].fvu)).toBeGreaterThan(1e-3);
  });

  it('convert writes an msae directory that evaluates identically and records its source', async () => {
    const out = join(dir, 'converted-paper');
    const run = await runCli(['convert', PAPER, out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = lastJson(run.stdout);
    expect(result).toMatchObject({ architecture: 'msae', k: 4, dIn: 8, dSae: 32, format: "MSAE paper's .pth checkpoint" });
    expect((await readdir(out)).sort()).toEqual(['cfg.json', 'sae_weights.safetensors']);
    const back = await loadCheckpoint(out);
    expect(back.format).toBe('msae');
    expect((back.training?.source as { format: string }).format).toBe('paper-pth');
    expectSameMetrics(await evaluate(out), await evaluate(PAPER));

    const text = await runCli(['convert', join(FIXTURES, 'saelens-v5'), join(dir, 'converted-v5')]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('(SAELens checkpoint directory 5.3.0: topk, k 4, 8 -> 32)');
    expect(text.stdout).toContain('folded: apply_b_dec_to_input false');
  });

  it('convert errors are one line, exit non-zero and write nothing', async () => {
    const bad = join(dir, 'gated');
    await cp(SAELENS, bad, { recursive: true });
    const cfg = JSON.parse(await readFile(join(bad, 'cfg.json'), 'utf8'));
    await writeFile(join(bad, 'cfg.json'), JSON.stringify({ ...cfg, architecture: 'gated' }));
    const out = join(dir, 'never-written');
    const run = await runCli(['convert', bad, out]);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`^msae-eval: ${bad}/cfg.json: architecture 'gated'`));
    await expect(readdir(out)).rejects.toThrow();

    const busy = join(dir, 'busy');
    await mkdir(busy);
    await writeFile(join(busy, 'notes.txt'), 'keep me');
    const refused = await runCli(['convert', PAPER, busy]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toBe(`msae-eval: ${busy}: already exists and is not empty; pass --force to replace a checkpoint there\n`);
    expect(await readdir(busy)).toEqual(['notes.txt']);
  });
});

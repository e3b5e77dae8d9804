import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoEmbeddings, type Matrix } from '@msae/core';
import { loadCheckpoint, writeEmbeddings } from '@msae/io';
import { runCli } from './cli-harness.js';
import { InterruptedError } from '@msae/cli-kit';
import { runTraining, withRecordedData } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'msae-stream-train-'));
const shards = join(dir, 'shards');
const valFile = join(dir, 'val.npy');
const opts = { dIn: 32, coarse: 6, finePerCoarse: 3, noise: 0.002 };
// Three shards of different sizes and formats (npy, paper memmap, safetensors): 1500 rows in all.
const SIZES: Array<[string, number]> = [
  ['part_1.npy', 700],
  ['part_2_500_32.npy', 500],
  ['part_3.safetensors', 300],
];
// A 0.05 MiB shuffle window (~400 rows of 32 floats; one 1024-row chunk at most) so rows carry across windows.
const common = ['--latents', '64', '--k', '4', '--batch-size', '64', '--lr', '0.003', '--backend', 'reference', '--seed', '5', '--shuffle-buffer', '0.05'];
const streamed = ['--data', shards, '--streaming', 'on', ...common];

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
async function weightsDiff(a: string, b: string): Promise<number> {
  const x = await loadCheckpoint(a);
  const y = await loadCheckpoint(b);
  return Math.max(...(['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const).map((k) => maxAbsDiff(x.params[k], y.params[k])));
}

function expectOneLineError(run: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(run.code).not.toBe(0);
  expect(run.code).not.toBe(null);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

beforeAll(async () => {
  mkdirSync(shards);
  const all = generateDemoEmbeddings({ rows: 1500, seed: 1, ...opts }).x;
  let at = 0;
  for (const [name, rows] of SIZES) {
    const part: Matrix = { data: all.data.slice(at * 32, (at + rows) * 32), rows, cols: 32 };
    await writeEmbeddings(join(shards, name), part, name.includes('_500_') ? { format: 'memmap' } : {});
    at += rows;
  }
  await writeEmbeddings(join(dir, 'all.npy'), all);
  await writeEmbeddings(valFile, generateDemoEmbeddings({ rows: 200, seed: 2, ...opts }).x);
  mkdirSync(join(dir, 'mixed'));
  await writeEmbeddings(join(dir, 'mixed', 'a.npy'), generateDemoEmbeddings({ rows: 30, seed: 3, ...opts }).x);
  await writeEmbeddings(join(dir, 'mixed', 'b.npy'), generateDemoEmbeddings({ rows: 30, seed: 3, dIn: 16 }).x);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('msae-train streaming', () => {
  it('resuming a streamed run stopped mid-epoch (as Ctrl-C stops it) gives the weights of an uninterrupted run', async () => {
    const straight = join(dir, 'straight');
    const split = join(dir, 'split');
    const full = await runCli([...streamed, '--epochs', '2', '--out', straight, '--json']);
    expect(full.code, full.stderr).toBe(0);
    expect(full.stderr).toContain('streamed: 3 shards, 1350 training rows');
    // The CLI's SIGINT handler only aborts the run's signal; abort deterministically at step 9 of epoch 2 (of 22).
    let steps = 0;
    const stop = new AbortController();
    const reporter = { info: () => undefined, step: () => void (++steps >= 31 && stop.abort()), epoch: () => undefined, stop: () => undefined };
    const options = {
      data: shards, streaming: 'on' as const, latents: 64, k: 4, batchSize: 64, lr: 0.003, backend: 'reference', seed: 5, shuffleBuffer: 0.05,
      epochs: 2, out: split, architecture: 'msae' as const, weighting: 'rw' as const, loss: 'nmse' as const, json: false,
    };
    await expect(runTraining(options, reporter, { signal: stop.signal })).rejects.toBeInstanceOf(InterruptedError);
    const state = JSON.parse(readFileSync(join(split, 'trainer_state.json'), 'utf8'));
    expect([state.epoch, state.stepInEpoch, state.globalStep]).toEqual([1, 9, 31]);
    expect(state.stream).toEqual({ windowBytes: Math.round(0.05 * 2 ** 20), chunkRows: 1024 });
    // no --data: a resumed run reads the data recorded in its cfg.json (as the interrupt message's hint says)
    const resumed = await runCli(['--backend', 'reference', '--resume', split, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('streamed: 3 shards, 1350 training rows');
    expect((await loadCheckpoint(split)).training?.steps).toBe(44);
    expect(await weightsDiff(straight, split)).toBeLessThan(1e-6);
  });

  it('computes the normalization of a stream in one pass as the in-memory path does', async () => {
    const a = join(dir, 'norm-stream');
    const b = join(dir, 'norm-memory');
    const shared = [...common, '--val', valFile, '--max-steps', '3'];
    expect((await runCli(['--data', shards, '--streaming', 'on', ...shared, '--out', a])).code).toBe(0);
    expect((await runCli(['--data', join(dir, 'all.npy'), '--streaming', 'off', ...shared, '--out', b])).code).toBe(0);
    const x = await loadCheckpoint(a);
    const y = await loadCheckpoint(b);
    expect(maxAbsDiff(x.normalization.mean, y.normalization.mean)).toBeLessThan(1e-6);
    expect(Math.abs(x.normalization.scale / y.normalization.scale - 1)).toBeLessThan(1e-6);
  });

  it('--max-steps stops mid-epoch after that many steps and saves the checkpoint as usual', async () => {
    const out = join(dir, 'max-steps');
    const run = await runCli([...streamed, '--epochs', '5', '--max-steps', '30', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const state = JSON.parse(readFileSync(join(out, 'trainer_state.json'), 'utf8'));
    expect(state.globalStep).toBe(30);
    expect([state.epoch, state.stepInEpoch]).toEqual([1, 30 - 22]);
    const ck = await loadCheckpoint(out);
    expect(ck.training?.steps).toBe(30);
    expect(Array.isArray(ck.training?.metrics)).toBe(true);
  });

  it.each([
    ['a glob matching nothing', () => ['--data', join(dir, 'shards', '*.parquet')], /\*\.parquet: the glob matches no files$/],
    ['shards of different widths', () => ['--data', join(dir, 'mixed'), '--streaming', 'on'], /b\.npy: width 16 does not match width 32 of the first shard/],
    ['several shards with --streaming off', () => ['--data', shards, '--streaming', 'off'], /names 3 shards; --streaming off reads one file/],
  ])('fails with one line on %s, writing nothing', async (_name, args, pattern) => {
    const out = join(dir, 'never');
    const run = await runCli([...args(), ...common, '--out', out]);
    expectOneLineError(run, pattern);
    expect(existsSync(out)).toBe(false);
  });
});

describe('msae-train --sweep', () => {
  const members = [
    { name: 'msae-k4', architecture: 'msae', k: 4, seed: 11 },
    { name: 'topk-k8', architecture: 'topk', k: 8, seed: 12, lr: 0.002 },
  ];

  it('trains two members in one pass with the weights of two separate runs', async () => {
    const file = join(dir, 'sweep.json');
    const out = join(dir, 'sweep-out');
    writeFileSync(file, JSON.stringify({ data: shards, streaming: 'on', epochs: 2, batchSize: 64, dataSeed: 9, shuffleBuffer: 0.05, backend: 'reference', out, members: members.map((m) => ({ ...m, latents: 64, lr: m.lr ?? 0.003 })) }));
    const sweep = await runCli(['--sweep', file]);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(sweep.stdout).toContain('msae-k4');
    expect(sweep.stdout).toContain('topk-k8');
    for (const m of members) {
      const single = join(dir, `single-${m.name}`);
      const args = ['--data', shards, '--streaming', 'on', '--epochs', '2', '--batch-size', '64', '--data-seed', '9', '--shuffle-buffer', '0.05', '--backend', 'reference'];
      const run = await runCli([...args, '--architecture', m.architecture, '--k', String(m.k), '--seed', String(m.seed), '--latents', '64', '--lr', String(m.lr ?? 0.003), '--out', single]);
      expect(run.code, run.stderr).toBe(0);
      expect(await weightsDiff(join(out, m.name), single)).toBeLessThan(1e-6);
    }
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    // Every member at every progressive k: 16, 32, 64 (= d_sae).
    expect(results.records.map((r: { member: string; k: number }) => `${r.member}@${r.k}`)).toEqual(['msae-k4@16', 'msae-k4@32', 'msae-k4@64', 'topk-k8@16', 'topk-k8@32', 'topk-k8@64']);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('| topk-k8');
    expect(JSON.parse(readFileSync(join(out, 'pareto.vl.json'), 'utf8')).data.values).toHaveLength(6);
  });

  it.each([
    ['invalid JSON', '{"members": [', /sweep-bad\.json: not valid JSON/],
    ['no members', '{"data": "x.npy", "members": []}', /sweep-bad\.json: members must be a non-empty array/],
    ['a bad k', '{"members": [{"k": -3}]}', /sweep-bad\.json: members\[0\]\.k must be a positive integer, got -3$/],
    ['an unknown key', '{"members": [{"kk": 3}]}', /sweep-bad\.json: members\[0\]\.kk is not a sweep key/],
    ['a repeated name', '{"members": [{"name": "a"}, {"name": "a"}]}', /members\[1\]\.name 'a' is used twice/],
    ['l1 on msae', '{"members": [{"architecture": "msae", "l1": 0.1}]}', /members\[0\]\.l1 applies to architecture relu only \(not msae\)$/],
  ])('rejects a sweep file with %s in one line', async (_name, text, pattern) => {
    const file = join(dir, 'sweep-bad.json');
    writeFileSync(file, text);
    expectOneLineError(await runCli(['--sweep', file]), pattern);
  });

  it('rejects member options on the command line and a missing sweep file', async () => {
    const file = join(dir, 'sweep-ok.json');
    writeFileSync(file, JSON.stringify({ members: [{ k: 4 }] }));
    expectOneLineError(await runCli(['--sweep', file, '--k', '8']), /--k is set per member in the sweep file/);
    expectOneLineError(await runCli(['--sweep', join(dir, 'nope.json')]), /nope\.json: not found/);
  });
});

describe('withRecordedData', () => {
  const base = { epochs: 1, seed: 42, backend: 'auto', architecture: 'msae' as const, weighting: 'rw' as const, loss: 'nmse' as const, json: false };
  it('fills --data and --val from the resumed cfg.json, never from labels, and never overrides what is given', () => {
    expect(withRecordedData(base, { training: { data: '/d/train.npy', val: '/d/val.npy' } })).toMatchObject({ data: '/d/train.npy', val: '/d/val.npy' });
    const labels = withRecordedData(base, { training: { data: 'builtin:demo (synthetic)', val: 'holdout:stream' } });
    expect([labels.data, labels.val]).toEqual([undefined, undefined]);
    const given = withRecordedData({ ...base, data: '/other.npy' }, { training: { data: '/d/train.npy', val: '/d/val.npy' } });
    expect([given.data, given.val]).toEqual(['/other.npy', undefined]);
  });
});


import { mkdirSync, mkdtempSync, readFileSync, existsSync, rmSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoEmbeddings } from '@msae/core';
import { loadCheckpoint, writeEmbeddings } from '@msae/io';
import { lastJson, runCli } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'msae-trainer-'));
const trainFile = join(dir, 'train.npy');
const valFile = join(dir, 'val.npy');
// A small problem the reference engine trains in seconds: 32-d planted concepts, 128 latents, nesting 8..128.
const common = ['--data', trainFile, '--val', valFile, '--latents', '128', '--k', '8', '--batch-size', '64', '--lr', '0.003', '--backend', 'reference', '--seed', '7'];

beforeAll(async () => {
  const opts = { dIn: 32, coarse: 6, finePerCoarse: 3, noise: 0.002 };
  await writeEmbeddings(trainFile, generateDemoEmbeddings({ rows: 640, seed: 1, ...opts }).x);
  await writeEmbeddings(valFile, generateDemoEmbeddings({ rows: 200, seed: 2, ...opts }).x);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('msae-train', () => {
  it('trains an msae, reports val metrics at k and d_sae, and writes a loadable checkpoint', async () => {
    const out = join(dir, 'run-full');
    const run = await runCli([...common, '--epochs', '6', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.event === 'epoch')).toHaveLength(6);
    const result = lastJson(run.stdout);
    expect(result.checkpoint).toBe(out);
    expect(result.samplesPerSecond).toBeGreaterThan(0);
    expect(result.val.map((r: { k: number }) => r.k)).toEqual([8, 128]);
    const [atK, full] = result.val;
    for (const key of ['fvu', 'fvuGlobal', 'cosine', 'nmae', 'l0', 'sparsity', 'deadLatents', 'cknna']) {
      expect(Number.isFinite(atK[key]), key).toBe(true);
    }
    expect(atK.l0).toBeLessThanOrEqual(8);
    expect(full.l0).toBeGreaterThan(atK.l0);
    // Matryoshka: more codes reconstruct better, and training actually learned the planted structure.
    expect(full.fvu).toBeLessThan(atK.fvu);
    expect(full.fvu).toBeLessThan(0.3);
    expect(full.cosine).toBeGreaterThan(0.9);
    // Epoch-level val FVU decreases over training.
    const epochs = lines.filter((l) => l.event === 'epoch');
    expect(epochs[5].val[0].fvu).toBeLessThan(epochs[0].val[0].fvu);
    expect(epochs[5].val.map((v: { k: number }) => v.k)).toEqual([8, 128]);
    expect(epochs[5].val[1].fvu).toBeCloseTo(full.fvu, 6);

    expect(readdirSync(out).sort()).toEqual(['cfg.json', 'optimizer_state.safetensors', 'sae_weights.safetensors', 'trainer_state.json']);
    const cfg = JSON.parse(readFileSync(join(out, 'cfg.json'), 'utf8'));
    expect(cfg.d_in).toBe(32);
    expect(cfg.d_sae).toBe(128);
    expect(cfg.architecture).toBe('msae');
    expect(cfg.nesting).toEqual([8, 16, 32, 64, 128]);
    expect(cfg.weights).toEqual([5, 4, 3, 2, 1]);
    expect(cfg.normalization.mean).toHaveLength(32);
    expect(cfg.training.epochs).toBe(6);
    expect(cfg.training.seed).toBe(7);
    expect(cfg.training.data).toBe(trainFile);
    const loaded = await loadCheckpoint(out);
    expect(loaded.params.W_dec.length).toBe(128 * 32);
  });

  it('--resume after a shorter run gives the same weights as one uninterrupted run', async () => {
    const straight = join(dir, 'straight');
    const split = join(dir, 'split');
    expect((await runCli([...common, '--epochs', '4', '--out', straight])).code).toBe(0);
    // Same schedule (4 epochs), stopped after 2 by Ctrl-C on the second epoch line.
    let sent = false;
    let epochsSeen = 0;
    const interrupted = await runCli([...common, '--epochs', '4', '--out', split, '--json'], (line, kill) => {
      if (line.includes('"event":"epoch"')) epochsSeen++;
      if (epochsSeen === 2 && !sent) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).toContain('--resume');
    const state = JSON.parse(readFileSync(join(split, 'trainer_state.json'), 'utf8'));
    expect(state.epoch).toBeGreaterThanOrEqual(2);
    expect(state.epoch).toBeLessThan(4);
    const resumed = await runCli([...common, '--resume', split, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const a = await loadCheckpoint(straight);
    const b = await loadCheckpoint(split);
    expect(b.training?.steps).toBe(a.training?.steps);
    const maxDiff = a.params.W_dec.reduce((m, v, i) => Math.max(m, Math.abs(v - b.params.W_dec[i])), 0);
    expect(maxDiff).toBeLessThan(1e-6);
  });

  it.each([
    ['a missing data file', ['--data', join(dir, 'nope.npy')], /nope\.npy/],
    ['an unknown option', ['--frobnicate'], /unknown option '--frobnicate'/],
    ['a bad architecture', ['--architecture', 'mlp'], /architecture/],
    ['a non-numeric k', ['--k', 'x'], /--k must be a positive integer/],
  ])('fails with one line on %s', async (_name, args, pattern) => {
    const run = await runCli(args);
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBe(null);
    const errLines = run.stderr.trim().split('\n');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a validation file of another dimension and NaN rows, writing nothing', async () => {
    const bad = join(dir, 'val16.npy');
    await writeEmbeddings(bad, generateDemoEmbeddings({ rows: 20, dIn: 16, seed: 3 }).x);
    const out = join(dir, 'never');
    const run = await runCli(['--data', trainFile, '--val', bad, '--out', out, '--backend', 'reference']);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/val16\.npy.*dimension 16/);
    expect(existsSync(out)).toBe(false);

    const nan = generateDemoEmbeddings({ rows: 50, dIn: 32, seed: 4 }).x;
    nan.data[7 * 32 + 3] = Number.NaN;
    const nanFile = join(dir, 'nan.npy');
    writeFileSync(nanFile, npyBytes(nan.data, nan.rows, nan.cols));
    const run2 = await runCli(['--data', nanFile, '--out', out, '--backend', 'reference']);
    expect(run2.code).not.toBe(0);
    expect(run2.stderr.trim().split('\n')).toHaveLength(1);
    expect(run2.stderr).toMatch(/nan\.npy.*row 7/);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects an unwritable --out before training (not after) and an empty --val, in one line', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const out = join(blocker, 'ckpt');
    const run = await runCli([...common, '--epochs', '1', '--out', out]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).not.toMatch(/epoch 1/);
    expect(run.stderr.trim().split('\n').pop()).toBe(`msae-train: ${out}: cannot write: ${blocker} is not a directory`);
    expect(run.stderr).not.toMatch(/\n\s+at /);

    const empty = join(dir, 'empty-val.npy');
    writeFileSync(empty, npyBytes(new Float32Array(0), 0, 32));
    const never = join(dir, 'never-empty');
    const run2 = await runCli(['--data', trainFile, '--val', empty, '--out', never, '--backend', 'reference', '--epochs', '1']);
    expect(run2.code).not.toBe(0);
    expect(run2.stderr.trim().split('\n')).toEqual([`msae-train: ${empty}: no rows to validate on`]);
    expect(existsSync(never)).toBe(false);

    // a --resume that is a file, or a directory without the checkpoint files: one line before any data is read
    const run3 = await runCli([...common, '--resume', blocker]);
    expect(run3.code).not.toBe(0);
    expect(run3.stderr.trim().split('\n')).toEqual([`msae-train: ${blocker}: not a directory (expected a checkpoint directory)`]);
    const emptyDir = join(dir, 'empty-dir');
    mkdirSync(emptyDir);
    const run4 = await runCli([...common, '--resume', emptyDir]);
    expect(run4.code).not.toBe(0);
    expect(run4.stderr.trim().split('\n')).toHaveLength(1);
    expect(run4.stderr).toMatch(/empty-dir.*cfg\.json: not found/);
  });
});

/** A plain .npy v1.0 <f4 C-order file, built by hand (writeEmbeddings refuses NaN rows). */
function npyBytes(data: Float32Array, rows: number, cols: number): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

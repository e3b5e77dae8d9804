import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoEmbeddings, initParams } from '@msae/core';
import { loadCheckpoint, writeEmbeddings } from '@msae/io';
import { lastJson, runCli } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'msae-trainer-jumprelu-'));
const trainFile = join(dir, 'train.npy');
beforeAll(async () => {
  await writeEmbeddings(trainFile, generateDemoEmbeddings({ rows: 600, seed: 1, dIn: 16, coarse: 4, finePerCoarse: 2 }).x);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('msae-train --architecture jumprelu', () => {
  for (const backend of ['reference', 'tfjs-cpu']) {
    it(`trains on the demo data (${backend}): the epoch loss decreases, and the checkpoint reloads with trained thresholds`, async () => {
      const out = join(dir, `jumprelu-${backend}`);
      const run = await runCli(['--data', trainFile, '--architecture', 'jumprelu', '--latents', '64', '--epochs', '4', '--batch-size', '100', '--l0', '0.002',
        '--bandwidth', '0.01', '--init-threshold', '0.02', '--backend', backend, '--out', out, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const epochs = run.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'epoch');
      expect(epochs).toHaveLength(4);
      for (let i = 1; i < epochs.length; i++) expect(epochs[i].loss).toBeLessThan(epochs[i - 1].loss);
      const result = lastJson(run.stdout);
      expect(result.val.map((r: { k: number }) => r.k)).toEqual([64]); // its own k is every thresholded code
      expect(result.val[0].l0).toBeLessThan(64);
      const ckpt = await loadCheckpoint(out, { resume: true });
      expect(ckpt.config).toMatchObject({ architecture: 'jumprelu', dSae: 64, l0: 0.002, bandwidth: 0.01, initThreshold: 0.02 });
      // trained: log_threshold moved from log(0.02) (init) for some latents, and AdamW moments exist for it
      const init = initParams(ckpt.config, 42).log_threshold!;
      expect(ckpt.params.log_threshold!.some((v, j) => Math.abs(v - init[j]) > 1e-3)).toBe(true);
      expect(ckpt.optimizer!.m.log_threshold!.some((v) => v !== 0)).toBe(true);
    });
  }

  it('refuses the jumprelu options for other architectures, in one line, and the cpu engine refuses jumprelu', async () => {
    const a = await runCli(['--architecture', 'topk', '--l0', '0.1']);
    expect(a.code).not.toBe(0);
    expect(a.stderr.trim().split('\n')).toEqual(['msae-train: --l0 applies to architecture jumprelu only (not topk)']);
    const b = await runCli(['--architecture', 'msae', '--bandwidth', '0.1', '--init-threshold', '0.1']);
    expect(b.stderr.trim().split('\n')).toEqual(['msae-train: --bandwidth applies to architecture jumprelu only (not msae)']);
    const c = await runCli(['--data', trainFile, '--architecture', 'jumprelu', '--latents', '64', '--epochs', '1', '--backend', 'cpu', '--out', join(dir, 'cpu')]);
    expect(c.code).not.toBe(0);
    expect(c.stderr.trim().split('\n')).toEqual(["msae-train: engine 'cpu' does not support architecture jumprelu; use --backend tfjs-wasm, tfjs-cpu or reference"]);
    expect(existsSync(join(dir, 'cpu'))).toBe(false);
  });

  it('--help lists the jumprelu options', async () => {
    const help = (await runCli(['--help'])).stdout;
    expect(help).toMatch(/--l0 <x>\s+jumprelu: L0 penalty coefficient/);
    expect(help).toMatch(/--bandwidth <x>\s+jumprelu: kernel bandwidth/);
    expect(help).toMatch(/--init-threshold <x>\s+jumprelu: initial threshold/);
  });
});

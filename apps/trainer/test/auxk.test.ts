import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, generateDemoEmbeddings } from '@msae/core';
import { SINCE_FIRED_TENSOR } from '@msae/core/internal';
import { loadCheckpoint, writeEmbeddings } from '@msae/io';
import { lastJson, runCli } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'msae-trainer-auxk-'));
const trainFile = join(dir, 'train.npy');
const valFile = join(dir, 'val.npy');
// TopK with many latents for 32-d data: plenty of latents die, so AuxK is active after --dead-after samples.
const common = ['--data', trainFile, '--val', valFile, '--architecture', 'topk', '--latents', '256', '--k', '4', '--batch-size', '64', '--lr', '0.003', '--backend', 'reference', '--seed', '3'];

beforeAll(async () => {
  const opts = { dIn: 32, coarse: 6, finePerCoarse: 3, noise: 0.002 };
  await writeEmbeddings(trainFile, generateDemoEmbeddings({ rows: 512, seed: 1, ...opts }).x);
  await writeEmbeddings(valFile, generateDemoEmbeddings({ rows: 128, seed: 2, ...opts }).x);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('msae-train --auxk', () => {
  it('writes the AuxK config to cfg.json and the dead-latent counts to the optimizer state', async () => {
    const out = join(dir, 'auxk');
    const run = await runCli([...common, '--auxk', '--dead-after', '128', '--epochs', '2', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(lastJson(run.stdout).checkpoint).toBe(out);
    const cfg = JSON.parse(readFileSync(join(out, 'cfg.json'), 'utf8'));
    expect([cfg.aux_k, cfg.aux_k_coefficient, cfg.dead_after_samples]).toEqual([16, 1 / 32, 128]);
    const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(join(out, 'optimizer_state.safetensors'))));
    const since = tensors[SINCE_FIRED_TENSOR].data;
    expect(since).toHaveLength(256);
    // counts are multiples of the batch size capped at --dead-after, and some latents are dead
    for (const s of since) expect(s === 128 || (s % 64 === 0 && s < 128)).toBe(true);
    expect(since.some((s) => s === 128)).toBe(true);
    const ck = await loadCheckpoint(out);
    expect(ck.config.auxK).toBe(16);
  });

  it('--resume mid-training with AuxK gives the same weights as one uninterrupted run', async () => {
    const straight = join(dir, 'straight');
    const split = join(dir, 'split');
    const args = [...common, '--aux-k', '8', '--aux-weight', '0.5', '--dead-after', '64', '--epochs', '4'];
    expect((await runCli([...args, '--out', straight])).code).toBe(0);
    let sent = false;
    let epochsSeen = 0;
    const interrupted = await runCli([...args, '--out', split, '--json'], (line, kill) => {
      if (line.includes('"event":"epoch"')) epochsSeen++;
      if (epochsSeen === 2 && !sent) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(interrupted.code, interrupted.stderr).toBe(130);
    const resumed = await runCli([...common, '--resume', split, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const a = await loadCheckpoint(straight);
    const b = await loadCheckpoint(split);
    const maxDiff = a.params.W_enc.reduce((m, v, i) => Math.max(m, Math.abs(v - b.params.W_enc[i])), 0);
    expect(maxDiff).toBeLessThan(1e-6);
    const countsOf = (d: string) => Array.from(decodeSafetensors(new Uint8Array(readFileSync(join(d, 'optimizer_state.safetensors')))).tensors[SINCE_FIRED_TENSOR].data);
    expect(countsOf(split)).toEqual(countsOf(straight));
  });

  it('refuses AuxK for relu in one line', async () => {
    const run = await runCli(['--architecture', 'relu', '--auxk']);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual(['msae-train: --auxk applies to architecture topk, batchtopk, msae, matryoshka-batchtopk only (not relu)']);
  });
});

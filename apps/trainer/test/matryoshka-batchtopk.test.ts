import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoEmbeddings } from '@msae/core';
import { writeEmbeddings } from '@msae/io';
import { lastJson, runCli } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'msae-trainer-prefix-'));
const trainFile = join(dir, 'train.npy');
const valFile = join(dir, 'val.npy');

beforeAll(async () => {
  const opts = { dIn: 32, coarse: 6, finePerCoarse: 3, noise: 0.002 };
  await writeEmbeddings(trainFile, generateDemoEmbeddings({ rows: 384, seed: 1, ...opts }).x);
  await writeEmbeddings(valFile, generateDemoEmbeddings({ rows: 128, seed: 2, ...opts }).x);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('msae-train --architecture matryoshka-batchtopk', () => {
  it('trains with --groups fractions and --group-weights and records the group prefixes', async () => {
    const out = join(dir, 'prefix');
    const run = await runCli(['--data', trainFile, '--val', valFile, '--architecture', 'matryoshka-batchtopk', '--latents', '128', '--k', '8',
      '--groups', '1/8,1/8,3/4', '--group-weights', '3,2,1', '--batch-size', '64', '--lr', '0.003', '--epochs', '4', '--backend', 'reference', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = lastJson(run.stdout);
    expect(result.val.map((r: { k: number }) => r.k)).toEqual([8, 128]);
    expect(result.val[0].fvu).toBeLessThan(0.5);
    const cfg = JSON.parse(readFileSync(join(out, 'cfg.json'), 'utf8'));
    expect([cfg.architecture, cfg.nesting, cfg.weights, cfg.k]).toEqual(['matryoshka-batchtopk', [16, 32, 128], [3, 2, 1], 8]);
  });

  it('refuses --groups for another architecture and a bad list, in one line', async () => {
    const a = await runCli(['--architecture', 'msae', '--groups', '0.5,0.5']);
    expect(a.stderr.trim().split('\n')).toEqual(['msae-train: --groups applies to architecture matryoshka-batchtopk only (not msae)']);
    const b = await runCli(['--architecture', 'matryoshka-batchtopk', '--groups', '0.5,x']);
    expect(b.code).not.toBe(0);
    expect(b.stderr.trim().split('\n')).toEqual(["msae-train: --groups must be a comma-separated list of positive numbers, got '0.5,x'"]);
  });
});

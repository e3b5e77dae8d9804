import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoEmbeddings } from '@msae/core';
import { writeEmbeddings } from '@msae/io';
import { CLI } from './cli-harness.js';

// Every architecture through the CLI without --out and --lr: the registry decides the directory label, the
// learning rate and the k the validation reports at.
const dir = mkdtempSync(join(tmpdir(), 'msae-trainer-arch-'));
const trainFile = join(dir, 'train.npy');
beforeAll(async () => {
  await writeEmbeddings(trainFile, generateDemoEmbeddings({ rows: 300, seed: 1, dIn: 16, coarse: 4, finePerCoarse: 2 }).x);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cases = [
  { args: ['--architecture', 'msae', '--weighting', 'uw', '--k', '4'], label: 'msae-uw', lr: 1e-4, ks: [4, 64] },
  { args: ['--architecture', 'topk', '--k', '8'], label: 'topk', lr: 5e-4, ks: [8, 64] },
  { args: ['--architecture', 'batchtopk', '--k', '6'], label: 'batchtopk', lr: 5e-4, ks: [6, 64] },
  { args: ['--architecture', 'relu'], label: 'relu', lr: 5e-5, ks: [64] },
];

describe('msae-train per architecture (registry defaults)', () => {
  for (const c of cases) {
    it(`${c.label}: runs/${c.label}, lr ${c.lr}, reports at k ${c.ks.join(', ')}`, async () => {
      const args = [CLI, '--data', trainFile, '--latents', '64', '--epochs', '1', '--batch-size', '100', '--backend', 'reference', '--json', ...c.args];
      const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: dir });
      const result = JSON.parse(stdout.trim().split('\n').pop()!);
      expect(result.checkpoint).toBe(`runs/${c.label}`);
      expect(result.val.map((r: { k: number }) => r.k)).toEqual(c.ks);
      const cfg = JSON.parse(readFileSync(join(dir, 'runs', c.label, 'cfg.json'), 'utf8'));
      expect(cfg.training.lr).toBe(c.lr);
      expect(existsSync(join(dir, 'runs', c.label, 'sae_weights.safetensors'))).toBe(true);
    });
  }
});

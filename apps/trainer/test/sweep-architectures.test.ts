/**
 * A sweep can train every architecture with every option of the schema: AuxK, prefix-Matryoshka groups, JumpReLU's
 * L0/bandwidth/threshold and relu's L1, each member written to its own checkpoint with those values in cfg.json
 * (under the cfg keys the schema names) and an epoch loss that fell.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoEmbeddings } from '@msae/core';
import { writeEmbeddings } from '@msae/io';
import { optionSpec } from '@msae/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'msae-sweep-arch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await writeEmbeddings(join(dir, 'train.npy'), generateDemoEmbeddings({ rows: 2000, dIn: 32, seed: 11 }).x);
});

const members = [
  { name: 'auxk', architecture: 'msae', k: 4, latents: 64, auxK: 8, auxWeight: 0.05, deadAfter: 500, lr: 0.002 },
  { name: 'groups', architecture: 'matryoshka-batchtopk', k: 4, latents: 64, groups: [0.25, 0.75], groupWeights: [2, 1], lr: 0.002 },
  { name: 'jumprelu', architecture: 'jumprelu', latents: 64, l0: 0.0003, bandwidth: 0.05, initThreshold: 0.2, lr: 0.002 },
  { name: 'relu', architecture: 'relu', latents: 64, l1: 0.001, lr: 0.002 },
];

describe('msae-train --sweep with every architecture option', () => {
  it('trains AuxK, prefix groups, JumpReLU and L1 members in one pass: cfg.json holds each option, each loss fell', async () => {
    const file = join(dir, 'sweep.json');
    const out = join(dir, 'out');
    writeFileSync(file, JSON.stringify({ data: join(dir, 'train.npy'), out, epochs: 3, batchSize: 200, backend: 'reference', members }));
    const run = await runCli(['--sweep', file]);
    expect(run.code, run.stderr).toBe(0);
    for (const m of members) {
      const cfg = JSON.parse(readFileSync(join(out, m.name, 'cfg.json'), 'utf8'));
      expect(cfg.architecture).toBe(m.architecture);
      // every option the member sets is in cfg.json under the schema's cfg key
      for (const [key, value] of Object.entries(m)) {
        const spec = optionSpec(key);
        if (spec?.cfgKey === undefined || ['architecture', 'k', 'latents', 'groups', 'groupWeights'].includes(key)) continue;
        expect(cfg[spec.cfgKey], `${m.name}: ${key} -> ${spec.cfgKey}`).toBe(value);
      }
      const losses = [...run.stderr.matchAll(new RegExp(`^${m.name}: epoch \\d/3 loss ([\\d.e+-]+)`, 'gm'))].map((x) => Number(x[1]));
      expect(losses, m.name).toHaveLength(3);
      expect(losses[2], `${m.name}: losses ${losses.join(', ')}`).toBeLessThan(losses[0]);
    }
    const groups = JSON.parse(readFileSync(join(out, 'groups', 'cfg.json'), 'utf8'));
    expect([groups.nesting, groups.weights, groups.k]).toEqual([[16, 64], [2, 1], 4]);
    const aux = JSON.parse(readFileSync(join(out, 'auxk', 'cfg.json'), 'utf8'));
    expect([aux.aux_k, aux.aux_k_coefficient, aux.dead_after_samples]).toEqual([8, 0.05, 500]);
    const jump = JSON.parse(readFileSync(join(out, 'jumprelu', 'cfg.json'), 'utf8'));
    expect([jump.l0_coefficient, jump.jumprelu_bandwidth, jump.jumprelu_init_threshold]).toEqual([0.0003, 0.05, 0.2]);
    expect(JSON.parse(readFileSync(join(out, 'relu', 'cfg.json'), 'utf8')).l1_coefficient).toBe(0.001);
  });

  it('refuses an option the member architecture does not take, naming the member and the option', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ members: [{ architecture: 'topk', l0: 0.1 }] }));
    const run = await runCli(['--sweep', file]);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([`msae-train: ${file}: members[0].l0 applies to architecture jumprelu only (not topk)`]);
  });
});

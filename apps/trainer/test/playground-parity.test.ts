/**
 * One loop: the same run through msae-train (the CLI process) and through the playground worker's code
 * (apps/docs/lib/train-session.ts, which the Web Worker calls) gives bitwise the same weights for the same seed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReferenceEngine, decodeSafetensors, demoDataset } from '@msae/core';
import { loadCheckpoint } from '@msae/io';
import { afterAll, describe, expect, it } from 'vitest';
import { trainSae, type TrainEvent } from '../../docs/lib/train-session.js';
import { runCli } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'msae-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settings = { architecture: 'msae', weighting: 'rw', k: 4, latents: 32, epochs: 2, batchSize: 512, seed: 7 } as const;
const flags = ['--architecture', 'msae', '--weighting', 'rw', '--k', '4', '--latents', '32', '--epochs', '2', '--batch-size', '512', '--seed', '7', '--max-steps', '12'];

describe('one training loop for the CLI and the playground worker', () => {
  it('msae-train and the worker code give bitwise the same weights on the demo data (reference engine, 12 steps)', async () => {
    const out = join(dir, 'cli');
    const run = await runCli([...flags, '--backend', 'reference', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const cli = await loadCheckpoint(out);
    const demo = demoDataset();
    const page = await trainSae(createReferenceEngine(), demo.train.x, demo.val.x, { ...settings, maxSteps: 12 });
    expect(page.steps).toBe(12);
    const tensors = decodeSafetensors(page.weights).tensors;
    for (const name of ['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const) {
      expect(cli.params[name].length).toBeGreaterThan(0);
      expect(Array.from(tensors[name].data), name).toEqual(Array.from(cli.params[name]));
    }
    expect(JSON.parse(page.cfgJson).normalization).toEqual({ mean: Array.from(cli.normalization.mean), scale: cli.normalization.scale });
  });

  it("the worker's Stop ends training after the current step and returns that step's checkpoint", async () => {
    const demo = demoDataset({ train: 4096, val: 512 });
    const stop = new AbortController();
    const steps: number[] = [];
    const onEvent = (e: TrainEvent) => {
      if (e.type !== 'step') return;
      steps.push(e.step);
      if (e.step === 3) stop.abort();
    };
    const page = await trainSae(createReferenceEngine(), demo.train.x, demo.val.x, { ...settings, batchSize: 256 }, onEvent, stop.signal);
    expect(steps).toEqual([1, 2, 3]);
    expect([page.steps, page.stopped]).toEqual([3, true]);
    expect(JSON.parse(page.cfgJson).training.globalStep).toBe(3);
  });

  it('the playground refuses what the CLI refuses, with the same words', async () => {
    const demo = demoDataset({ train: 8, val: 8 });
    await expect(trainSae(createReferenceEngine(), demo.train.x, demo.val.x, { ...settings, lr: -1 })).rejects.toThrow('lr must be a positive number, got -1');
    await expect(trainSae(createReferenceEngine(), demo.train.x, demo.val.x, settings)).rejects.toThrow('batchSize is 512, more than the 8 training rows');
    const cli = await runCli(['--lr', '-1']);
    expect(cli.stderr.trim()).toBe("msae-train: --lr must be a positive number, got '-1'");
  });
});

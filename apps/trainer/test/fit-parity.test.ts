/**
 * fit() (issue 23) trains the demo to the same validation FVU as msae-train: in Node (reference and auto engines)
 * and in Chromium (the package bundled for the browser with esbuild, reference engine), same options and steps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoDataset } from '@msae/core';
import { fit } from '@msae/training';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFitPage, fitInChromium, haveChromium } from './browser/fit-in-chromium.js';
import { lastJson, runCli } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'msae-fit-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settings = { architecture: 'msae', k: 8, latents: 128, epochs: 1, batchSize: 256, seed: 3, maxSteps: 16 } as const;
const flags = ['--architecture', 'msae', '--k', '8', '--latents', '128', '--epochs', '1', '--batch-size', '256', '--seed', '3', '--max-steps', '16'];
const ks = [8, 128];

let runs = 0;
async function cliFvu(backend: string): Promise<number[]> {
  // a fresh --out per run: train refuses to replace another run's checkpoint
  const run = await runCli([...flags, '--backend', backend, '--out', join(dir, `${backend}-${runs++}`), '--json']);
  expect(run.code, run.stderr).toBe(0);
  const val = lastJson(run.stdout).val as Array<{ k: number; fvu: number }>;
  expect(val.map((r) => r.k)).toEqual(ks);
  return val.map((r) => r.fvu);
}

describe('fit() trains the demo to the FVU of msae-train', () => {
  const demo = demoDataset();

  it.each(['reference', 'auto'])('in Node, engine %s', async (engine) => {
    const want = await cliFvu(engine);
    const model = await fit(demo.train.x, { ...settings, engine, demo: true });
    expect(model.training.steps).toBe(16);
    const got = (await model.evaluate(demo.val.x, ks)).map((r) => r.fvu);
    await model.dispose();
    console.log(`fit (${engine}) FVU@${ks.join(',')} = ${got.map((v) => v.toFixed(6)).join(', ')}; msae-train: ${want.map((v) => v.toFixed(6)).join(', ')}`);
    for (const [i, v] of want.entries()) expect(Math.abs(got[i] - v) / v).toBeLessThan(1e-6);
  });

  it.skipIf(!haveChromium)('in Chromium (esbuild browser bundle, no node:* import), reference engine', async () => {
    const want = await cliFvu('reference');
    const { code, inputs } = await bundleFitPage();
    expect(inputs.some((f) => f.includes('training/dist/index.js'))).toBe(true);
    expect(code).not.toMatch(/(from\s*|import\(\s*|require\(\s*)["']node:/);
    const page = await fitInChromium(code, { ...settings, engine: 'reference', ks });
    expect(page.error).toBeUndefined();
    expect(page.steps).toBe(16);
    const got = page.records!.map((r) => r.fvu);
    console.log(`fit in Chromium FVU@${ks.join(',')} = ${got.map((v) => v.toFixed(6)).join(', ')}; msae-train: ${want.map((v) => v.toFixed(6)).join(', ')}`);
    for (const [i, v] of want.entries()) expect(Math.abs(got[i] - v) / v).toBeLessThan(1e-6);
  });
});

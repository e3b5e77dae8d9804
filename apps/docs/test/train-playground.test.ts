/**
 * The Train view trains the synthetic demo for a fixed number of steps in a Web Worker, on tfjs wasm
 * and on tfjs WebGPU (SwiftShader), and shows the same progressive-k FVU as the reference engine run
 * in Node on the same data, initialization and batch order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceEngine } from '@msae/core';
import { demoDataset } from '../lib/datasets.js';
import { trainSae, type TrainSettings } from '../lib/train-session.js';
import { haveChromium, launch, WEBGPU_ARGS, type Browser } from './headless-browser.js';
import { browserTestsEnabled, serveSite } from './site-fixture.js';
import type { StaticServer } from '@msae/test-support';

/** The wasm run trains the CLIP-sized demo (512-d); SwiftShader WebGPU is a CPU emulation, so a smaller one. */
interface Case {
  backend: 'tfjs-wasm' | 'tfjs-webgpu';
  args: readonly string[];
  rows: number;
  dim: number;
  settings: TrainSettings;
  ks: number[];
}
const base = { architecture: 'msae', weighting: 'rw', k: 16, epochs: 1, lr: 5e-4, seed: 42 } as const;
const CASES: Case[] = [
  { backend: 'tfjs-wasm', args: ['--disable-gpu'], rows: 1024, dim: 512, settings: { ...base, expansion: 2, batchSize: 128, maxSteps: 8 }, ks: [16, 32, 64, 128, 256, 512, 1024] },
  { backend: 'tfjs-webgpu', args: WEBGPU_ARGS, rows: 256, dim: 64, settings: { ...base, expansion: 4, batchSize: 64, maxSteps: 4 }, ks: [16, 32, 64, 128, 256] },
];
/** |FVU_page - FVU_ref| / FVU_ref at every k (float32 tfjs vs float64 reference). */
const FVU_TOLERANCE = 2e-3;

function query(c: Case): string {
  const s = c.settings;
  return `backend=${c.backend}&rows=${c.rows}&dim=${c.dim}&expansion=${s.expansion}&k=${s.k}&epochs=${s.epochs}&batch=${s.batchSize}&steps=${s.maxSteps}`;
}

async function referenceFvu(c: Case): Promise<Map<number, number>> {
  const demo = demoDataset(c.rows, 512, c.dim);
  const outcome = await trainSae(createReferenceEngine(), demo.x, demo.val, c.settings);
  return new Map(outcome.records.map((r) => [r.k, r.fvu]));
}

async function trainInPage(browser: Browser, origin: string, c: Case): Promise<{ note: string; fvu: Map<number, number>; status: string }> {
  const page = await browser.newPage();
  await page.goto(`${origin}/playground/train.html?${query(c)}`);
  await page.getByTestId('train-button').click();
  await page.getByTestId('progressive-table').waitFor({ timeout: 150_000 });
  const rows = await page.locator('[data-testid=progressive-table] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [Number((tr as HTMLElement).dataset.k), Number((tr as HTMLElement).dataset.fvu)] as [number, number]),
  );
  await page.getByTestId('pareto-plot').locator('svg').first().waitFor();
  await page.screenshot({ path: `test-results/train-${c.backend}.png`, fullPage: true });
  const note = (await page.getByTestId('backend-note').textContent()) ?? '';
  const status = (await page.getByTestId('train-status').textContent()) ?? '';
  await page.close();
  return { note, fvu: new Map(rows), status };
}

describe.skipIf(!browserTestsEnabled(haveChromium))('playground: train the demo in a worker', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveSite();
  });
  afterAll(() => server?.close());

  for (const c of CASES) {
    it(`${c.backend}: ${c.settings.maxSteps} steps, FVU at every k equals the reference engine's`, async () => {
      const want = await referenceFvu(c);
      const browser = await launch(server.origin, [...c.args]);
      try {
        const got = await trainInPage(browser, server.origin, c);
        console.log(`${c.backend} ${c.dim} -> ${c.dim * (c.settings.expansion ?? 8)}: ${got.status}`);
        expect(got.note).toContain(c.backend);
        expect([...want.keys()]).toEqual(c.ks);
        expect([...got.fvu.keys()]).toEqual(c.ks);
        for (const [k, fvu] of want) {
          expect(Math.abs(got.fvu.get(k)! - fvu) / fvu, `k=${k}: page ${got.fvu.get(k)} vs reference ${fvu}`).toBeLessThan(FVU_TOLERANCE);
        }
        expect(browser.foreign).toEqual([]);
        expect(browser.errors).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  }
});

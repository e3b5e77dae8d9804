/**
 * Browser test: bundle @msae/core + this package with esbuild (platform 'browser', so any Node built-in
 * import fails the build), serve it and the tfjs .wasm files from localhost, drive Debian's chromium
 * through playwright-core, train a few steps on demo data with the wasm and cpu backends (and WebGPU on
 * SwiftShader when Chromium offers an adapter) in the page, and compare losses, parameters and codes
 * with the reference engine run in Node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsRun, openPage as openChromium, type OpenPage, type Page, type PageServer } from '@msae/test-support';
import { createReferenceEngine, generateDemoEmbeddings, initParams, resolveConfig, type ConfigOptions } from '@msae/core';
import type { BrowserTrainRequest, BrowserTrainResult } from './browser/page-entry.js';
import { startTfjsPage } from './browser/page.js';
import { distance, relativeError } from './compare.js';

const runBrowser = browserTestsRun('browser test');

const STEPS = 3;
const LR = 1e-3;
/** ||params_page - params_ref|| / ||params_ref - params_initial|| after STEPS AdamW steps (seen: ~1e-6). */
const PARAM_TOLERANCE = 1e-4;
/** Relative loss difference per step (seen: ~1e-7). */
const LOSS_TOLERANCE = 1e-5;

function base64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64(s: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

interface Session {
  server: PageServer;
  browser: OpenPage;
  page: Page;
}

/** Serve the bundle and open it in a fresh Chromium profile with the given extra flags. */
async function openPage(extraArgs: string[]): Promise<Session> {
  const server = await startTfjsPage();
  const browser = await openChromium(server.url, extraArgs);
  return { server, browser, page: browser.page };
}

async function closePage(s: Session | undefined): Promise<void> {
  await s?.browser.close();
  await s?.server.close();
}

/** Train in the page and with the reference engine in Node on the same demo batch; compare. */
async function trainAndCompare(page: Page, backend: BrowserTrainRequest['backend'], options: ConfigOptions, rows: number): Promise<void> {
  const config = resolveConfig(options);
  const params = initParams(config, 11);
  // Demo data: synthetic CLIP-like embeddings from core's generator (shrunk to dIn when it is not 512).
  const x = generateDemoEmbeddings({ rows, dIn: config.dIn, seed: 7 }).x.data;
  const request: BrowserTrainRequest = {
    backend, config, rows, steps: STEPS, lr: LR, x: base64(x),
    params: { W_enc: base64(params.W_enc), b_enc: base64(params.b_enc), W_dec: base64(params.W_dec), b_dec: base64(params.b_dec) },
  };
  const got = await page.evaluate(
    (req) => (globalThis as unknown as { msaeTrain(r: BrowserTrainRequest): Promise<BrowserTrainResult> }).msaeTrain(req),
    request,
  );
  expect(got.engine).toBe(`tfjs-${backend}`);

  const ref = createReferenceEngine();
  await ref.load({ config, params });
  const losses: number[] = [];
  for (let s = 0; s < STEPS; s++) losses.push((await ref.trainStep(x, rows, LR)).loss);
  const want = (await ref.exportState()).params;
  const refCodes = await ref.encode(x, rows, config.k);

  for (let s = 0; s < STEPS; s++) {
    expect(Math.abs(got.losses[s] - losses[s]) / losses[s], `loss at step ${s + 1}`).toBeLessThan(LOSS_TOLERANCE);
  }
  expect(losses[STEPS - 1]).toBeLessThan(losses[0]); // it did train
  for (const name of ['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const) {
    const moved = distance(want[name], params[name]);
    const err = distance(fromBase64(got.params[name]), want[name]);
    expect(err / moved, `${name}: error ${err}, change ${moved}`).toBeLessThan(PARAM_TOLERANCE);
  }
  expect(relativeError(fromBase64(got.codes), refCodes)).toBeLessThan(1e-4);
}

describe.skipIf(!runBrowser)('headless chromium: wasm and cpu backends', () => {
  let session: Session | undefined;
  beforeAll(async () => {
    session = await openPage(['--disable-gpu']);
  });
  afterAll(() => closePage(session));

  // The demo data's 512 dimensions; 512 latents keep the (plain JS) cpu backend quick.
  const cases: { backend: 'wasm' | 'cpu'; options: ConfigOptions }[] = [
    { backend: 'wasm', options: { dIn: 512, dSae: 512, architecture: 'msae', k: 32, weighting: 'rw' } },
    { backend: 'wasm', options: { dIn: 512, dSae: 512, architecture: 'topk', k: 16 } },
    { backend: 'cpu', options: { dIn: 512, dSae: 512, architecture: 'msae', k: 32, weighting: 'uw' } },
  ];
  for (const { backend, options } of cases) {
    it(`trains ${options.architecture} on the ${backend} backend like the reference engine`, () =>
      trainAndCompare(session!.page, backend, options, 32));
  }
});

describe.skipIf(!runBrowser)('headless chromium: webgpu backend (SwiftShader)', () => {
  let session: Session | undefined;
  let adapter = false;
  beforeAll(async () => {
    session = await openPage(['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader']);
    adapter = await session.page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return gpu !== undefined && (await gpu.requestAdapter()) !== null;
    });
    if (!adapter) console.warn('webgpu case skipped: this Chromium offers no WebGPU adapter (SwiftShader)');
  });
  afterAll(() => closePage(session));

  it('trains msae on the webgpu backend like the reference engine', async (ctx) => {
    if (!adapter) ctx.skip();
    await trainAndCompare(session!.page, 'webgpu', { dIn: 64, dSae: 256, architecture: 'msae', k: 16, weighting: 'rw' }, 16);
  });
});

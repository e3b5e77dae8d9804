/**
 * The browser entry in headless Chromium (Debian's /usr/bin/chromium through playwright-core): the page
 * bundle creates the `auto` engine, trains a few steps on demo data and runs the `auto` matmul provider;
 * Node compares with the reference engine and a brute-force product.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsRun, openPage as openChromium, type OpenPage, type Page, type PageServer } from '@msae/test-support';
import { createReferenceEngine, createRng, generateDemoEmbeddings, initParams, resolveConfig } from '@msae/core';
import type { PageRequest, PageResult } from './browser/page-entry.js';
import { startEnginesPage } from './browser/page.js';

const runBrowser = browserTestsRun('browser test');
const STEPS = 3;
const LR = 1e-3;
const ROWS = 32;

const base64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function fromBase64(s: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

const CONFIG = { dIn: 512, dSae: 512, architecture: 'msae', k: 32, weighting: 'rw' } as const;

function run(page: Page, request: PageRequest): Promise<PageResult> {
  return page.evaluate((req) => (globalThis as unknown as { msaeRun(r: PageRequest): Promise<PageResult> }).msaeRun(req), request);
}

/** A small request (a few rows of demo data) for the checks that only look at the engine chosen. */
function smallRequest(engine: string): PageRequest {
  const config = resolveConfig({ ...CONFIG, dSae: 64, k: 8 });
  const params = initParams(config, 3);
  const x = generateDemoEmbeddings({ rows: 8, dIn: 512, seed: 1 }).x.data;
  const one = new Float32Array([1]);
  return {
    engine, config, rows: 8, steps: 1, lr: LR, x: base64(x),
    params: { W_enc: base64(params.W_enc), b_enc: base64(params.b_enc), W_dec: base64(params.W_dec), b_dec: base64(params.b_dec) },
    matmul: { a: base64(one), b: base64(one), m: 1, n: 1, d: 1 },
  };
}

interface Session {
  server: PageServer;
  browser: OpenPage;
  page: Page;
}

async function openPage(extraArgs: string[]): Promise<Session> {
  const server = await startEnginesPage();
  const browser = await openChromium(server.url, extraArgs);
  return { server, browser, page: browser.page };
}

async function closePage(s: Session | undefined): Promise<void> {
  await s?.browser.close();
  await s?.server.close();
}

describe.skipIf(!runBrowser)('headless chromium: @msae/engines/browser', () => {
  let session: Session | undefined;
  beforeAll(async () => {
    session = await openPage(['--disable-gpu']);
  });
  afterAll(() => closePage(session));

  it('auto trains like the reference engine and the auto matmul provider equals brute force', async () => {
    const config = resolveConfig(CONFIG);
    const params = initParams(config, 11);
    const x = generateDemoEmbeddings({ rows: ROWS, dIn: 512, seed: 7 }).x.data; // the demo data
    const rng = createRng(5);
    const [m, n, d] = [19, 23, 64];
    const a = new Float32Array(m * d).map(() => rng.normal());
    const b = new Float32Array(n * d).map(() => rng.normal());
    const request: PageRequest = {
      engine: 'auto', config, rows: ROWS, steps: STEPS, lr: LR, x: base64(x),
      params: { W_enc: base64(params.W_enc), b_enc: base64(params.b_enc), W_dec: base64(params.W_dec), b_dec: base64(params.b_dec) },
      matmul: { a: base64(a), b: base64(b), m, n, d },
    };
    const got = await run(session!.page, request);

    // What the browser entry registers, and why the GPU engines are out here (--disable-gpu).
    expect(got.environment).toBe('browser');
    expect(got.engines.map((e) => [e.name, e.available])).toEqual([
      ['webgpu', false],
      ['wasm', true],
      ['tfjs-webgpu', false],
      ['tfjs-wasm', true],
      ['tfjs-cpu', true],
      ['reference', true],
    ]);
    // from @msae/backend-webgpu: with --disable-gpu Chromium still has navigator.gpu, but offers no adapter
    expect(got.engines[0].reason).toBe('webgpu engine: no WebGPU adapter (navigator.gpu.requestAdapter() returned null)');
    expect(got.engines[2].reason).toMatch(/navigator\.gpu|no adapter/);
    expect(got.matmulProviders.map((p) => [p.name, p.available])).toEqual([['js', true]]);
    expect(got.engine).toBe('wasm'); // the native kernels on WebAssembly, ahead of every tfjs engine
    expect(got.notes).toEqual([]); // the top non-optional engine of a browser is wasm: no fallback

    const ref = createReferenceEngine();
    await ref.load({ config, params });
    const losses: number[] = [];
    for (let s = 0; s < STEPS; s++) losses.push((await ref.trainStep(x, ROWS, LR)).loss);
    const want = (await ref.exportState()).params;
    for (let s = 0; s < STEPS; s++) expect(Math.abs(got.losses[s] - losses[s]) / losses[s], `loss at step ${s + 1}`).toBeLessThan(1e-5);
    expect(losses[STEPS - 1]).toBeLessThan(losses[0]);
    for (const name of ['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const) {
      const err = distance(fromBase64(got.params[name]), want[name]);
      expect(err / distance(want[name], params[name]), name).toBeLessThan(1e-4);
    }
    const refCodes = await ref.encode(x, ROWS, config.k);
    expect(distance(fromBase64(got.codes), refCodes) / distance(refCodes, new Float32Array(refCodes.length))).toBeLessThan(1e-4);

    const product = fromBase64(got.product);
    expect(product.length).toBe(m * n);
    let worst = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += a[i * d + t] * b[j * d + t];
        worst = Math.max(worst, Math.abs(product[i * n + j] - s));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });
});

describe.skipIf(!runBrowser)('headless chromium with a software WebGPU adapter (SwiftShader)', () => {
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

  it('auto skips the software adapter; webgpu and tfjs-webgpu by name run on it', async (ctx) => {
    if (!adapter) ctx.skip();
    const auto = await run(session!.page, smallRequest('auto'));
    for (const name of ['webgpu', 'tfjs-webgpu']) {
      const info = auto.engines.find((e) => e.name === name);
      expect(info).toMatchObject({ available: true, auto: false });
      expect(info?.reason).toMatch(new RegExp(`^software WebGPU adapter \\(.*\\): auto skips it; ask for '${name}' by name$`));
    }
    expect(auto.engine).toBe('wasm');
    expect(auto.notes).toEqual([]);
    for (const name of ['webgpu', 'tfjs-webgpu']) {
      const named = await run(session!.page, smallRequest(name));
      expect(named.engine).toBe(name);
      expect(Math.abs(named.losses[0] - auto.losses[0]) / auto.losses[0], name).toBeLessThan(1e-4);
    }
  });
});

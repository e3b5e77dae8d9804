/**
 * Page of the headless-Chromium test, bundled by esbuild from the browser entry's source. Exposes
 * window.msaeRun: list the engines, create `auto` (and an engine by name), train a few steps, and run
 * the `auto` matmul provider. Float32 arrays cross the Node/page boundary as base64 of their bytes.
 */
import type { SaeConfig } from '@msae/core';
import { createEngine, createMatmulProvider, currentEnvironment, listEngines, listMatmulProviders, type EngineInfo, type ProviderInfo } from '../../src/browser.js';

type Base64 = string;
export type ParamsBase64 = Record<'W_enc' | 'b_enc' | 'W_dec' | 'b_dec', Base64>;

export interface PageRequest {
  /** `auto` or an engine name. */
  engine: string;
  config: SaeConfig;
  params: ParamsBase64;
  x: Base64;
  rows: number;
  steps: number;
  lr: number;
  /** A [m, d] and B [n, d] for the matmul provider. */
  matmul: { a: Base64; b: Base64; m: number; n: number; d: number };
}

export interface PageResult {
  environment: string;
  engines: EngineInfo[];
  matmulProviders: ProviderInfo[];
  engine: string;
  notes: string[];
  losses: number[];
  params: ParamsBase64;
  codes: Base64;
  product: Base64;
}

function fromBase64(s: Base64): Float32Array {
  const bytes = Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

function toBase64(a: Float32Array): Base64 {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function msaeRun(req: PageRequest): Promise<PageResult> {
  const notes: string[] = [];
  const wasmPaths = new URL('/wasm/', location.href).href;
  const engine = await createEngine(req.engine, { wasmPaths, onFallback: (m) => notes.push(m) });
  const p = req.params;
  await engine.load({
    config: req.config,
    params: { W_enc: fromBase64(p.W_enc), b_enc: fromBase64(p.b_enc), W_dec: fromBase64(p.W_dec), b_dec: fromBase64(p.b_dec) },
  });
  const x = fromBase64(req.x);
  const losses: number[] = [];
  for (let s = 0; s < req.steps; s++) losses.push((await engine.trainStep(x, req.rows, req.lr)).loss);
  const { params } = await engine.exportState();
  const codes = await engine.encode(x, req.rows, req.config.k);
  await engine.dispose();

  const matmul = await createMatmulProvider('auto', { onFallback: (m) => notes.push(m) });
  const { a, b, m, n, d } = req.matmul;
  const product = await matmul({ data: fromBase64(a), rows: m, cols: d }, { data: fromBase64(b), rows: n, cols: d });
  return {
    environment: currentEnvironment(),
    engines: await listEngines(),
    matmulProviders: await listMatmulProviders(),
    engine: engine.name,
    notes,
    losses,
    params: { W_enc: toBase64(params.W_enc), b_enc: toBase64(params.b_enc), W_dec: toBase64(params.W_dec), b_dec: toBase64(params.b_dec) },
    codes: toBase64(codes),
    product: toBase64(product),
  };
}

(globalThis as unknown as { msaeRun: typeof msaeRun }).msaeRun = msaeRun;
(globalThis as unknown as { msaeReady: boolean }).msaeReady = true;

/**
 * Browser entry of the headless-Chromium test: bundled by esbuild together with @msae/core and
 * this package's source, served on localhost. Exposes window.msaeTrain, which trains a few steps on
 * the given batch with a tfjs backend and returns the losses and final parameters. Float32 arrays
 * cross the Node/page boundary as base64 of their bytes (exact, and far faster than Playwright's
 * serialization of number arrays).
 */
import type { SaeConfig } from '@msae/core';
import { createTfjsEngine, type TfjsBackendName } from '../../src/index.js';

type Base64 = string;
export type ParamsBase64 = Record<'W_enc' | 'b_enc' | 'W_dec' | 'b_dec', Base64>;

export interface BrowserTrainRequest {
  backend: TfjsBackendName;
  config: SaeConfig;
  params: ParamsBase64;
  x: Base64;
  rows: number;
  steps: number;
  lr: number;
}

export interface BrowserTrainResult {
  engine: string;
  losses: number[];
  gradNorms: number[];
  params: ParamsBase64;
  codes: Base64;
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

async function msaeTrain(req: BrowserTrainRequest): Promise<BrowserTrainResult> {
  const engine = await createTfjsEngine({ backend: req.backend, wasmPaths: new URL('/wasm/', location.href).href });
  const p = req.params;
  await engine.load({
    config: req.config,
    params: { W_enc: fromBase64(p.W_enc), b_enc: fromBase64(p.b_enc), W_dec: fromBase64(p.W_dec), b_dec: fromBase64(p.b_dec) },
  });
  const x = fromBase64(req.x);
  const losses: number[] = [];
  const gradNorms: number[] = [];
  for (let s = 0; s < req.steps; s++) {
    const r = await engine.trainStep(x, req.rows, req.lr);
    losses.push(r.loss);
    gradNorms.push(r.gradNorm);
  }
  const { params } = await engine.exportState();
  const codes = await engine.encode(x, req.rows, req.config.k);
  await engine.dispose();
  return {
    engine: engine.name,
    losses,
    gradNorms,
    params: { W_enc: toBase64(params.W_enc), b_enc: toBase64(params.b_enc), W_dec: toBase64(params.W_dec), b_dec: toBase64(params.b_dec) },
    codes: toBase64(codes),
  };
}

(globalThis as unknown as { msaeTrain: typeof msaeTrain }).msaeTrain = msaeTrain;
(globalThis as unknown as { msaeReady: boolean }).msaeReady = true;

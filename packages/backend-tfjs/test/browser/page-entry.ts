/**
 * Browser entry of the headless-Chromium test: bundled by esbuild together with @msae/core and
 * this package's source, served on localhost. Exposes window.msaeTrain, which trains a few steps on
 * the given batch with a tfjs backend and returns the losses and final parameters as plain arrays.
 */
import type { SaeConfig, SaeParams } from '@msae/core';
import { createTfjsEngine, type TfjsBackendName } from '../../src/index.js';

export interface BrowserTrainRequest {
  backend: TfjsBackendName;
  config: SaeConfig;
  params: Record<keyof SaeParams, number[]>;
  x: number[];
  rows: number;
  steps: number;
  lr: number;
}

export interface BrowserTrainResult {
  engine: string;
  losses: number[];
  gradNorms: number[];
  params: Record<keyof SaeParams, number[]>;
  codes: number[];
}

async function msaeTrain(req: BrowserTrainRequest): Promise<BrowserTrainResult> {
  const engine = await createTfjsEngine({ backend: req.backend, wasmPaths: new URL('/wasm/', location.href).href });
  const f32 = (a: number[]) => Float32Array.from(a);
  await engine.load({
    config: req.config,
    params: { W_enc: f32(req.params.W_enc), b_enc: f32(req.params.b_enc), W_dec: f32(req.params.W_dec), b_dec: f32(req.params.b_dec) },
  });
  const x = f32(req.x);
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
    params: { W_enc: Array.from(params.W_enc), b_enc: Array.from(params.b_enc), W_dec: Array.from(params.W_dec), b_dec: Array.from(params.b_dec) },
    codes: Array.from(codes),
  };
}

(globalThis as unknown as { msaeTrain: typeof msaeTrain }).msaeTrain = msaeTrain;
(globalThis as unknown as { msaeReady: boolean }).msaeReady = true;

import { ArgumentError } from '@msae/core';
import type { SaeEngine } from '@msae/core';

/** What the visitor (or a test, through `?backend=`) asks for: `auto` or a registered engine name. */
export type BackendRequest = 'auto' | 'wasm' | 'tfjs-webgpu' | 'tfjs-wasm' | 'webgpu' | 'tfjs-cpu' | 'reference';

export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'wasm', 'tfjs-webgpu', 'tfjs-wasm', 'webgpu', 'tfjs-cpu', 'reference'];

export interface ChosenEngine {
  engine: SaeEngine;
  /** The engine that really runs, e.g. `tfjs-webgpu`. */
  backend: string;
  /** Why this engine, for the visible note. */
  reason: string;
}

/**
 * Create the playground's engine through the engine registry (`@msae/engines/browser`, imported on
 * demand): `auto` takes the best available engine here (WebGPU engines when a hardware adapter exists,
 * else `wasm`: the native engine's C++ kernels on WebAssembly SIMD128, embedded in its module; tfjs-wasm by
 * name, whose .wasm files are served from `<base>wasm/`, never a CDN).
 */
export async function chooseEngine(request: BackendRequest, base: string): Promise<ChosenEngine> {
  const engines = await import('@msae/engines/browser');
  const wasmPaths = new URL(`${base}wasm/`, globalThis.location.origin).href;
  // the wasm engine's threaded build (served from <base>msae-wasm/; threads run where the page is cross-origin isolated)
  const wasmModuleUrl = new URL(`${base}msae-wasm/msae_wasm_mt.mjs`, globalThis.location.origin).href;
  const notes: string[] = [];
  const engine = await engines.createEngine(request, { wasmPaths, wasmModuleUrl, onFallback: (m) => notes.push(m) });
  if (engine.name === 'wasm') notes.push(`${engine.threads ?? 1} thread${engine.threads === 1 ? '' : 's'}`);
  if (engine.name === 'tfjs-webgpu') {
    // tfjs may fall back silently: make sure WebGPU really runs.
    const tf = await import('@tensorflow/tfjs-core');
    if (tf.getBackend() !== 'webgpu') {
      await engine.dispose();
      throw new ArgumentError(`tfjs-webgpu`, `tfjs runs on '${tf.getBackend()}', not WebGPU`);
    }
  }
  if (request !== 'auto') return { engine, backend: engine.name, reason: `${request} was requested${notes.length ? `; ${notes.join('; ')}` : ''}` };
  const adapter = await engines.probeWebGpuAdapter();
  const gpu = adapter.kind === 'none' ? adapter.reason : `${adapter.kind} WebGPU adapter: ${adapter.label}`;
  return { engine, backend: engine.name, reason: `auto choice (${gpu})${notes.length ? `; ${notes.join('; ')}` : ''}` };
}

/**
 * The `wasm` engine: the native engine's C++ kernels compiled to WebAssembly (SIMD128), driven by the same engine
 * code as `cpu` (createAddonEngine). Runs in browsers and in Node where the native binary cannot load.
 */
import { ArgumentError } from '@msae/core';
import { createAddonEngine, type CpuEngine, type NativeAddon } from '@msae/backend-cpu/addon-engine';
import createMsaeWasm from './generated/msae_wasm.mjs';
import { WASM_VARIANT, wasmAddon } from './wasm-addon.js';

export type WasmEngine = CpuEngine;

export interface WasmEngineOptions {
  /** Worker threads: only a pthread build in a cross-origin isolated page runs more than 1 (this build: 1). */
  threads?: number;
}

// the smallest module using a SIMD128 instruction (v128.const, drop): WebAssembly.validate says whether it runs
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 23, 1, 21, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 26, 11]);

/** Whether the wasm engine can run here: WebAssembly with SIMD128 (every current browser and Node >= 16). */
export function wasmEngineAvailability(): { available: boolean; reason?: string } {
  const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (!wa) return { available: false, reason: 'WebAssembly is not available here' };
  if (!wa.validate(SIMD_PROBE)) return { available: false, reason: 'WebAssembly SIMD128 is not supported here' };
  return { available: true };
}

let addon: Promise<NativeAddon> | undefined;

/** The module instantiated once per realm, wrapped as an addon. */
export function loadWasmAddon(): Promise<NativeAddon> {
  addon ??= createMsaeWasm().then(wasmAddon);
  return addon;
}

/** Create the wasm engine (call load() before use). */
export async function createWasmEngine(opts: WasmEngineOptions = {}): Promise<WasmEngine> {
  const a = wasmEngineAvailability();
  if (!a.available) throw new ArgumentError(`wasm engine unavailable`, `${a.reason}`);
  return createAddonEngine({ addon: await loadWasmAddon(), variant: WASM_VARIANT, threads: opts.threads ?? 1, name: 'wasm' });
}

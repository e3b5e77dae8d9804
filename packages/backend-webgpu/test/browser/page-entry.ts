/**
 * Browser entry of the headless-Chromium test: the core conformance suite run in the page on the WebGPU
 * engine (navigator.gpu: Chromium's SwiftShader adapter), bundled by esbuild with @msae/core's source.
 */
import { runConformance, type ConformanceResult } from '@msae/core/conformance';
import { createWebGpuEngine, webGpuEngineAvailability, type WebGpuAvailability } from '../../src/index.js';

async function msaeConformance(): Promise<{ availability: WebGpuAvailability; results: ConformanceResult[] }> {
  const availability = await webGpuEngineAvailability();
  if (!availability.available) return { availability, results: [] };
  const results = await runConformance(() => createWebGpuEngine(), { auxK: false }); // AuxK: not implemented (the engine refuses it)
  return { availability, results };
}

(globalThis as unknown as { msaeConformance: typeof msaeConformance }).msaeConformance = msaeConformance;
(globalThis as unknown as { msaeReady: boolean }).msaeReady = true;

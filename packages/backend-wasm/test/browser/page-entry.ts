/** Browser entry of the headless-Chromium test: the core conformance suite run in the page on the wasm engine. */
import { runConformance, type ConformanceResult } from '@msae/core/conformance';
import { ARCHITECTURES } from '@msae/core';
import { createWasmEngine, wasmEngineAvailability } from '../../src/index.js';

async function msaeConformance(): Promise<{ availability: { available: boolean; reason?: string }; isolated: boolean; results: ConformanceResult[] }> {
  const availability = wasmEngineAvailability();
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!availability.available) return { availability, isolated, results: [] };
  const results = await runConformance(() => createWasmEngine(), { architectures: ARCHITECTURES.filter((a) => a !== 'jumprelu') });
  return { availability, isolated, results };
}

(globalThis as unknown as { msaeConformance: typeof msaeConformance }).msaeConformance = msaeConformance;
(globalThis as unknown as { msaeReady: boolean }).msaeReady = true;

/** Browser entry of the headless-Chromium test: the core conformance suite run in the page on the wasm engine, threaded (the page is cross-origin isolated) and single-threaded. */
import { runConformance, type ConformanceResult } from '@msae/core/conformance';
import { ARCHITECTURES } from '@msae/core';
import { createWasmEngine, wasmEngineAvailability, wasmThreadSupport } from '../../src/index.js';

const THREADED = '/wasm/msae_wasm_mt.mjs';

async function msaeConformance(): Promise<{
  availability: { available: boolean; reason?: string };
  threadSupport: { available: boolean; reason?: string };
  isolated: boolean;
  threads: number[];
  results: ConformanceResult[];
}> {
  const availability = wasmEngineAvailability();
  const threadSupport = wasmThreadSupport();
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!availability.available) return { availability, threadSupport, isolated, threads: [], results: [] };
  const architectures = ARCHITECTURES.filter((a) => a !== 'jumprelu');
  const threads: number[] = [];
  const make = (n: number) => async () => {
    const e = await createWasmEngine({ threads: n, threadedModuleUrl: THREADED });
    threads.push(e.threads ?? 0);
    return e;
  };
  const results = [
    ...(await runConformance(make(2), { architectures })).map((r) => ({ ...r, name: `threads 2: ${r.name}` })),
    ...(await runConformance(make(1), { architectures })).map((r) => ({ ...r, name: `threads 1: ${r.name}` })),
  ];
  return { availability, threadSupport, isolated, threads: [...new Set(threads)].sort(), results };
}

(globalThis as unknown as { msaeConformance: typeof msaeConformance }).msaeConformance = msaeConformance;
(globalThis as unknown as { msaeReady: boolean }).msaeReady = true;

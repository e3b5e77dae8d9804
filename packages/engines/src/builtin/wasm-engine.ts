/** The `wasm` engine registration: @msae/backend-wasm, the native kernels compiled to WebAssembly (browsers, and Node without the native binary). */
import type { EngineRegistration } from '../engine-registry.js';
import { PRIORITY } from './priorities.js';

const backend = () => import('@msae/backend-wasm');

export const wasmEngineRegistration: EngineRegistration = {
  name: 'wasm',
  priority: PRIORITY.wasm,
  environments: ['browser', 'node'],
  description: '@msae/backend-wasm: the native engine kernels on WebAssembly SIMD128 (no native binary needed)',
  availability: async () => (await backend()).wasmEngineAvailability(),
  // the same kernels as cpu: none for jumprelu (UnsupportedArchitectureError)
  supports: async (config) => (await backend()).checkWasmEngineConfig(config, 'wasm'),
  load: async () => {
    const { createWasmEngine } = await backend();
    return (o) => createWasmEngine({ threads: o.threads, threadedModuleUrl: o.wasmModuleUrl });
  },
  details: async (engine) => {
    const { WASM_VARIANT } = await backend();
    const e = engine as { threads?: number } | undefined;
    return { kernel: WASM_VARIANT, kernelsSupported: [WASM_VARIANT], ...(e?.threads ? { threads: e.threads } : {}) };
  },
};

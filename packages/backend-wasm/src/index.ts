export { createWasmEngine, loadWasmAddon, wasmEngineAvailability, type WasmEngine, type WasmEngineOptions } from './wasm-engine.js';
export { wasmThreadSupport } from './thread-support.js';
export { WASM_VARIANT } from './wasm-addon.js';
export { checkCpuEngineConfig as checkWasmEngineConfig } from '@msae/backend-cpu/addon-engine';

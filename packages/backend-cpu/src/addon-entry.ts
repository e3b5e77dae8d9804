/**
 * `@msae/backend-cpu/addon-engine`: the engine over the native kernels' addon interface, with no Node imports
 * (what @msae/backend-wasm drives with the same C++ compiled to WebAssembly).
 */
export { createAddonEngine, type AddonEngineSpec, type CpuEngine, type PhaseTimings } from './addon-engine.js';
export { checkCpuEngineConfig } from './architecture-support.js';
export type { NativeAddon, NativeContext, NativeKernelReport } from './native-binding.js';

export { createCpuEngine, type CpuEngineOptions } from './cpu-engine.js';
export type { CpuEngine, PhaseTimings } from './addon-engine.js';
export { cpuEngineAvailability, nativeKernelInfo, type KernelVariant, type NativeKernelInfo } from './native-binding.js';
export { gemmAB, gemmABt, gemmInt8ABt, gemmInt8Int8ABt, type Int8Rows } from './gemm.js';
export { checkCpuEngineConfig } from './architecture-support.js';

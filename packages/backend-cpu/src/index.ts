export { createCpuEngine, type CpuEngine, type CpuEngineOptions, type PhaseTimings } from './cpu-engine.js';
export { cpuEngineAvailability } from './native-binding.js';
export { gemmAB, gemmABt } from './gemm.js';

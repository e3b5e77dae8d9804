export { createWebGpuEngine, MAX_ROWS, type WebGpuEngine, type WebGpuEngineOptions } from './webgpu-engine.js';
export { checkWebGpuConfig } from './architecture-support.js';
export { webGpuEngineAvailability, type WebGpuAvailability } from './availability.js';
export { adapterLabel, type AdapterDescription } from './gpu-context.js';
export { createDevice, type DeviceHandle } from './device-pool.js';
export { kernelSources, type KernelName } from './kernel-set.js';
export { MAX_LEVELS } from './kernels/prelude.js';
export type { PhaseTimes } from './step-plan.js';
export * from './errors.js';

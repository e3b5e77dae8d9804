/**
 * `webgpu`: @msae/backend-webgpu (WGSL kernels on WebGPU; `navigator.gpu` in browsers, Dawn in Node through
 * the optional `webgpu` package, which backend-webgpu loads itself). Imported with a literal dynamic import so
 * bundlers include it; backend-webgpu reaches Node built-ins only through hidden imports in Node.
 */
import type { Availability } from '../provider-registry.js';
import type { EngineRegistration } from '../engine-registry.js';
import { PRIORITY } from './priorities.js';

const backend = () => import('@msae/backend-webgpu');

export const webGpuEngineRegistration: EngineRegistration = {
  name: 'webgpu',
  priority: PRIORITY.webgpu,
  environments: ['browser', 'node'],
  optional: true,
  description: '@msae/backend-webgpu: WGSL compute kernels on WebGPU (browsers; Node via the webgpu package)',
  availability: async (): Promise<Availability> => {
    const a = await (await backend()).webGpuEngineAvailability();
    if (!a.available) return { available: false, reason: a.reason ?? 'no WebGPU adapter' };
    // A software adapter is slower than the CPU engines: usable by name, skipped by auto.
    if (a.software) return { available: true, auto: false, reason: `software WebGPU adapter (${a.label}): auto skips it; ask for 'webgpu' by name` };
    return { available: true, reason: `hardware WebGPU adapter (${a.label})` };
  },
  // jumprelu (UnsupportedArchitectureError), AuxK and prefix groups have no WGSL kernels
  supports: async (config) => (await backend()).checkWebGpuConfig(config),
  load: async () => {
    const { createWebGpuEngine } = await backend();
    return (o) => createWebGpuEngine({ profile: o.profile, reserveRows: o.reserveRows });
  },
  details: async (engine) => {
    const { adapterLabel, webGpuEngineAvailability } = await backend();
    const adapter = (engine as { adapter?: Parameters<typeof adapterLabel>[0] } | undefined)?.adapter ?? (await webGpuEngineAvailability()).adapter;
    return adapter ? { adapter: adapterLabel(adapter), software: adapter.software } : {};
  },
};

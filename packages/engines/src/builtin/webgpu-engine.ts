/**
 * `webgpu`: @msae/backend-webgpu (WGSL kernels on WebGPU; Dawn in Node through the `webgpu` package).
 * Until that package is a dependency of @msae/engines it is imported under a hidden specifier and
 * reported as "not installed". To wire it: add the dependency and replace `importBackend` by
 * `() => import('@msae/backend-webgpu')` so bundlers include it.
 */
import type { SaeEngine } from '@msae/core';
import type { EngineOptions, EngineRegistration } from '../engine-registry.js';
import type { Availability } from '../provider-registry.js';
import { PRIORITY } from './priorities.js';

/** The part of @msae/backend-webgpu's API this registration uses. */
interface WebGpuBackendModule {
  createWebGpuEngine(options: EngineOptions): Promise<SaeEngine>;
  /** Whether an adapter is reachable, and whether it is a software rasterizer (SwiftShader, lavapipe, ...). */
  webGpuEngineAvailability(): Promise<{ available: boolean; reason?: string; software?: boolean; label?: string }>;
}

const PACKAGE = '@msae/backend-webgpu';

function isModuleNotFound(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)|Failed to resolve module specifier|Failed to fetch dynamically imported module/.test(String(err));
}

async function importBackend(): Promise<WebGpuBackendModule> {
  const specifier = PACKAGE; // a variable: bundlers and tsc leave the optional package alone
  try {
    return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as WebGpuBackendModule;
  } catch (err) {
    // Only the package itself missing is "not installed"; a missing dependency of it is reported as is.
    if (isModuleNotFound(err) && String(err).includes(PACKAGE)) throw new Error(`${PACKAGE} is not installed`);
    throw err;
  }
}

export const webGpuEngineRegistration: EngineRegistration = {
  name: 'webgpu',
  priority: PRIORITY.webgpu,
  environments: ['browser', 'node'],
  optional: true,
  description: '@msae/backend-webgpu: WGSL compute kernels on WebGPU (browsers; Node via the webgpu package)',
  availability: async (): Promise<Availability> => {
    const a = await (await importBackend()).webGpuEngineAvailability();
    if (!a.available) return { available: false, reason: a.reason ?? 'no WebGPU adapter' };
    // A software adapter is slower than the CPU engines: usable by name, skipped by auto.
    if (a.software) return { available: true, auto: false, reason: `software WebGPU adapter (${a.label}): auto skips it; ask for 'webgpu' by name` };
    return { available: true, reason: `hardware WebGPU adapter (${a.label})` };
  },
  load: async () => {
    const backend = await importBackend();
    return (o) => backend.createWebGpuEngine(o);
  },
};

import { createReferenceEngine, type SaeEngine } from '@msae/core';
import { createCpuEngine, cpuEngineAvailability } from '@msae/backend-cpu';
import { createTfjsEngine } from '@msae/backend-tfjs';
import { ENGINE_NAMES, isEngineName, type EngineName } from './engine-names.js';

export interface CreateEngineOptions {
  /** Worker threads for the cpu engine (default: all cores). */
  threads?: number;
  /** Called once with a note when `auto` falls back from the preferred engine. */
  onFallback?: (message: string) => void;
}

/** The engine `auto` resolves to here: the native CPU engine when it is built, else tfjs on wasm. */
export function resolveAutoEngine(): Exclude<EngineName, 'auto'> {
  return cpuEngineAvailability().available ? 'cpu' : 'tfjs-wasm';
}

/**
 * Create an engine by name. `auto` picks the fast CPU engine in Node and falls back to tfjs-wasm
 * (with a note through onFallback) when the CPU engine could not be built on this machine.
 */
export async function createEngine(name: string = 'auto', options: CreateEngineOptions = {}): Promise<SaeEngine> {
  if (!isEngineName(name)) {
    throw new Error(`unknown backend '${name}' (expected one of: ${ENGINE_NAMES.join(', ')})`);
  }
  let resolved: Exclude<EngineName, 'auto'> = name === 'auto' ? resolveAutoEngine() : name;
  if (name === 'auto' && resolved !== 'cpu') {
    options.onFallback?.(`cpu engine unavailable (${cpuEngineAvailability().reason ?? 'unknown reason'}); using tfjs-wasm`);
  }
  switch (resolved) {
    case 'reference':
      return createReferenceEngine();
    case 'cpu': {
      const availability = cpuEngineAvailability();
      if (!availability.available) throw new Error(`cpu engine unavailable: ${availability.reason ?? 'unknown reason'}`);
      return createCpuEngine({ threads: options.threads });
    }
    case 'tfjs-cpu':
      return createTfjsEngine({ backend: 'cpu' });
    case 'tfjs-wasm':
      return createTfjsEngine({ backend: 'wasm' });
    case 'tfjs-webgpu':
      return createTfjsEngine({ backend: 'webgpu' });
    case 'tfjs-node':
      return createTfjsEngine({ backend: 'tensorflow' });
    default: {
      const never: never = resolved;
      throw new Error(`unknown backend '${String(never)}'`);
    }
  }
}

import type { SaeConfig, SaeEngine } from '@msae/core';
import { ProviderRegistry, type Availability, type ProviderDetails, type ProviderInfo, type Registration } from './provider-registry.js';

/** What createEngine passes to an engine's factory; each engine reads the options it knows. */
export interface EngineOptions {
  /** Worker threads for the cpu engine (default: MSAE_CPU_THREADS, else every core). */
  threads?: number;
  /**
   * tfjs-wasm only: where the tfjs-backend-wasm .wasm files are served (a URL prefix ending in '/', or a
   * map file name -> URL). Node finds them in node_modules; browsers must serve them.
   */
  wasmPaths?: string | Record<string, string>;
  /** tfjs-wasm only: threads (browsers with cross-origin isolation only). */
  wasmThreads?: number;
  /**
   * wasm only: the URL of @msae/backend-wasm's threaded build (`src/generated/msae_wasm_mt.mjs`, served with
   * `msae_wasm_mt.worker.js` beside it) for a bundled page; threads run in cross-origin isolated pages and Node.
   */
  wasmModuleUrl?: string | URL;
  /**
   * Time each training phase (read with the engine's optional `phaseTimings()`): the cpu engine always does;
   * webgpu then submits and waits for each phase separately (slower steps, for benchmarks).
   */
  profile?: boolean;
  /** webgpu only: allocate the per-batch buffers for this many rows at load() (default: on first use). */
  reserveRows?: number;
}

/** Makes an engine; loaded lazily by a registration's `load()`. */
export type EngineFactory = (options: EngineOptions) => SaeEngine | Promise<SaeEngine>;

/**
 * An engine registration: name, priority, environments, availability, a lazily imported factory and, for an
 * engine without kernels for some architectures, `supports(config)` (throws UnsupportedArchitectureError).
 */
export type EngineRegistration = Registration<EngineFactory, SaeConfig>;
export type EngineAvailability = Availability;
/** listEngines() row. */
export type EngineInfo = ProviderInfo;

/** The process-wide engine registry (the entries register the built-in engines into it). */
export const engineRegistry = new ProviderRegistry<EngineFactory, SaeConfig>('engine');

/** Register (or replace) an engine. Its factory's engine must report `name` as its `name`. */
export function registerEngine(registration: EngineRegistration): void {
  engineRegistry.register(registration);
}

/** Remove an engine; returns whether it was registered. */
export function unregisterEngine(name: string): boolean {
  return engineRegistry.unregister(name);
}

/**
 * What engine `name` runs on here (kernel variant and CPU for `cpu`, the adapter for `webgpu`; `{}` for engines
 * that say nothing). Pass an engine made by createEngine to describe that instance (its threads, its adapter).
 */
export function engineDetails(name: string | SaeEngine): Promise<ProviderDetails> {
  return typeof name === 'string' ? engineRegistry.details(name) : engineRegistry.details(name.name, name);
}

/** Every registered engine with its availability here, highest priority first. */
export function listEngines(): Promise<EngineInfo[]> {
  return engineRegistry.list();
}

/** Registered engine names, highest priority first (without `auto`). */
export function engineNames(): string[] {
  return engineRegistry.names();
}

/**
 * The `wasm` engine: the native engine's C++ kernels compiled to WebAssembly (SIMD128), driven by the same engine
 * code as `cpu` (createAddonEngine). Runs in browsers and in Node where the native binary cannot load. Two builds:
 * single-threaded (bundled, any page) and pthreads over a shared memory (src/generated/msae_wasm_mt.mjs with its
 * worker file), used where shared memory is allowed: Node, and cross-origin isolated pages.
 */
import { ArgumentError } from '@msae/core';
import { createAddonEngine, type CpuEngine, type NativeAddon } from '@msae/backend-cpu/addon-engine';
import type { MsaeWasmModule } from './generated/msae_wasm.mjs';
import createMsaeWasm from './generated/msae_wasm.mjs';
import { defaultThreadCount, noteThreadLoadFailure, wasmThreadSupport } from './thread-support.js';
import { WASM_VARIANT, wasmAddon } from './wasm-addon.js';

export type WasmEngine = CpuEngine;

export interface WasmEngineOptions {
  /**
   * Threads (the caller's plus workers). Default: every core where threads can run (Node; a cross-origin
   * isolated page), else 1. More than 1 where they cannot run gives 1 (see `wasmThreadSupport()` for why).
   */
  threads?: number;
  /**
   * Where the threaded build lies, for pages that serve this package's `src/generated` files themselves (a
   * bundler does not copy them): the URL of `msae_wasm_mt.mjs`, with `msae_wasm_mt.worker.js` next to it.
   * Default: `src/generated` next to this package's files (Node, unbundled pages).
   */
  threadedModuleUrl?: string | URL;
}

// the smallest module using a SIMD128 instruction (v128.const, drop): WebAssembly.validate says whether it runs
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 23, 1, 21, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 26, 11]);

/** Whether the wasm engine can run here: WebAssembly with SIMD128 (every current browser and Node >= 16). */
export function wasmEngineAvailability(): { available: boolean; reason?: string } {
  const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (!wa) return { available: false, reason: 'WebAssembly is not available here' };
  if (!wa.validate(SIMD_PROBE)) return { available: false, reason: 'WebAssembly SIMD128 is not supported here' };
  return { available: true };
}

let addon: Promise<NativeAddon> | undefined;

/** The single-threaded module instantiated once per realm, wrapped as an addon. */
export function loadWasmAddon(): Promise<NativeAddon> {
  addon ??= createMsaeWasm().then(wasmAddon);
  return addon;
}

/** One threaded module per realm (and URL): its pthread workers are shared by every engine made from it. */
interface ThreadedModule {
  addon: NativeAddon;
  pthread: EmscriptenPThread;
  /** pthread workers the module holds; an engine of t threads takes t - 1 of them until disposed. */
  workers: number;
  inUse: number;
}
const threaded = new Map<string, Promise<ThreadedModule>>();


type EmscriptenPThread = NonNullable<MsaeWasmModule['PThread']>;

// a variable, not a literal: bundlers (Vite) would copy the module alone as an asset, without the worker file it
// names; in a bundle this path is missing and threads fall back to 1 unless threadedModuleUrl says where the files are
const BESIDE_THIS_PACKAGE = '../src/generated/msae_wasm_mt.mjs';

function threadedModuleUrl(url?: string | URL): string {
  if (url === undefined) return String(new URL(BESIDE_THIS_PACKAGE, import.meta.url));
  // absolute: the pthread workers import it too, from their own URL
  const base = (globalThis as { location?: { href: string } }).location?.href;
  return base ? new URL(String(url), base).href : String(url);
}

// Node: idle pthread workers must not keep the process alive (emscripten 3.1.6 leaves them referenced)
const unref = (workers: unknown[]) => {
  for (const w of workers) (w as { unref?: () => void }).unref?.();
};

async function loadThreaded(url: string, workers: number): Promise<ThreadedModule> {
  const mod = (await import(/* @vite-ignore */ /* webpackIgnore: true */ url)) as { default: (o: object) => Promise<MsaeWasmModule> };
  const m = await mod.default({ msaeThreads: workers, mainScriptUrlOrBlob: url });
  if (!m.PThread) throw new ArgumentError('wasm engine', `${url} is not the threaded build`);
  unref(m.PThread.unusedWorkers);
  return { addon: wasmAddon(m), pthread: m.PThread, workers, inUse: 0 };
}

/** Make `n` more pthread workers and wait until each has the module (a thread started on a worker still loading would wait on the blocked caller). */
async function addWorkers(t: ThreadedModule, n: number): Promise<void> {
  const fresh: unknown[] = [];
  for (let i = 0; i < n; i++) {
    t.pthread.allocateUnusedWorker();
    fresh.push(t.pthread.unusedWorkers[t.pthread.unusedWorkers.length - 1]);
  }
  await Promise.all(fresh.map((w) => new Promise<void>((resolve) => t.pthread.loadWasmModuleToWorker(w, resolve))));
  unref(fresh);
  t.workers += n;
}

/** Create the wasm engine (call load() before use). */
export async function createWasmEngine(opts: WasmEngineOptions = {}): Promise<WasmEngine> {
  const a = wasmEngineAvailability();
  if (!a.available) throw new ArgumentError('wasm engine unavailable', `${a.reason}`);
  if (opts.threads !== undefined && (!Number.isInteger(opts.threads) || opts.threads < 0)) {
    throw new ArgumentError('wasm engine', `threads must be a non-negative integer (0: every core), got ${opts.threads}`);
  }
  const wanted = !wasmThreadSupport().available ? 1 : opts.threads === undefined || opts.threads === 0 ? defaultThreadCount() : opts.threads;
  const t = wanted > 1 ? await threadedModule(threadedModuleUrl(opts.threadedModuleUrl)) : undefined;
  if (!t) return createAddonEngine({ addon: await loadWasmAddon(), variant: WASM_VARIANT, threads: 1, name: 'wasm' });
  return engineOnWorkers(t, wanted);
}

/** The threaded module at `url`, loaded once; undefined (with the reason noted for wasmThreadSupport) if it fails. */
async function threadedModule(url: string): Promise<ThreadedModule | undefined> {
  let entry = threaded.get(url);
  if (!entry) {
    // workers for one engine at the machine's width; more are made when engines at once need them
    entry = loadThreaded(url, Math.max(defaultThreadCount() - 1, 1));
    threaded.set(url, entry);
    entry.catch(() => threaded.delete(url));
  }
  return entry.catch((e: unknown) => {
    noteThreadLoadFailure(`the threaded module did not load from ${url} (${e instanceof Error ? e.message : String(e)}); running on 1 thread`);
    return undefined;
  });
}

/** An engine on `threads` threads of the module: it holds threads - 1 workers (made if too few are free) until disposed. */
async function engineOnWorkers(t: ThreadedModule, threads: number): Promise<WasmEngine> {
  const missing = threads - 1 - (t.workers - t.inUse);
  if (missing > 0) await addWorkers(t, missing);
  const engine = createAddonEngine({ addon: t.addon, variant: WASM_VARIANT, threads, name: 'wasm' });
  t.inUse += threads - 1;
  const dispose = engine.dispose.bind(engine);
  let released = false;
  engine.dispose = async () => {
    await dispose();
    if (!released) t.inUse -= threads - 1;
    released = true;
  };
  return engine;
}

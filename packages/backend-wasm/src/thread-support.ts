/**
 * Whether the threaded wasm build can run here: it needs a shared WebAssembly memory (SharedArrayBuffer), which
 * browsers allow only in cross-origin isolated pages (COOP: same-origin, COEP: require-corp or credentialless), and
 * in Node process.getBuiltinModule (Node >= 20.16) for the emscripten glue.
 */
type Env = { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown; navigator?: { hardwareConcurrency?: number }; process?: { versions?: { node?: string }; getBuiltinModule?: (name: string) => unknown } };

const env = () => globalThis as unknown as Env;
const isNode = () => typeof env().process?.versions?.node === 'string';

let loadFailure: string | undefined;

/** Record that the threaded module failed to load here (wasmThreadSupport then says so). */
export function noteThreadLoadFailure(reason: string): void {
  loadFailure = reason;
}

/** Whether wasm threads can run here, and if not, why (including a threaded module that failed to load). */
export function wasmThreadSupport(): { available: boolean; reason?: string } {
  const g = env();
  if (loadFailure) return { available: false, reason: loadFailure };
  if (typeof g.SharedArrayBuffer !== 'function') return { available: false, reason: 'SharedArrayBuffer is not available (a page must be cross-origin isolated: COOP same-origin and COEP require-corp)' };
  if (isNode()) {
    if (typeof g.process?.getBuiltinModule !== 'function') return { available: false, reason: `Node ${g.process?.versions?.node} lacks process.getBuiltinModule (Node >= 20.16 runs wasm threads)` };
    return { available: true };
  }
  if (g.crossOriginIsolated !== true) return { available: false, reason: 'the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp)' };
  return { available: true };
}

/** Cores: os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers, else 1. */
export function defaultThreadCount(): number {
  const g = env();
  if (isNode()) {
    const os = g.process?.getBuiltinModule?.('os') as { availableParallelism?: () => number; cpus: () => unknown[] } | undefined;
    if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }
  return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
}

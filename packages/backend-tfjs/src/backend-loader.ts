import { ConfigError, ArgumentError } from '@msae/core';
import * as tf from '@tensorflow/tfjs-core';
import { importHidden, isNodeRuntime, nodeWasmDir } from './node-runtime.js';

/** tfjs backends this package can run on. `tensorflow` is @tensorflow/tfjs-node(-gpu), an optional peer. */
export type TfjsBackendName = 'cpu' | 'wasm' | 'webgpu' | 'tensorflow';

export const TFJS_BACKENDS: readonly TfjsBackendName[] = ['cpu', 'wasm', 'webgpu', 'tensorflow'];

export interface TfjsBackendOptions {
  backend?: TfjsBackendName;
  /**
   * wasm only: where the tfjs-backend-wasm .wasm files are served (a URL prefix ending in '/', or a
   * map file name -> URL, as tfjs' setWasmPaths takes). Node resolves them from node_modules when
   * omitted; browsers must serve them (no CDN is used).
   */
  wasmPaths?: string | Record<string, string>;
  /** wasm only: number of threads (browsers with cross-origin isolation only). */
  wasmThreads?: number;
}

export const TFJS_NODE_MISSING =
  '@tensorflow/tfjs-node is not installed: npm i @tensorflow/tfjs-node to use --backend tfjs-node';

let wasmConfigured = false;

/** Default backend: wasm everywhere (Node and browsers). */
export function defaultTfjsBackend(): TfjsBackendName {
  return 'wasm';
}

/** Register (if needed) and activate a tfjs backend; resolves once it is ready. */
export async function activateBackend(options: TfjsBackendOptions = {}): Promise<TfjsBackendName> {
  const name = options.backend ?? defaultTfjsBackend();
  if (!TFJS_BACKENDS.includes(name)) {
    throw new ArgumentError('', `unknown tfjs backend '${String(name)}' (expected one of ${TFJS_BACKENDS.join(', ')})`);
  }
  if (tf.findBackendFactory(name) === null) await registerBackend(name, options);
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new ArgumentError('', `tfjs backend '${name}' failed to initialize in this environment`);
  }
  await tf.ready();
  if (name === 'cpu') silenceCpuNodeBanner();
  return name;
}

/** Make `name` the active backend again (engines on different backends can share a process). */
export async function ensureActive(name: TfjsBackendName): Promise<void> {
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new ArgumentError('', `tfjs backend '${name}' failed to initialize`);
  }
}

async function registerBackend(name: TfjsBackendName, options: TfjsBackendOptions): Promise<void> {
  switch (name) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return;
    case 'webgpu':
      await import('@tensorflow/tfjs-backend-webgpu');
      return;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (!wasmConfigured) {
        const paths = options.wasmPaths ?? (await nodeWasmDir());
        if (paths !== undefined) wasm.setWasmPaths(paths);
        if (options.wasmThreads !== undefined) wasm.setThreadsCount(options.wasmThreads);
        wasmConfigured = true;
      }
      return;
    }
    case 'tensorflow':
      await importTfjsNode();
      return;
  }
}

/** Load @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node (optional peers); one-line error when absent. */
export async function importTfjsNode(load: (spec: string) => Promise<unknown> = importHidden): Promise<void> {
  if (!isNodeRuntime()) throw new ArgumentError('', 'the tfjs-node backend runs only in Node.js');
  for (const spec of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await load(spec);
      return;
    } catch (err) {
      if (!isModuleNotFound(err)) throw err;
    }
  }
  throw new ConfigError('', TFJS_NODE_MISSING);
}

function isModuleNotFound(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(String(err));
}

/** The cpu backend prints a "use tfjs-node" banner on first use in Node; the choice is deliberate here. */
function silenceCpuNodeBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu !== null && 'firstUse' in cpu) cpu.firstUse = false;
}

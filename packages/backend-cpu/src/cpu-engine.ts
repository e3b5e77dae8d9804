/** The native CPU engine: the addon engine (addon-engine.ts) over the N-API binary loaded for this machine. */
import { createAddonEngine, type CpuEngine } from './addon-engine.js';
import { requireNative, type KernelVariant } from './native-binding.js';
import { defaultThreadCount } from './thread-count.js';

export interface CpuEngineOptions {
  /** Worker threads (default: MSAE_CPU_THREADS, else every core). */
  threads?: number;
  /** Kernel variant (default: MSAE_CPU_KERNEL, else the best this CPU supports); throws if the CPU lacks it. */
  kernel?: KernelVariant;
}

/** Create the native CPU engine (call load() before use). Throws a one-line error when the addon is unavailable. */
export function createCpuEngine(opts: CpuEngineOptions = {}): CpuEngine {
  const { addon, variant } = requireNative(opts.kernel);
  return createAddonEngine({ addon, variant, threads: opts.threads ?? defaultThreadCount(), name: 'cpu' });
}

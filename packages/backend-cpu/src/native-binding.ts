/**
 * Loads the native addon compiled by src/native/build.mjs (dist/native/msae_cpu_<variant>.node): the AVX2+FMA
 * variant on x86-64 CPUs that have both, else the portable one. Nothing native leaks past this module's
 * callers: the engine and gemm wrap it in plain typed-array APIs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Opaque handle to a native context (thread pool + workspace). */
export interface NativeContext {
  readonly __nativeContext: unique symbol;
}

/** The addon's functions (see src/native/addon.cc). */
export interface NativeAddon {
  create(threads: number): NativeContext;
  dispose(ctx: NativeContext): void;
  threads(ctx: NativeContext): number;
  gemm(ctx: NativeContext, a: Float32Array, b: Float32Array, m: number, n: number, k: number, transB: boolean, out: Float32Array): void;
  decode(ctx: NativeContext, z: Float32Array, rows: number, wDec: Float32Array, bDec: Float32Array, dSae: number, dIn: number, out: Float32Array): void;
  pass(ctx: NativeContext, opts: Record<string, unknown>): number;
  update(ctx: NativeContext, opts: Record<string, unknown>): number;
  /** pass/update on a libuv worker: the event loop stays free; the context is busy until the promise settles. */
  passAsync(ctx: NativeContext, opts: Record<string, unknown>): Promise<number>;
  updateAsync(ctx: NativeContext, opts: Record<string, unknown>): Promise<number>;
}

export interface NativeLoad {
  addon?: NativeAddon;
  /** `avx2` or `base`. */
  variant?: string;
  file?: string;
  reason?: string;
}

function moduleDir(): string {
  return path.dirname(fileURLToPath(import.meta.url));
}

/** MSAE_CPU_NATIVE_DIR, else dist/native when running from dist, ../dist/native when running from src (tests). */
function nativeDir(): string | undefined {
  if (process.env.MSAE_CPU_NATIVE_DIR) return process.env.MSAE_CPU_NATIVE_DIR;
  const here = moduleDir();
  return [path.join(here, 'native'), path.join(here, '..', 'dist', 'native')].find((d) => existsSync(path.join(d, 'build.json')));
}

/** True on x86-64 CPUs that report both AVX2 and FMA (Linux /proc/cpuinfo). */
function cpuHasAvx2Fma(): boolean {
  if (process.arch !== 'x64') return false;
  try {
    const flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1].trim().split(/\s+/) ?? [];
    return flags.includes('avx2') && flags.includes('fma');
  } catch {
    return false;
  }
}

let cached: NativeLoad | undefined;

/** Load the addon once; `reason` says why it is unavailable. MSAE_CPU_VARIANT=base|avx2 forces a variant. */
export function loadNative(): NativeLoad {
  if (cached) return cached;
  cached = tryLoad();
  return cached;
}

function tryLoad(): NativeLoad {
  if (process.env.MSAE_CPU_DISABLE === '1') return { reason: 'disabled by MSAE_CPU_DISABLE=1' };
  const dir = nativeDir();
  if (!dir) return { reason: 'native addon not built (run the package build: pnpm build)' };
  let status: { ok?: boolean; reason?: string; variants?: string[] } = {};
  try {
    status = JSON.parse(readFileSync(path.join(dir, 'build.json'), 'utf8'));
  } catch {
    // no build record: fall through to the file check
  }
  if (status.ok === false) return { reason: status.reason ?? 'native build failed' };
  const forced = process.env.MSAE_CPU_VARIANT;
  const order = forced ? [forced] : cpuHasAvx2Fma() ? ['avx2', 'base'] : ['base'];
  const require = createRequire(import.meta.url);
  const errors: string[] = [];
  for (const variant of order) {
    const file = path.join(dir, `msae_cpu_${variant}.node`);
    if (!existsSync(file)) {
      errors.push(`${path.basename(file)} missing`);
      continue;
    }
    try {
      return { addon: require(file) as NativeAddon, variant, file };
    } catch (e) {
      errors.push(`${path.basename(file)}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  return { reason: `native addon could not be loaded (${errors.join('; ')})` };
}

/** Whether the native CPU engine can run here, and why not. */
export function cpuEngineAvailability(): { available: boolean; reason?: string } {
  const n = loadNative();
  return n.addon ? { available: true } : { available: false, reason: n.reason };
}

/** The addon, or a one-line error saying why it is unavailable. */
export function requireNative(): { addon: NativeAddon; variant: string } {
  const n = loadNative();
  if (!n.addon) throw new Error(`@msae/backend-cpu: native engine unavailable: ${n.reason}`);
  return { addon: n.addon, variant: n.variant ?? 'base' };
}

/**
 * Loads the native addon (one binary, three kernel variants picked at load time from cpuid, see
 * src/native/dispatch.cc). Where from, first match wins (node-gyp-build's order):
 *   build/Release/msae_cpu.node: compiled from source by src/native/build.mjs (only when no prebuilt matches
 *     the sources: other platforms, or sources edited since the prebuilt was made);
 *   prebuilds/<platform>-<arch>/msae_cpu.napi.glibc.node: the prebuilt binary shipped in the package (linux-x64).
 * MSAE_CPU_NATIVE_DIR=DIR loads DIR/msae_cpu.node instead (tests). Nothing native leaks past this module's
 * callers: the engine and gemm wrap it in plain typed-array APIs.
 */
import { ArgumentError } from '@msae/core';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Opaque handle to a native context (thread pool + workspace). */
export interface NativeContext {
  readonly __nativeContext: unique symbol;
}

/** What kernelInfo() of the addon reports. */
export interface NativeKernelReport {
  /** Variant the engine runs, null when MSAE_CPU_KERNEL names one this CPU cannot run (see `error`). */
  variant: string | null;
  /** Variants this CPU (and binary) can run, best first: `avx512`, `avx2`, `base`. */
  supported: string[];
  cpuModel: string;
  /** Floats per vector in the variant's hot loops (16 with AVX-512). */
  vectorFloats: number;
  /** The int8 x int8 search kernel: `avx512vnni`, `avx2` or `portable` (absent in addons without one). */
  int8Kernel?: string;
  error?: string;
}

/** The addon's functions (see src/native/addon.cc). */
export interface NativeAddon {
  /** The variant create() would run for that request (default: the best this CPU supports). */
  kernelInfo(variant?: string): NativeKernelReport;
  create(threads: number, variant?: string): NativeContext;
  dispose(ctx: NativeContext): void;
  threads(ctx: NativeContext): number;
  /** The kernel variant a context runs (the N-API addon only). */
  variant?(ctx: NativeContext): string;
  gemm(ctx: NativeContext, a: Float32Array, b: Float32Array, m: number, n: number, k: number, transB: boolean, out: Float32Array): void;
  /** out[i, j] = scale[j] sum_t a[i, t] codes[j, t] (int8 rows, a compact search collection). */
  gemmInt8(ctx: NativeContext, a: Float32Array, codes: Int8Array, scale: Float32Array, m: number, n: number, k: number, out: Float32Array): void;
  /** out[i, j] = sum_t a[i, t] b[j, t] (int8 codes in -127..127, int32 sums; the N-API addon only). */
  gemmInt8Int8?(ctx: NativeContext, a: Int8Array, b: Int8Array, m: number, n: number, k: number, out: Int32Array): void;
  /** out[i, j] = ascale[i] bscale[j] sum_t a[i, t] b[j, t] (the N-API addon only). */
  gemmInt8Int8Scaled?(ctx: NativeContext, a: Int8Array, ascale: Float32Array, b: Int8Array, bscale: Float32Array, m: number, n: number, k: number, out: Float32Array): void;
  decode(ctx: NativeContext, z: Float32Array, rows: number, wDec: Float32Array, bDec: Float32Array, dSae: number, dIn: number, out: Float32Array): void;
  pass(ctx: NativeContext, opts: Record<string, unknown>): number;
  update(ctx: NativeContext, opts: Record<string, unknown>): number;
  /** pass/update on a libuv worker: the event loop stays free; the context is busy until the promise settles. */
  passAsync(ctx: NativeContext, opts: Record<string, unknown>): Promise<number>;
  updateAsync(ctx: NativeContext, opts: Record<string, unknown>): Promise<number>;
  /**
   * Addons that keep the engine's tensors in their own memory (the WebAssembly one) refresh a tensor's JS array
   * here before the engine reads it; the N-API addon works on the arrays in place and has none.
   */
  readBack?(a: Float32Array): void;
}

export interface NativeLoad {
  addon?: NativeAddon;
  /** Kernel variant: `avx512`, `avx2` or `base`. */
  variant?: string;
  /** The binary loaded, and whether it is the shipped prebuilt or a source build. */
  file?: string;
  source?: 'prebuilt' | 'compiled';
  report?: NativeKernelReport;
  reason?: string;
}

/** The package root (this module is src/native-binding.ts or dist/index.js, both one level down). */
function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
}

function buildStatus(dir: string): { ok?: boolean; reason?: string } | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'build.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

let cached: NativeLoad | undefined;

/** Load the addon once; `reason` says why it is unavailable. MSAE_CPU_KERNEL=base|avx2|avx512 forces a variant. */
export function loadNative(): NativeLoad {
  cached ??= tryLoad();
  return cached;
}

/** The binary to load, or why there is none. */
function locate(require: NodeJS.Require): { file?: string; reason?: string } {
  const dir = process.env.MSAE_CPU_NATIVE_DIR;
  if (dir) {
    const file = path.join(dir, 'msae_cpu.node');
    if (existsSync(file)) return { file };
    return { reason: buildStatus(dir)?.reason ?? `${file} not found` };
  }
  const root = packageRoot();
  const nodeGypBuild = require('node-gyp-build') as { path(dir: string): string };
  try {
    return { file: nodeGypBuild.path(root) };
  } catch {
    const status = buildStatus(path.join(root, 'build', 'Release'));
    // npm users rebuild with npm (the package's install script compiles with g++); pnpm build is the monorepo's way
    const rebuild = 'npm rebuild @msae/backend-cpu, which needs g++';
    const why = status?.ok === false ? `${status.reason} (fix it, then ${rebuild})` : `not built from source (${rebuild})`;
    return { reason: `no prebuilt binary for ${process.platform}-${process.arch} and ${why}` };
  }
}

/**
 * The addon with create() defaulting to one kernel variant (the addon's own functions are non-enumerable). A variant
 * passed to create() still wins: requireNative wraps the loaded (default-variant) addon again for another variant.
 */
function withVariant(addon: NativeAddon, variant: string): NativeAddon {
  const create = (threads: number, v?: string) => addon.create(threads, v ?? variant);
  return Object.create(addon, { create: { value: create } }) as NativeAddon;
}

function tryLoad(): NativeLoad {
  if (process.env.MSAE_CPU_DISABLE === '1') return { reason: 'disabled by MSAE_CPU_DISABLE=1' };
  const require = createRequire(import.meta.url);
  const { file, reason } = locate(require);
  if (!file) return { reason };
  let addon: NativeAddon;
  try {
    addon = require(file) as NativeAddon;
  } catch (e) {
    return { reason: `${path.basename(file)} could not be loaded: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
  const source = file.includes(`${path.sep}prebuilds${path.sep}`) ? 'prebuilt' : 'compiled';
  const requested = process.env.MSAE_CPU_KERNEL ?? '';
  const report = addon.kernelInfo(requested);
  if (!report.variant) return { reason: report.error ?? 'no kernel variant', file, source, report };
  const variant = report.variant;
  return { addon: withVariant(addon, variant), variant, file, source, report };
}

/** Whether the native CPU engine can run here, and why not. */
export function cpuEngineAvailability(): { available: boolean; reason?: string } {
  const n = loadNative();
  return n.addon ? { available: true } : { available: false, reason: n.reason };
}

/** The native engine's kernels on this machine (see `nativeKernelInfo`). */
export interface NativeKernelInfo {
  /** Variant in use (`avx512`, `avx2`, `base`), null when the engine is unavailable. */
  variant: string | null;
  /** Variants this CPU supports, best first. */
  supported: string[];
  /** CPU brand string (cpuid), e.g. `Intel(R) Xeon(R) Processor`. */
  cpuModel: string;
  /** Floats per vector register in the variant's hot loops. */
  vectorFloats: number;
  /** The int8 x int8 search kernel (`avx512vnni` where cpuid reports it, `avx2`, `portable`), null when unavailable. */
  int8Kernel: string | null;
  /** Binary loaded: the package's prebuilt, or one compiled from source. */
  source: 'prebuilt' | 'compiled' | null;
  file: string | null;
  /** Why the engine is unavailable. */
  reason?: string;
}

/** Which kernel variant the native engine runs on this CPU and which it could (MSAE_CPU_KERNEL overrides). */
export function nativeKernelInfo(): NativeKernelInfo {
  const n = loadNative();
  const r = n.report;
  return {
    variant: n.addon ? (n.variant ?? null) : null,
    supported: r?.supported ?? [],
    cpuModel: r?.cpuModel ?? os.cpus()[0]?.model?.trim() ?? 'unknown CPU',
    vectorFloats: n.addon ? (r?.vectorFloats ?? 0) : 0,
    int8Kernel: n.addon ? (r?.int8Kernel ?? null) : null,
    source: n.source ?? null,
    file: n.file ?? null,
    ...(n.addon ? {} : { reason: n.reason }),
  };
}

/** Kernel variant names, best first. */
export type KernelVariant = 'avx512' | 'avx2' | 'base';

/**
 * The addon (its contexts run `kernel`, default the loaded variant), or a one-line error saying why it is
 * unavailable or why this CPU cannot run that kernel.
 */
export function requireNative(kernel?: KernelVariant): { addon: NativeAddon; variant: string } {
  const n = loadNative();
  if (!n.addon) throw new ArgumentError(`@msae/backend-cpu`, `native engine unavailable: ${n.reason}`);
  if (!kernel || kernel === n.variant) return { addon: n.addon, variant: n.variant ?? 'base' };
  const report = n.addon.kernelInfo(kernel);
  if (!report.variant) throw new ArgumentError(`@msae/backend-cpu`, `kernel ${kernel}: ${report.error ?? 'not supported'}`);
  return { addon: withVariant(n.addon, report.variant), variant: report.variant };
}

/**
 * The native addon's interface (see @msae/backend-cpu's native-binding.ts) over the WebAssembly module, so the
 * same engine code (createAddonEngine) drives the same C++ kernels. Calls run synchronously on the calling
 * thread; the *Async forms return settled promises.
 */
import { ArgumentError } from '@msae/core';
import type { NativeAddon, NativeContext, NativeKernelReport } from '@msae/backend-cpu/addon-engine';
import type { MsaeWasmModule } from './generated/msae_wasm.mjs';
import { WasmHeap } from './wasm-heap.js';

/** The kernel variant name the wasm engine reports. */
export const WASM_VARIANT = 'wasm-simd128';

type Opts = Record<string, unknown>;
const f32 = (o: Opts, k: string) => o[k] as Float32Array | undefined;
const num = (o: Opts, k: string, dflt = 0) => (o[k] === undefined || o[k] === null ? dflt : Number(o[k]));

/** Wrap a loaded module as a NativeAddon; contexts are heap pointers boxed as opaque handles. */
export function wasmAddon(m: MsaeWasmModule): NativeAddon {
  const heap = new WasmHeap(m);
  const ptrOf = (ctx: NativeContext) => {
    const p = (ctx as unknown as { ptr: number }).ptr;
    if (!p) throw new ArgumentError('wasm engine', 'context already disposed');
    return p;
  };
  const call = <T>(f: () => T): T => {
    try {
      return f();
    } finally {
      heap.release();
    }
  };

  const pass = (ctx: NativeContext, o: Opts): number => {
    const c = ptrOf(ctx);
    return call(() => {
      const mode = num(o, 'mode');
      const grads = mode === 2;
      const nesting = (o.nesting as number[] | undefined) ?? [];
      const ptr = {
        codes: heap.input(f32(o, 'codes')),
        recons: heap.input(f32(o, 'recons')),
        levelLosses: heap.input(o.levelLosses as Float64Array | undefined),
        fired: heap.input(o.fired as Uint8Array | undefined),
        auxOut: heap.input(o.auxOut as Float64Array | undefined),
        timings: heap.input(o.timings as Float64Array | undefined),
      };
      const res = (k: string, written: boolean) => (o[k] ? heap.resident(o[k] as Float32Array, c, written) : 0);
      const loss = m._msae_pass(
        c, mode, num(o, 'rows'), heap.input(f32(o, 'x')), num(o, 'dIn'), num(o, 'dSae'),
        res('W_encT', false), res('b_enc', false), res('W_dec', false), res('b_dec', false),
        num(o, 'arch'), nesting.length, heap.ints(nesting), heap.doubles((o.coef as number[] | undefined) ?? []),
        num(o, 'batchK'), num(o, 'mse'), num(o, 'l1'), num(o, 'k', -1),
        ptr.codes, ptr.recons, ptr.levelLosses,
        res('gW_encT', grads), res('gb_enc', grads), res('gW_dec', grads), res('gb_dec', grads),
        num(o, 'auxK'), num(o, 'auxWeight'), heap.input(o.dead as Uint8Array | undefined), ptr.fired, ptr.auxOut, ptr.timings,
      );
      heap.output(f32(o, 'codes'), ptr.codes);
      heap.output(f32(o, 'recons'), ptr.recons);
      heap.output(o.levelLosses as Float64Array | undefined, ptr.levelLosses);
      heap.output(o.fired as Uint8Array | undefined, ptr.fired);
      heap.output(o.auxOut as Float64Array | undefined, ptr.auxOut);
      heap.output(o.timings as Float64Array | undefined, ptr.timings);
      return loss;
    });
  };

  const update = (ctx: NativeContext, o: Opts): number => {
    const c = ptrOf(ctx);
    return call(() => {
      const timings = heap.input(o.timings as Float64Array | undefined);
      const t = (name: string) => ['', 'g', 'm', 'v'].map((p) => heap.resident(o[p ? `${p}${name}` : name] as Float32Array, c, true));
      const norm = m._msae_update(
        c, num(o, 'dIn'), num(o, 'dSae'), num(o, 'lr'), num(o, 'beta1'), num(o, 'beta2'), num(o, 'eps'),
        num(o, 'weightDecay'), num(o, 'clipNorm'), num(o, 'step'),
        ...t('W_encT'), ...t('b_enc'), ...t('W_dec'), ...t('b_dec'), timings,
      );
      heap.output(o.timings as Float64Array | undefined, timings);
      return norm;
    });
  };

  const report: NativeKernelReport = { variant: WASM_VARIANT, supported: [WASM_VARIANT], cpuModel: 'WebAssembly SIMD128', vectorFloats: m._msae_vector_floats() };
  const settle = <T>(f: () => T): Promise<T> => {
    try {
      return Promise.resolve(f());
    } catch (e) {
      return Promise.reject(e);
    }
  };

  return {
    kernelInfo: () => report,
    create: (threads: number) => ({ ptr: m._msae_create(threads) }) as unknown as NativeContext,
    dispose: (ctx: NativeContext) => {
      const c = ptrOf(ctx);
      heap.dropOwner(c);
      m._msae_dispose(c);
      (ctx as unknown as { ptr: number }).ptr = 0;
    },
    threads: (ctx: NativeContext) => m._msae_threads(ptrOf(ctx)),
    gemm: (ctx, a, b, mm, n, k, transB, out) =>
      call(() => {
        const po = heap.input(out);
        m._msae_gemm(ptrOf(ctx), heap.input(a), heap.input(b), mm, n, k, transB ? 1 : 0, po);
        heap.output(out, po);
      }),
    gemmInt8: (ctx, a, codes, scale, mm, n, k, out) =>
      call(() => {
        const po = heap.input(out);
        m._msae_gemm_int8(ptrOf(ctx), heap.input(a), heap.input(codes), heap.input(scale), mm, n, k, po);
        heap.output(out, po);
      }),
    decode: (ctx, z, rows, wDec, bDec, dSae, dIn, out) =>
      call(() => {
        const c = ptrOf(ctx);
        const po = heap.input(out);
        m._msae_decode(c, heap.input(z), rows, heap.resident(wDec, c, false), heap.resident(bDec, c, false), dSae, dIn, po);
        heap.output(out, po);
      }),
    pass,
    update,
    passAsync: (ctx, opts) => settle(() => pass(ctx, opts)),
    updateAsync: (ctx, opts) => settle(() => update(ctx, opts)),
    readBack: (a: Float32Array) => heap.readBack(a),
  };
}

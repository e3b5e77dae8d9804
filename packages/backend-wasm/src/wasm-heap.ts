/**
 * Typed arrays in the module's linear memory. Transient arguments are copied in (and outputs back) per call;
 * an engine's own tensors (parameters, gradients, Adam moments) stay resident: copied in the first time they
 * are seen, then updated in place by the kernels, their JS arrays refreshed only on `readBack` (the engine
 * never writes them itself). Views are re-made after every call: memory growth replaces the buffer.
 */
import { ArgumentError } from '@msae/core';
import type { MsaeWasmModule } from './generated/msae_wasm.mjs';

type Numeric = Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array;

interface Resident {
  ptr: number;
  owner: number;
  /** The kernels changed it since the JS array was last refreshed. */
  stale: boolean;
}

export class WasmHeap {
  private readonly residents = new WeakMap<Numeric, Resident>();
  private readonly byOwner = new Map<number, Set<Resident>>();
  private transient: number[] = [];

  constructor(readonly m: MsaeWasmModule) {}

  private bytes(ptr: number, a: Numeric): Uint8Array {
    // a pthread build's shared memory: HEAPU8 is refreshed only inside the glue, wasmMemory.buffer always current
    return new Uint8Array(this.m.wasmMemory?.buffer ?? this.m.HEAPU8.buffer, ptr, a.byteLength);
  }

  private raw(a: Numeric): Uint8Array {
    return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  }

  private alloc(bytes: number): number {
    const ptr = this.m._malloc(Math.max(bytes, 8));
    if (!ptr) throw new ArgumentError(`wasm engine`, `out of memory allocating ${bytes} bytes`);
    return ptr;
  }

  /** A transient copy of `a` (freed by `release`); null arrays give 0. */
  input(a: Numeric | undefined): number {
    if (!a) return 0;
    const ptr = this.alloc(a.byteLength);
    this.bytes(ptr, a).set(this.raw(a));
    this.transient.push(ptr);
    return ptr;
  }

  /** A transient copy of `values` as float64 / int32. */
  doubles(values: readonly number[]): number {
    return this.input(Float64Array.from(values));
  }
  ints(values: readonly number[]): number {
    return this.input(Int32Array.from(values));
  }

  /** An engine tensor resident in the heap for `owner` (a context); `written`: the call will change it. */
  resident(a: Numeric, owner: number, written: boolean): number {
    let r = this.residents.get(a);
    if (!r) {
      r = { ptr: this.alloc(a.byteLength), owner, stale: false };
      this.bytes(r.ptr, a).set(this.raw(a));
      this.residents.set(a, r);
      let set = this.byOwner.get(owner);
      if (!set) this.byOwner.set(owner, (set = new Set()));
      set.add(r);
    }
    if (written) r.stale = true;
    return r.ptr;
  }

  /** Copy transient outputs back to their JS arrays (after the call). */
  output(a: Numeric | undefined, ptr: number): void {
    if (a && ptr) this.raw(a).set(this.bytes(ptr, a));
  }

  /** Refresh a resident tensor's JS array from the heap. */
  readBack(a: Numeric): void {
    const r = this.residents.get(a);
    if (r?.stale) {
      this.raw(a).set(this.bytes(r.ptr, a));
      r.stale = false;
    }
  }

  /** Free the transient copies of the last call. */
  release(): void {
    for (const p of this.transient) this.m._free(p);
    this.transient = [];
  }

  /** Free every resident tensor of `owner` (its JS arrays keep their last read-back values). */
  dropOwner(owner: number): void {
    for (const r of this.byOwner.get(owner) ?? []) this.m._free(r.ptr);
    this.byOwner.delete(owner);
  }
}

/** The emcc-generated module factory (src/native/build.mjs): exports of wasm_api.cc plus the heap views. */
export interface MsaeWasmModule {
  HEAPU8: Uint8Array;
  /** The linear memory (pthread builds: shared, its buffer replaced on growth). */
  wasmMemory?: WebAssembly.Memory;
  /** The pthread workers of a threaded build (Node: worker_threads Workers). */
  PThread?: { unusedWorkers: unknown[]; allocateUnusedWorker(): void; loadWasmModuleToWorker(worker: unknown, onLoaded: () => void): void };
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _msae_create(threads: number): number;
  _msae_dispose(ctx: number): void;
  _msae_threads(ctx: number): number;
  _msae_vector_floats(): number;
  _msae_gemm(ctx: number, a: number, b: number, m: number, n: number, k: number, transB: number, c: number): void;
  _msae_gemm_int8(ctx: number, a: number, codes: number, scale: number, m: number, n: number, k: number, c: number): void;
  _msae_decode(ctx: number, z: number, rows: number, w: number, bd: number, dSae: number, dIn: number, out: number): void;
  _msae_pass(...args: number[]): number;
  _msae_update(...args: number[]): number;
}
export default function createMsaeWasm(options?: { wasmBinary?: ArrayBuffer; msaeThreads?: number; mainScriptUrlOrBlob?: string }): Promise<MsaeWasmModule>;

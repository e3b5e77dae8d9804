/**
 * The ONE onnxruntime-web variant the site serves (scripts/copy-assets.mjs): the plain SIMD-threaded wasm
 * build (14 MB, wasm execution provider), fetched only when CLIP runs (Your photos, text queries).
 */
export function ortFiles(base: string): { mjs: string; wasm: string } {
  return { mjs: `${base}ort/ort-wasm-simd-threaded.mjs`, wasm: `${base}ort/ort-wasm-simd-threaded.wasm` };
}

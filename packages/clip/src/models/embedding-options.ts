import type { Matrix } from '@msae/core';

/** Progress of an embedding run, reported after each batch. */
export interface EmbedProgress {
  /** Items handled so far (embedded or skipped). */
  done: number;
  total: number;
}

export interface EmbedOptions {
  /**
   * Hugging Face model id (e.g. `Xenova/clip-vit-base-patch32`) or, in Node, a local model folder
   * (then remote downloads are disabled). In the browser, an id under `localModelPath`.
   */
  model: string;
  /**
   * Folder (Node) or same-origin URL path (browser, e.g. '/models/': not a full http URL, which transformers.js
   * treats as remote) holding local model folders; `model` is then looked up inside it, offline.
   */
  localModelPath?: string;
  /** Items per forward pass (default 32). */
  batchSize?: number;
  /** L2-normalize each embedding row (default false). */
  normalize?: boolean;
  /** transformers.js device: 'cpu' (Node default), 'wasm' (browser default), 'webgpu', ... */
  device?: string;
  /**
   * Browser: URL folder serving onnxruntime-web's dist files (ort-wasm-simd-threaded.asyncify.{mjs,wasm}), or
   * the two files' URLs of another variant (e.g. the plain ort-wasm-simd-threaded.{mjs,wasm}, wasm device only); no CDN.
   */
  wasmPaths?: string | { mjs: string; wasm: string };
  /** Called after each batch. */
  onProgress?: (progress: EmbedProgress) => void;
}

/** Embeddings of a list of items: row i belongs to ids[i]. */
export interface EmbeddingResult {
  /** [count, dim] float32, row-major. */
  embeddings: Matrix;
  /** The model id or folder the embeddings came from. */
  model: string;
  /** Embedding dimension (the model's projection size). */
  dim: number;
  ids: string[];
}

/** An input that could not be embedded (a corrupt image), with the reason. */
export interface SkippedInput {
  id: string;
  error: string;
}

import { EmbeddingInputError } from '../errors.js';

export { EmbeddingInputError } from '../errors.js';

export const DEFAULT_BATCH_SIZE = 32;

export function checkBatchSize(batchSize: number | undefined): number {
  const b = batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(b) || b < 1) throw new EmbeddingInputError(`batch size must be a positive integer, got ${batchSize}`);
  return b;
}

/**
 * Browser entry of the CLIP loaders: no Node built-ins. Models load from a URL prefix (`localModelPath`)
 * or the Hub; onnxruntime-web's wasm files come from `wasmPaths` (serve them yourself, no CDN).
 */
import { embedClassNamesAt, type ClassNameEmbedOptions } from './class-name-embeddings.js';
import type { ModelLocation } from './clip-loader.js';
import {
  embedImageItems,
  isRawRgbImage,
  rawImageItem,
  type ImageEmbedOptions,
  type ImageEmbeddingResult,
  type ImageItem,
  type RawRgbImage,
} from './embed-images.js';
import { embedTextsAt, type TextEmbedOptions } from './embed-texts.js';
import { EmbeddingInputError, type EmbeddingResult } from './embedding-options.js';
import { loadTransformers } from './transformers-runtime.js';

export * from '@msae/io/browser';
export * from './embedding-options.js';
export * from './prompt-templates.js';
export { l2NormalizeRows } from './l2-normalize.js';
export { ClipRuntimeMissingError } from './transformers-runtime.js';
export type { RawRgbImage, ImageEmbedOptions, ImageEmbeddingResult } from './embed-images.js';
export type { TextEmbedOptions } from './embed-texts.js';
export type { ClassNameEmbedOptions } from './class-name-embeddings.js';

function browserLocation(opts: { model: string; localModelPath?: string }): ModelLocation {
  return opts.localModelPath !== undefined ? { id: opts.model, localRoot: opts.localModelPath } : { id: opts.model };
}

export async function embedTexts(texts: readonly string[], opts: TextEmbedOptions): Promise<EmbeddingResult> {
  return embedTextsAt(browserLocation(opts), texts, opts);
}

/** Images as URLs, Blobs or raw RGB buffers. */
export async function embedImages(
  images: ReadonlyArray<string | Blob | RawRgbImage>,
  opts: ImageEmbedOptions,
): Promise<ImageEmbeddingResult> {
  const items: ImageItem[] = images.map((img, i) => {
    if (typeof img === 'string') return { id: img, load: async () => (await loadTransformers()).RawImage.read(img) };
    if (img instanceof Blob) return { id: `image-${i}`, load: async () => (await loadTransformers()).RawImage.fromBlob(img) };
    if (isRawRgbImage(img)) {
      return rawImageItem(img, img.id ?? `image-${i}`);
    }
    throw new EmbeddingInputError(`image ${i}: expected a URL, Blob or {data, width, height}`);
  });
  return embedImageItems(browserLocation(opts), items, opts);
}

export async function embedClassNames(names: readonly string[], opts: ClassNameEmbedOptions): Promise<EmbeddingResult> {
  return embedClassNamesAt(browserLocation(opts), names, opts);
}

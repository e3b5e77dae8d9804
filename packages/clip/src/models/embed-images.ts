import { matrix } from '@msae/core';
import type { RawImage, Tensor } from '@huggingface/transformers';
import { defaultDevice, loadClipVision, type ModelLocation } from './clip-loader.js';
import {
  checkBatchSize,
  EmbeddingInputError,
  type EmbedOptions,
  type EmbeddingResult,
  type SkippedInput,
} from './embedding-options.js';
import { l2NormalizeRows } from './l2-normalize.js';
import { loadTransformers } from './transformers-runtime.js';

/** Raw pixels, row-major, interleaved channels (RGB by default). */
export interface RawRgbImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** 3 (RGB, default), 4 (RGBA) or 1 (grey). */
  channels?: 1 | 3 | 4;
  id?: string;
}

export interface ImageEmbedOptions extends EmbedOptions {
  /** What to do with an image that cannot be read or decoded: 'fail' (default) throws, 'skip' leaves it out. */
  onError?: 'skip' | 'fail';
  /** Called for each skipped image. */
  onSkip?: (skipped: SkippedInput) => void;
}

export interface ImageEmbeddingResult extends EmbeddingResult {
  /** Images left out with onError 'skip' (their ids are not in `ids`). */
  skipped: SkippedInput[];
}

/** One image to embed: its id and how to decode it. */
export interface ImageItem {
  id: string;
  load: () => Promise<RawImage>;
}

export function isRawRgbImage(x: unknown): x is RawRgbImage {
  return typeof x === 'object' && x !== null && 'data' in x && 'width' in x && 'height' in x;
}

/** An image item for raw pixels: the buffer size is checked now, the transformers.js RawImage made when loaded. */
export function rawImageItem(img: RawRgbImage, id: string): ImageItem {
  checkRawRgbImage(img, id);
  return {
    id,
    load: async () => {
      const { RawImage } = await loadTransformers();
      return new RawImage(img.data, img.width, img.height, img.channels ?? 3);
    },
  };
}

/** Throws EmbeddingInputError when the size is not whole pixels or the buffer is not width x height x channels. */
function checkRawRgbImage(img: RawRgbImage, id: string): void {
  const channels = img.channels ?? 3;
  const { width, height } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new EmbeddingInputError(`${id}: invalid image size ${width}x${height}`);
  }
  if (img.data.length !== width * height * channels) {
    throw new EmbeddingInputError(
      `${id}: raw buffer has ${img.data.length} bytes, ${width}x${height}x${channels} needs ${width * height * channels}`,
    );
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/** Embed decoded-on-demand images with a CLIP vision tower (shared by the Node and browser entries). */
export async function embedImageItems(
  loc: ModelLocation,
  items: readonly ImageItem[],
  opts: ImageEmbedOptions,
): Promise<ImageEmbeddingResult> {
  const batchSize = checkBatchSize(opts.batchSize);
  const onError = opts.onError ?? 'fail';
  if (onError !== 'skip' && onError !== 'fail') throw new EmbeddingInputError(`onError must be 'skip' or 'fail', got '${onError}'`);
  const tower = await loadClipVision(loc, opts.device ?? defaultDevice(), opts.wasmPaths);
  const chunks: Float32Array[] = [];
  const ids: string[] = [];
  const skipped: SkippedInput[] = [];
  let dim = 0;
  for (let start = 0; start < items.length; start += batchSize) {
    const images: RawImage[] = [];
    for (const item of items.slice(start, start + batchSize)) {
      try {
        images.push(await item.load());
        ids.push(item.id);
      } catch (err) {
        if (err instanceof EmbeddingInputError && onError === 'fail') throw err;
        const error = `cannot read image (${firstLine(err)})`;
        if (onError === 'fail') throw new EmbeddingInputError(`${item.id}: ${error}`);
        const s = { id: item.id, error };
        skipped.push(s);
        opts.onSkip?.(s);
      }
    }
    if (images.length > 0) {
      const inputs = (await tower.processor(images)) as { pixel_values: Tensor };
      const out = (await tower.model({ pixel_values: inputs.pixel_values })) as { image_embeds: Tensor };
      dim = out.image_embeds.dims[1];
      chunks.push(Float32Array.from(out.image_embeds.data as Float32Array));
    }
    opts.onProgress?.({ done: Math.min(start + batchSize, items.length), total: items.length });
  }
  if (chunks.length === 0) {
    const cfg = tower.model.config as unknown as { projection_dim?: number };
    dim = cfg.projection_dim ?? 0;
  }
  const data = new Float32Array(ids.length * dim);
  let offset = 0;
  for (const c of chunks) {
    data.set(c, offset);
    offset += c.length;
  }
  const embeddings = matrix(data, ids.length, dim);
  if (opts.normalize) l2NormalizeRows(embeddings);
  return { embeddings, model: opts.model, dim, ids, skipped };
}

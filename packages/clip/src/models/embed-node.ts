import { embedClassNamesAt, type ClassNameEmbedOptions } from './class-name-embeddings.js';
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
import { imageItemsFromPaths } from './image-files.js';
import { nodeModelLocation } from './model-location.js';

/** Node: embed texts with a CLIP text tower (Hub id or local folder). */
export async function embedTexts(texts: readonly string[], opts: TextEmbedOptions): Promise<EmbeddingResult> {
  return embedTextsAt(nodeModelLocation(opts.model, opts.localModelPath), texts, opts);
}

/**
 * Node: embed images given as file paths (png/jpg/webp), folders (recursive, sorted, ids = relative paths)
 * or raw RGB buffers ({data, width, height}).
 */
export async function embedImages(
  images: ReadonlyArray<string | RawRgbImage>,
  opts: ImageEmbedOptions,
): Promise<ImageEmbeddingResult> {
  const loc = nodeModelLocation(opts.model, opts.localModelPath);
  const items: ImageItem[] = [];
  for (let i = 0; i < images.length; i++) {
    const img = images[i];
    if (typeof img === 'string') items.push(...(await imageItemsFromPaths([img])));
    else if (isRawRgbImage(img)) {
      items.push(rawImageItem(img, img.id ?? `image-${i}`));
    } else throw new EmbeddingInputError(`image ${i}: expected a path or {data, width, height}`);
  }
  return embedImageItems(loc, items, opts);
}

/** Node: CLIP zero-shot class embeddings averaged over prompt templates (unit-norm rows). */
export async function embedClassNames(names: readonly string[], opts: ClassNameEmbedOptions): Promise<EmbeddingResult> {
  return embedClassNamesAt(nodeModelLocation(opts.model, opts.localModelPath), names, opts);
}

/** CLIP loaders (Node entry): embed texts and images with transformers.js, prompt templates, class embeddings. */
export { embedTexts, embedImages, embedClassNames } from './embed-node.js';
export * from './embedding-options.js';
export * from './prompt-templates.js';
export { l2NormalizeRows } from './l2-normalize.js';
export { ClipRuntimeMissingError } from './transformers-runtime.js';
export { clipTokenIds, padTokenBatch, type ClipTokenizer, type TokenBatch } from './clip-token-ids.js';
export { listImageFiles, IMAGE_EXTENSIONS } from './image-files.js';
export type { RawRgbImage, ImageEmbedOptions, ImageEmbeddingResult } from './embed-images.js';
export type { TextEmbedOptions } from './embed-texts.js';
export type { ClassNameEmbedOptions } from './class-name-embeddings.js';

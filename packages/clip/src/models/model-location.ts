import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ModelLocation } from './clip-loader.js';
import { EmbeddingInputError } from './embedding-options.js';

/** Node: a `model` that is an existing folder loads offline from it; anything else is a Hub id. */
export function nodeModelLocation(model: string, localModelPath?: string): ModelLocation {
  if (localModelPath !== undefined) return { id: model, localRoot: resolve(localModelPath) };
  let isDir = false;
  let exists = false;
  try {
    isDir = statSync(model).isDirectory();
    exists = true;
  } catch {
    isDir = false;
  }
  if (!isDir) {
    if (exists) throw new EmbeddingInputError(`model folder ${model} is not a folder`);
    if (model.startsWith('.') || model.startsWith('/') || model.split('/').length > 2) {
      throw new EmbeddingInputError(`model folder ${model} not found`);
    }
    return { id: model };
  }
  const full = resolve(model);
  // An offline CLIP export holds config.json (+ tokenizer and onnx/); without it transformers.js fails obscurely.
  if (!existsSync(join(full, 'config.json'))) throw new EmbeddingInputError(`model folder ${model} has no config.json (not a Hugging Face CLIP export)`);
  return { id: basename(full), localRoot: dirname(full) };
}

import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { ModelLocation } from './clip-loader.js';
import { EmbeddingInputError } from './embedding-options.js';

/** Node: a `model` that is an existing folder loads offline from it; anything else is a Hub id. */
export function nodeModelLocation(model: string, localModelPath?: string): ModelLocation {
  if (localModelPath !== undefined) return { id: model, localRoot: resolve(localModelPath) };
  let isDir = false;
  try {
    isDir = statSync(model).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    if (model.startsWith('.') || model.startsWith('/') || model.split('/').length > 2) {
      throw new EmbeddingInputError(`model folder ${model} not found`);
    }
    return { id: model };
  }
  const full = resolve(model);
  return { id: basename(full), localRoot: dirname(full) };
}

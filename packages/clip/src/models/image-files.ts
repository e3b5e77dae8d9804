import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { RawImage } from '@huggingface/transformers';
import { EmbeddingInputError } from './embedding-options.js';
import type { ImageItem } from './embed-images.js';
import { loadTransformers } from './transformers-runtime.js';

/** File extensions treated as images when walking a folder. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'];

function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** Image files under `folder`, recursively, as paths relative to it ('/'-separated), sorted by code unit. */
export async function listImageFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && isImageName(entry.name)) found.push(relative(folder, full).split(sep).join('/'));
    }
  }
  await walk(folder);
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Decode an image file (png/jpg/webp, via sharp). */
export async function readImageFile(path: string): Promise<RawImage> {
  const bytes = await readFile(path);
  const { RawImage } = await loadTransformers();
  return RawImage.fromBlob(new Blob([bytes]));
}

/**
 * Expand paths into image items: a folder gives its images (recursive, sorted, id = path relative to the folder),
 * a file gives itself (id = the path as given). Missing paths and empty folders are errors.
 */
export async function imageItemsFromPaths(paths: readonly string[]): Promise<ImageItem[]> {
  const items: ImageItem[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      throw new EmbeddingInputError(`${p}: no such file or folder`);
    }
    if (info.isDirectory()) {
      const files = await listImageFiles(p);
      if (files.length === 0) {
        throw new EmbeddingInputError(`${p}: no images found (${IMAGE_EXTENSIONS.join(', ')})`);
      }
      for (const f of files) items.push({ id: f, load: () => readImageFile(join(p, f)) });
    } else {
      items.push({ id: p, load: () => readImageFile(p) });
    }
  }
  return items;
}

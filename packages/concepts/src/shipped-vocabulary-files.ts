import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { VocabularyEmbeddings } from './name-latents.js';
import { decodeShippedVocabulary, shippedVocabulary } from './shipped-vocabularies.js';

/** Absolute path of a file in the package's `vocab/` folder (Node). */
export function shippedVocabularyPath(file: string): string {
  return fileURLToPath(new URL(`../vocab/${file}`, import.meta.url));
}

/** Load a shipped vocabulary from the package's `vocab/` folder in Node (no model download). */
export async function loadShippedVocabulary(id: string): Promise<VocabularyEmbeddings & { id: string }> {
  const vocab = shippedVocabulary(id);
  const [npy, labels] = await Promise.all([
    readFile(shippedVocabularyPath(vocab.embeddingsFile)),
    readFile(shippedVocabularyPath(vocab.labelsFile), 'utf8'),
  ]);
  return { id, ...decodeShippedVocabulary(vocab, new Uint8Array(npy.buffer, npy.byteOffset, npy.byteLength), labels) };
}

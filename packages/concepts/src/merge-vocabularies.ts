import { ConceptsError } from './errors.js';
import type { VocabularyEmbeddings } from './name-latents.js';

/** A vocabulary with the name of its source, for merging. */
export interface NamedVocabulary extends VocabularyEmbeddings {
  source: string;
}

/** Raised when vocabularies cannot be merged (different widths); a ConceptsError (core's MsaeError root). */
export class VocabularyMergeError extends ConceptsError {
  constructor(message: string) {
    super('', message);
    this.name = 'VocabularyMergeError';
  }
}

/**
 * Several vocabularies as one, each entry keeping its source (`sources[i]`). The same label in two
 * sources stays twice (one entry per source); candidate lists merge repeated labels, best score first.
 */
export function mergeVocabularies(parts: NamedVocabulary[]): VocabularyEmbeddings & { sources: string[] } {
  if (parts.length === 0) throw new VocabularyMergeError('no vocabularies to merge');
  const dim = parts[0].embeddings.cols;
  for (const p of parts) {
    if (p.embeddings.cols !== dim) throw new VocabularyMergeError(`${p.source}: ${p.embeddings.cols}-d embeddings, but ${parts[0].source} has ${dim}-d`);
  }
  const rows = parts.reduce((n, p) => n + p.embeddings.rows, 0);
  const data = new Float32Array(rows * dim);
  const labels: string[] = [];
  const sources: string[] = [];
  let at = 0;
  for (const p of parts) {
    data.set(p.embeddings.data.subarray(0, p.embeddings.rows * dim), at * dim);
    at += p.embeddings.rows;
    labels.push(...p.labels);
    for (let i = 0; i < p.labels.length; i++) sources.push(p.source);
  }
  return { labels, embeddings: { data, rows, cols: dim }, sources };
}

import { matrix } from '@msae/core';
import type { ModelLocation } from './clip-loader.js';
import { embedTextsAt } from './embed-texts.js';
import type { EmbedOptions, EmbeddingResult } from './embedding-options.js';
import { l2NormalizeRows } from './l2-normalize.js';
import { classPrompts, PHOTO_TEMPLATE } from './prompt-templates.js';

export interface ClassNameEmbedOptions extends Omit<EmbedOptions, 'normalize'> {
  /** Prompt templates with a "{}" placeholder (default ["a photo of a {}."]; IMAGENET_TEMPLATES for CLIP's 80). */
  templates?: readonly string[];
}

/**
 * CLIP zero-shot class embeddings: e_c = normalize( mean_t normalize(text(template_t(c))) ).
 * Rows are unit norm; ids are the class names.
 */
export async function embedClassNamesAt(
  loc: ModelLocation,
  names: readonly string[],
  opts: ClassNameEmbedOptions,
): Promise<EmbeddingResult> {
  const templates = opts.templates ?? [PHOTO_TEMPLATE];
  const prompts = classPrompts(names, templates);
  const flat = prompts.flat();
  const texts = await embedTextsAt(loc, flat, { ...opts, normalize: true, ids: flat.map((_, i) => String(i)) });
  const dim = texts.dim;
  const t = templates.length;
  const data = new Float32Array(names.length * dim);
  for (let c = 0; c < names.length; c++) {
    for (let j = 0; j < t; j++) {
      const row = texts.embeddings.data.subarray((c * t + j) * dim, (c * t + j + 1) * dim);
      for (let d = 0; d < dim; d++) data[c * dim + d] += row[d] / t;
    }
  }
  const embeddings = l2NormalizeRows(matrix(data, names.length, dim));
  return { embeddings, model: opts.model, dim, ids: [...names] };
}

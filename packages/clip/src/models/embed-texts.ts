import { matrix } from '@msae/core';
import type { Tensor } from '@huggingface/transformers';
import { loadClipText, defaultDevice, type ModelLocation } from './clip-loader.js';
import { loadTransformers } from './transformers-runtime.js';
import { clipTokenIds, padTokenBatch, padTokenId } from './clip-token-ids.js';
import { checkBatchSize, EmbeddingInputError, type EmbedOptions, type EmbeddingResult } from './embedding-options.js';
import { l2NormalizeRows } from './l2-normalize.js';

export interface TextEmbedOptions extends EmbedOptions {
  /** One id per text (default: the texts themselves). */
  ids?: string[];
}

/** Embed texts with a CLIP text tower at a resolved location (shared by the Node and browser entries). */
export async function embedTextsAt(
  loc: ModelLocation,
  texts: readonly string[],
  opts: TextEmbedOptions,
): Promise<EmbeddingResult> {
  const batchSize = checkBatchSize(opts.batchSize);
  if (opts.ids && opts.ids.length !== texts.length) {
    throw new EmbeddingInputError(`${opts.ids.length} ids given for ${texts.length} texts`);
  }
  texts.forEach((t, i) => {
    if (typeof t !== 'string') throw new EmbeddingInputError(`text ${i} is not a string`);
  });
  const { Tensor } = await loadTransformers();
  const tower = await loadClipText(loc, opts.device ?? defaultDevice(), opts.wasmPaths);
  const pad = padTokenId(tower.tokenizer);
  const chunks: Float32Array[] = [];
  let dim = 0;
  for (let start = 0; start < texts.length; start += batchSize) {
    const slice = texts.slice(start, start + batchSize);
    const batch = padTokenBatch(
      slice.map((t) => clipTokenIds(tower.tokenizer, t, tower.context)),
      pad,
    );
    const dims = [batch.rows, batch.length];
    const out = (await tower.model({
      input_ids: new Tensor('int64', batch.inputIds, dims),
      attention_mask: new Tensor('int64', batch.attentionMask, dims),
    })) as { text_embeds: Tensor };
    dim = out.text_embeds.dims[1];
    chunks.push(Float32Array.from(out.text_embeds.data as Float32Array));
    opts.onProgress?.({ done: Math.min(start + batchSize, texts.length), total: texts.length });
  }
  if (texts.length === 0) dim = await textDimension(tower);
  const data = new Float32Array(texts.length * dim);
  let offset = 0;
  for (const c of chunks) {
    data.set(c, offset);
    offset += c.length;
  }
  const embeddings = matrix(data, texts.length, dim);
  if (opts.normalize) l2NormalizeRows(embeddings);
  return { embeddings, model: opts.model, dim, ids: opts.ids ? [...opts.ids] : [...texts] };
}

async function textDimension(tower: Awaited<ReturnType<typeof loadClipText>>): Promise<number> {
  const cfg = tower.model.config as unknown as { projection_dim?: number; text_config?: { projection_dim?: number } };
  return cfg.projection_dim ?? cfg.text_config?.projection_dim ?? 0;
}

import type { Matrix } from '@msae/core';
import { sourceBlocks, type RowSource } from './exact-search.js';
import { AnalysisError } from './errors.js';
import { checkWidth, type SaeModel } from './sae-model.js';
import { TopKCollector, type SearchHits } from './topk-collector.js';

export interface ConceptSearchOptions {
  k?: number;
  blockRows?: number;
  allow?: (row: number) => boolean;
}

/**
 * Rank collection rows by a concept's activation: score = sum_{j in latents} ReLU(pre_j(x)) with
 * pre = ((x - mean) * scale - b_dec) W_enc[:, j] + b_enc[j] (the every-positive-code activation). Only the
 * concept's encoder columns are multiplied, through the model's matmul provider.
 */
export async function conceptSearch(model: SaeModel, latents: readonly number[], source: RowSource, options: ConceptSearchOptions = {}): Promise<SearchHits> {
  if (latents.length === 0) throw new AnalysisError('concept search: no latents');
  const { dIn, normalization, params } = model;
  const sub = new Float32Array(latents.length * dIn);
  latents.forEach((j, t) => {
    if (j < 0 || j >= model.dSae) throw new AnalysisError(`concept search: latent ${j} is outside 0..${model.dSae - 1}`);
    sub.set(model.encoderRows.data.subarray(j * dIn, (j + 1) * dIn), t * dIn);
  });
  const rowsOfEncoder: Matrix = { data: sub, rows: latents.length, cols: dIn };
  const collector = new TopKCollector(1, options.k ?? 10);
  for await (const block of sourceBlocks(source, options.blockRows)) {
    checkWidth(model, block, 'collection rows');
    const centred = new Float32Array(block.rows * dIn);
    for (let i = 0; i < block.data.length; i++) {
      const d = i % dIn;
      centred[i] = (block.data[i] - normalization.mean[d]) * normalization.scale - params.b_dec[d]; // x_n - b_dec
    }
    const pre = await model.matmul({ data: centred, rows: block.rows, cols: dIn }, rowsOfEncoder);
    const scores = new Float32Array(block.rows);
    for (let r = 0; r < block.rows; r++) {
      let s = 0;
      for (let t = 0; t < latents.length; t++) {
        const v = pre[r * latents.length + t] + params.b_enc[latents[t]];
        if (v > 0) s += v; // ReLU
      }
      scores[r] = s;
    }
    collector.offerBlock(scores, block.rows, block.start, options.allow);
  }
  return collector.result();
}

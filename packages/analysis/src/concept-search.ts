import { gatedActivations } from '@msae/core/internal';
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
 * Rank collection rows by a concept's activation: score = sum_{j in latents} z_j(x), z = the architecture's gate of
 * pre = ((x - mean) * scale - b_dec) W_enc[:, j] + b_enc[j] (ReLU, or JumpReLU's thresholds; every gated code, no TopK).
 * Only the concept's encoder columns are multiplied (core's gatedActivations), through the model's matmul provider.
 */
export async function conceptSearch(model: SaeModel, latents: readonly number[], source: RowSource, options: ConceptSearchOptions = {}): Promise<SearchHits> {
  if (latents.length === 0) throw new AnalysisError('concept search: no latents');
  for (const j of latents) if (j < 0 || j >= model.dSae) throw new AnalysisError(`concept search: latent ${j} is outside 0..${model.dSae - 1}`);
  const collector = new TopKCollector(1, options.k ?? 10);
  for await (const block of sourceBlocks(source, options.blockRows)) {
    checkWidth(model, block, 'collection rows');
    const z = await gatedActivations(model, block, { latents });
    const scores = new Float32Array(block.rows);
    for (let r = 0; r < block.rows; r++) {
      let s = 0;
      for (let t = 0; t < latents.length; t++) s += z[r * latents.length + t]; // sum_j z_j
      scores[r] = s;
    }
    collector.offerBlock(scores, block.rows, block.start, options.allow);
  }
  return collector.result();
}

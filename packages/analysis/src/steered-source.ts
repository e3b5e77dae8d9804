import type { RowSource, RowBlock } from './exact-search.js';
import { sourceBlocks } from './exact-search.js';
import type { SaeModel } from './sae-model.js';
import { steer, type SteerOptions } from './steer.js';
import type { LatentEdit } from './steering-edits.js';

/** A row source whose every block is steered first (so a concept search ranks the collection as edited). */
export function steeredSource(model: SaeModel, source: RowSource, edits: readonly LatentEdit[], options: Omit<SteerOptions, 'codes'> = {}): () => AsyncIterable<RowBlock> {
  return async function* () {
    for await (const block of sourceBlocks(source)) {
      const out = await steer(model, block, edits, options);
      yield { data: out.data, rows: out.rows, cols: out.cols, start: block.start };
    }
  };
}

import { codeAt, createSaeModel, encodeRows, exactSearch, steer, type LatentEdit, type SaeModel, type SparseCodes } from '@msae/analysis/browser';

export { codeAt };
import type { Matrix } from '@msae/core';
import type { LoadedCheckpoint } from './session-store.js';

export type { LatentEdit, SaeModel, SparseCodes };

/** The checkpoint as an @msae/analysis model (encoder transposed once). */
export function analysisModel(ck: LoadedCheckpoint): SaeModel {
  return createSaeModel({ config: ck.config, params: ck.params, normalization: ck.normalization });
}

/** Every positive code of one query row. */
export async function queryCodes(model: SaeModel, query: Matrix): Promise<SparseCodes> {
  return encodeRows(model, query);
}

/**
 * Neighbours of a steered query: x' = x + decode(z') - decode(z) (z' = z with the edits applied,
 * renormalized to unit length), then the exact cosine top-n over the collection, leaving out `exclude`.
 */
export async function steeredNeighbours(
  model: SaeModel,
  query: Matrix,
  codes: SparseCodes,
  edits: LatentEdit[],
  collection: Matrix,
  n: number,
  exclude = -1,
): Promise<Array<{ row: number; score: number }>> {
  const steered = await steer(model, query, edits, { codes, renormalize: true });
  const hits = await exactSearch(steered, collection, { k: n, allow: (row) => row !== exclude });
  return Array.from(hits.rows, (row, i) => ({ row, score: hits.scores[i] })).filter((h) => h.row >= 0);
}

import { createRng } from '@msae/core';
import type { RowRange } from '@msae/io';
import { HOLDOUT_FRACTION } from './train-options.js';

/** Most rows a validation set held out of a stream may have (it is kept in memory and evaluated every epoch). */
export const STREAM_HOLDOUT_CAP = 16_384;

export interface StreamSplit {
  train: RowRange[];
  val: RowRange[];
  valRows: number;
}

/**
 * Hold out a validation set from a stream of `rows` rows without reading it: 10% of the rows (at most
 * STREAM_HOLDOUT_CAP), as runs of up to 1024 consecutive rows (about 16 runs) drawn by the seed. The training
 * ranges are the rest; both depend only on (rows, seed).
 */
export function splitStream(rows: number, seed: number): StreamSplit {
  const valRows = Math.min(STREAM_HOLDOUT_CAP, Math.max(1, Math.round(rows * HOLDOUT_FRACTION)));
  const piece = Math.min(1024, Math.max(1, Math.ceil(valRows / 16)));
  const order = createRng(seed ^ 0x5eed).permutation(Math.ceil(rows / piece));
  const val: RowRange[] = [];
  let left = valRows;
  for (let i = 0; left > 0; i++) {
    const start = order[i] * piece;
    const count = Math.min(piece, rows - start, left);
    val.push({ start, count });
    left -= count;
  }
  val.sort((a, b) => a.start - b.start);
  const train: RowRange[] = [];
  let at = 0;
  for (const v of val) {
    if (v.start > at) train.push({ start: at, count: v.start - at });
    at = v.start + v.count;
  }
  if (at < rows) train.push({ start: at, count: rows - at });
  return { train, val, valRows };
}

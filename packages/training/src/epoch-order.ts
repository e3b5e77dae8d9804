import { createRng } from '@msae/core';

/** Per-epoch permutation of `rows`, a pure function of (data seed, epoch) so a resumed run sees the same order. */
export function epochOrder(dataSeed: number, epoch: number, rows: number): Uint32Array {
  return createRng((dataSeed * 1_000_003 + epoch * 7919) >>> 0).permutation(rows);
}

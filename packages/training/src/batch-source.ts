import { computeNormalization, normalize, type Matrix, type Normalization } from '@msae/core';
import { epochOrder } from './epoch-order.js';

/**
 * Where training batches come from. The loop asks for epoch `epoch` as normalized batches of `batchSize` rows,
 * the first `skip` batches left out (a resumed run); the order must be a pure function of (data seed, epoch).
 * `rowsInMemory` implements it for rows held in memory; the Node CLI implements it for streamed shards.
 */
export interface BatchSource {
  /** Training rows. */
  readonly rows: number;
  readonly cols: number;
  /** Statistics of the training rows (computed once, on first call). */
  normalization(): Promise<Normalization>;
  batches(epoch: number, batchSize: number, skip: number, normalization: Normalization): AsyncIterable<Matrix>;
}

/** Rows held in memory, normalized once per normalization, batches gathered from epochOrder(dataSeed, epoch). */
export function rowsInMemory(train: Matrix, dataSeed: number): BatchSource {
  let norm: Normalization | undefined;
  let xn: { of: Normalization; data: Float32Array } | undefined;
  const { rows, cols } = train;
  return {
    rows,
    cols,
    normalization: async () => (norm ??= computeNormalization(train)),
    async *batches(epoch, batchSize, skip, n) {
      if (xn?.of !== n) xn = { of: n, data: normalize(train.data, n) };
      const x = xn.data;
      const order = epochOrder(dataSeed, epoch, rows);
      const buffer = new Float32Array(Math.min(batchSize, rows) * cols);
      for (let from = skip * batchSize; from < rows; from += batchSize) {
        const to = Math.min(rows, from + batchSize);
        const batch = buffer.subarray(0, (to - from) * cols);
        for (let i = from; i < to; i++) batch.set(x.subarray(order[i] * cols, (order[i] + 1) * cols), (i - from) * cols);
        yield { data: batch, rows: to - from, cols };
      }
    },
  };
}

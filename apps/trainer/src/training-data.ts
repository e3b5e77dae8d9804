import { createRng, demoDataset, type Matrix } from '@msae/core';
import { IoError, readEmbeddings } from '@msae/io';
import { UsageError } from '@msae/cli-kit';
import { HOLDOUT_FRACTION } from './train-options.js';

export interface TrainingData {
  train: Matrix;
  val: Matrix;
  /** What the training rows are, for logs and checkpoint metadata. */
  description: string;
  valDescription: string;
  synthetic: boolean;
}

function takeRows(x: Matrix, order: Uint32Array, from: number, to: number): Matrix {
  const out = new Float32Array((to - from) * x.cols);
  for (let i = from; i < to; i++) out.set(x.data.subarray(order[i] * x.cols, (order[i] + 1) * x.cols), (i - from) * x.cols);
  return { data: out, rows: to - from, cols: x.cols };
}

/** Load --data/--val, hold out 10% when --val is absent, or build the synthetic demo set. */
export async function loadTrainingData(data: string | undefined, val: string | undefined, seed: number): Promise<TrainingData> {
  if (data === undefined) {
    if (val !== undefined) throw new UsageError('--val needs --data (the built-in demo data has its own validation set)');
    const demo = demoDataset();
    return {
      train: demo.train.x,
      val: demo.val.x,
      description: `built-in demo data (SYNTHETIC CLIP-like embeddings, ${demo.train.x.rows} x ${demo.train.x.cols})`,
      valDescription: `built-in demo validation set (synthetic, ${demo.val.x.rows} rows)`,
      synthetic: true,
    };
  }
  const train = await readEmbeddings(data);
  if (train.rows === 0) throw new IoError(data, `no rows to train on`);
  if (val !== undefined) {
    const v = await readEmbeddings(val);
    if (v.rows === 0) throw new IoError(val, `no rows to validate on`);
    if (v.cols !== train.cols) throw new IoError(val, `dimension ${v.cols} does not match --data dimension ${train.cols}`);
    return { train, val: v, description: data, valDescription: val, synthetic: false };
  }
  if (train.rows < 20) throw new IoError(data, `${train.rows} rows are too few to hold out a validation set (give --val)`);
  const order = createRng(seed ^ 0x5eed).permutation(train.rows);
  const valRows = Math.max(1, Math.round(train.rows * HOLDOUT_FRACTION));
  return {
    train: takeRows(train, order, valRows, train.rows),
    val: takeRows(train, order, 0, valRows),
    description: `${data} (${train.rows - valRows} rows after holding out ${valRows})`,
    valDescription: `held-out 10% of ${data} (${valRows} rows)`,
    synthetic: false,
  };
}

import { batchTopKMask } from '../topk-selection.js';
import type { ReferenceActivation } from './reference-activation.js';

/** batch-topk: the k*B largest entries of a over the batch (level 0), the rest at level 1. */
export const batchTopKLevels: ReferenceActivation = (config, acts, rows) => {
  const mask = batchTopKMask(acts, config.k * rows);
  return Int32Array.from(mask, (m) => (m ? 0 : 1));
};

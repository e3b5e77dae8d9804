import { topKMaskPerRow } from '../topk-selection.js';
import type { ReferenceActivation } from './reference-activation.js';

/** row-topk: z = TopK_k(a) per row (level 0), the rest at level 1. */
export const rowTopKLevels: ReferenceActivation = (config, acts, rows) => {
  const mask = topKMaskPerRow(acts, rows, config.dSae, config.k);
  return Int32Array.from(mask, (m) => (m ? 0 : 1));
};

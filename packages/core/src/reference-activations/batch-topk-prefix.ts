import { batchTopKMask } from '../topk-selection.js';
import type { ReferenceActivation } from './reference-activation.js';

/** batch-topk-prefix: batch top k*B; a kept latent j is first used by the level of its group, the first i with j < nesting[i]. */
export const batchTopKPrefixLevels: ReferenceActivation = (config, acts, rows) => {
  const { dSae, nesting } = config;
  const mask = batchTopKMask(acts, config.k * rows);
  const group = new Int32Array(dSae);
  for (let j = 0, g = 0; j < dSae; j++) {
    while (j >= nesting[g]) g++;
    group[j] = g;
  }
  return Int32Array.from(mask, (m, i) => (m ? group[i % dSae] : nesting.length));
};

import { batchTopKBand } from '../bands.js';
import type { TfjsActivation } from './tfjs-activation.js';

/** batch-topk-prefix: batch top k*B; a kept latent j gets the band of its group, 1 + the first g with j < nesting[g]. */
export const batchTopKPrefixSelection: TfjsActivation = async (a, config) => {
  const [rows, dSae] = a.shape;
  const band = await batchTopKBand(a, Math.min(config.k * rows, rows * dSae));
  const group = new Uint8Array(dSae);
  for (let j = 0, g = 0; j < dSae; j++) {
    while (j >= config.nesting[g]) g++;
    group[j] = g + 1;
  }
  for (let e = 0; e < band.length; e++) if (band[e]) band[e] = group[e % dSae];
  return { rows, dSae, levels: config.nesting.length, band };
};

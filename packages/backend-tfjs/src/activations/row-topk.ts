import { rowTopKBand } from '../bands.js';
import type { TfjsActivation } from './tfjs-activation.js';

/** row-topk: z = per-row TopK_k(a). */
export const rowTopKSelection: TfjsActivation = async (a, config) => {
  const [rows, dSae] = a.shape;
  return { rows, dSae, levels: config.nesting.length, band: await rowTopKBand(a, [Math.min(config.k, dSae)]) };
};

import { rowTopKBand } from '../bands.js';
import type { TfjsActivation } from './tfjs-activation.js';

/** nested-row-topk: rank each row descending; level i keeps ranks < k_i. */
export const nestedRowTopKSelection: TfjsActivation = async (a, config) => {
  const [rows, dSae] = a.shape;
  return { rows, dSae, levels: config.nesting.length, band: await rowTopKBand(a, config.nesting.map((k) => Math.min(k, dSae))) };
};

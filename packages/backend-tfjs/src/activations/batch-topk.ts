import { batchTopKBand } from '../bands.js';
import type { TfjsActivation } from './tfjs-activation.js';

/** batch-topk: training and forward keep the k*B largest entries of a over the whole batch. */
export const batchTopKSelection: TfjsActivation = async (a, config) => {
  const [rows, dSae] = a.shape;
  return { rows, dSae, levels: config.nesting.length, band: await batchTopKBand(a, Math.min(config.k * rows, rows * dSae)) };
};

import type { TfjsActivation } from './tfjs-activation.js';

/** relu: z = a, every latent belongs to the single level. */
export const reluSelection: TfjsActivation = async (a, config) => {
  const [rows, dSae] = a.shape;
  return { rows, dSae, levels: config.nesting.length, band: new Uint8Array(rows * dSae).fill(1) };
};

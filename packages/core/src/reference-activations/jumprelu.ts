import { ArgumentError } from '../errors.js';
import type { ReferenceActivation } from './reference-activation.js';

/** jumprelu: z = pre * H(pre - theta), kept iff pre_bj > theta_j (> 0, so a = ReLU(pre) compares the same). */
export const jumpReluLevels: ReferenceActivation = (config, acts, _rows, theta) => {
  if (!theta) throw new ArgumentError(`reference engine`, `${config.architecture} params need log_threshold`);
  const dSae = config.dSae;
  return Int32Array.from(acts, (a, i) => (a > theta[i % dSae] ? 0 : 1));
};

import { InferenceInputError } from '../inference-errors.js';
import type { GateUnit } from './gate-unit.js';

/** z = pre * H(pre - theta_j), theta_j = exp(log_threshold_j) (JumpReLU; theta > 0, so z >= 0). */
export const jumpReluGate: GateUnit = {
  name: 'jumprelu',
  bind(params, dSae) {
    const t = params.log_threshold;
    if (!(t instanceof Float32Array) || t.length !== dSae) {
      throw new InferenceInputError('SAE parameters', `the jumprelu gate needs log_threshold of ${dSae} values, got ${t ? t.length : 'none'}`);
    }
    const theta = Float64Array.from(t, Math.exp); // theta_j = exp(log_threshold_j)
    return (pre, rows, latents) => {
      const cols = latents ? latents.length : dSae;
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        for (let c = 0; c < cols; c++) {
          const th = theta[latents ? latents[c] : c];
          if (!(pre[o + c] > th)) pre[o + c] = 0; // z = pre * H(pre - theta)
        }
      }
    };
  },
};

import type { GateUnit } from './gate-unit.js';

/** z = ReLU(pre) = max(pre, 0): every architecture without a trained threshold. */
export const reluGate: GateUnit = {
  name: 'relu',
  bind: () => (pre) => {
    for (let e = 0; e < pre.length; e++) if (!(pre[e] > 0)) pre[e] = 0; // z = max(pre, 0)
  },
};

import type { SparseCodes } from './worker-protocol.js';

/** Dense codes [rows, dSae] -> each row's top `k` positive (latent, value) pairs, best first. */
export function sparsifyCodes(dense: Float32Array, rows: number, dSae: number, k: number, out?: SparseCodes, rowOffset = 0): SparseCodes {
  const codes = out ?? { rows, k, index: new Int32Array(rows * k).fill(-1), value: new Float32Array(rows * k) };
  const order: number[] = [];
  for (let r = 0; r < rows; r++) {
    order.length = 0;
    const o = r * dSae;
    for (let j = 0; j < dSae; j++) if (dense[o + j] > 0) order.push(j);
    order.sort((a, b) => dense[o + b] - dense[o + a]);
    const at = (r + rowOffset) * k;
    for (let i = 0; i < Math.min(k, order.length); i++) {
      codes.index[at + i] = order[i];
      codes.value[at + i] = dense[o + order[i]];
    }
  }
  return codes;
}

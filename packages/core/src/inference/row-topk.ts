import { quickselectDescending } from '../topk-selection.js';

/**
 * Per-row TopK of the positive entries (progressive-k truncation): out[b] keeps row b's k largest values > 0 of
 * `codes` and zeros the rest; ties go to the lower index (the reference engine's rule). Rows with <= k positive
 * entries are copied. `codes` [rows, cols] is not modified unless it is `out`; `scratch` needs `cols` entries.
 * O(cols) expected per row.
 */
export function keepTopK(
  codes: Float32Array,
  rows: number,
  cols: number,
  k: number,
  out: Float32Array = new Float32Array(rows * cols),
  scratch: Float32Array = new Float32Array(cols),
): Float32Array {
  for (let b = 0; b < rows; b++) {
    const o = b * cols;
    let positives = 0;
    for (let j = 0; j < cols; j++) {
      const v = codes[o + j];
      if (v > 0) scratch[positives++] = v;
    }
    if (positives <= k) {
      for (let j = 0; j < cols; j++) {
        const v = codes[o + j];
        out[o + j] = v > 0 ? v : 0;
      }
      continue;
    }
    if (k <= 0) {
      out.fill(0, o, o + cols);
      continue;
    }
    // threshold t = the k-th largest positive value; keep all > t, then == t in index order until k kept
    const t = quickselectDescending(scratch, positives, k - 1);
    let above = 0;
    for (let j = 0; j < cols; j++) if (codes[o + j] > t) above++;
    let equalsAllowed = k - above;
    for (let j = 0; j < cols; j++) {
      const v = codes[o + j];
      if (v > t) out[o + j] = v;
      else if (v === t && equalsAllowed > 0) {
        out[o + j] = v;
        equalsAllowed--;
      } else out[o + j] = 0;
    }
  }
  return out;
}

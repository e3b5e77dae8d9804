import { ArgumentError } from './errors.js';
/**
 * TopK selection. Order: a before b iff v_a > v_b, or v_a == v_b and a has the lower index
 * ("ties broken by lower index"). Selection finds the k-th largest value t by quickselect (O(n) expected),
 * then keeps every value > t and the lowest-index values == t until k are kept; only the k kept entries are
 * sorted when an order is needed.
 */

type NumArray = Float32Array | Float64Array;

/**
 * Partially reorder a[0..n) (values only) so that a[k] holds the (k+1)-th largest value, and return it.
 * Iterative Hoare quickselect with median-of-three pivots.
 */
export function quickselectDescending(a: NumArray, n: number, k: number): number {
  if (k < 0 || k >= n) throw new ArgumentError(`quickselect`, `k ${k} out of range [0, ${n})`);
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three (descending): order a[lo] >= a[mid] >= a[hi]
    if (a[mid] > a[lo]) swap(a, mid, lo);
    if (a[hi] > a[lo]) swap(a, hi, lo);
    if (a[hi] > a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    // now a[lo..j] >= pivot >= a[i..hi], and a[j+1..i-1] == pivot
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: NumArray, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** The (k)-th largest value (k 1-based) of values[offset, offset + length). `scratch` (length >= length) avoids allocation. */
export function kthLargest(values: ArrayLike<number>, k: number, offset = 0, length = values.length - offset, scratch?: Float64Array): number {
  if (!(k >= 1 && k <= length)) throw new ArgumentError(`kthLargest`, `k ${k} out of range [1, ${length}]`);
  const s = scratch && scratch.length >= length ? scratch : new Float64Array(length);
  for (let i = 0; i < length; i++) s[i] = values[offset + i];
  return quickselectDescending(s, length, k - 1);
}

/**
 * Indices (relative to offset) of the k largest of values[offset, offset + length), written to out[outOffset..+k)
 * in selection order (ascending index, not sorted by value). Returns nothing; k must be in [0, length].
 */
function selectTopK(
  values: ArrayLike<number>,
  offset: number,
  length: number,
  k: number,
  out: Int32Array,
  outOffset: number,
  scratch: Float64Array,
): void {
  if (k <= 0) return;
  if (k >= length) {
    for (let i = 0; i < length; i++) out[outOffset + i] = i;
    return;
  }
  const t = kthLargest(values, k, offset, length, scratch);
  let greater = 0;
  for (let i = 0; i < length; i++) if (values[offset + i] > t) greater++;
  let ties = k - greater; // how many entries equal to t are kept (lowest indices first)
  let w = outOffset;
  for (let i = 0; i < length; i++) {
    const v = values[offset + i];
    if (v > t) out[w++] = i;
    else if (v === t && ties > 0) {
      out[w++] = i;
      ties--;
    }
  }
}

/** Sort indices by (value descending, index ascending). */
function sortByValueDesc(values: ArrayLike<number>, offset: number, idx: Int32Array): void {
  idx.sort((a, b) => {
    const va = values[offset + a];
    const vb = values[offset + b];
    return va > vb ? -1 : va < vb ? 1 : a - b;
  });
}

/**
 * Per-row TopK: for each of `rows` rows of width `cols`, the column indices of its k largest values, sorted
 * descending (ties by lower index). Returns Int32Array [rows * k] (k is clamped to cols).
 */
export function topKIndicesPerRow(values: ArrayLike<number>, rows: number, cols: number, k: number): Int32Array {
  const kk = Math.max(0, Math.min(k, cols));
  const out = new Int32Array(rows * kk);
  const scratch = new Float64Array(cols);
  for (let b = 0; b < rows; b++) {
    selectTopK(values, b * cols, cols, kk, out, b * kk, scratch);
    sortByValueDesc(values, b * cols, out.subarray(b * kk, (b + 1) * kk));
  }
  return out;
}

/** Per-row TopK mask: mask[b, j] = 1 iff j is among the k largest of row b (ties by lower index). */
export function topKMaskPerRow(values: ArrayLike<number>, rows: number, cols: number, k: number): Uint8Array {
  const kk = Math.max(0, Math.min(k, cols));
  const mask = new Uint8Array(rows * cols);
  const idx = new Int32Array(kk);
  const scratch = new Float64Array(cols);
  for (let b = 0; b < rows; b++) {
    selectTopK(values, b * cols, cols, kk, idx, 0, scratch);
    for (let i = 0; i < kk; i++) mask[b * cols + idx[i]] = 1;
  }
  return mask;
}

/**
 * Per-row ranks: rank[b, j] = position of j in row b sorted descending (0 = largest, ties by lower index),
 * computed exactly for the kMax largest entries of each row; every other entry gets rank kMax.
 * With kMax = cols every entry is ranked.
 */
export function rankRows(values: ArrayLike<number>, rows: number, cols: number, kMax = cols): Int32Array {
  const kk = Math.max(0, Math.min(kMax, cols));
  const ranks = new Int32Array(rows * cols).fill(kk);
  const idx = topKIndicesPerRow(values, rows, cols, kk);
  for (let b = 0; b < rows; b++) {
    for (let r = 0; r < kk; r++) ranks[b * cols + idx[b * kk + r]] = r;
  }
  return ranks;
}

/**
 * Batch TopK mask: the `count` largest entries of the whole flat array (ties by lower flat index).
 * BatchTopK over B rows keeps count = k * B entries.
 */
export function batchTopKMask(values: ArrayLike<number>, count: number): Uint8Array {
  const n = values.length;
  const kk = Math.max(0, Math.min(count, n));
  const mask = new Uint8Array(n);
  const idx = new Int32Array(kk);
  selectTopK(values, 0, n, kk, idx, 0, new Float64Array(n));
  for (let i = 0; i < kk; i++) mask[idx[i]] = 1;
  return mask;
}

/** Keep each row's k largest values and zero the rest (copy). k >= cols keeps everything. */
export function keepTopKPerRow(values: Float32Array, rows: number, cols: number, k: number): Float32Array {
  if (k >= cols) return values.slice();
  const out = new Float32Array(rows * cols);
  const mask = topKMaskPerRow(values, rows, cols, k);
  for (let i = 0; i < out.length; i++) if (mask[i]) out[i] = values[i];
  return out;
}

/**
 * Matryoshka levels per row: level[b, j] = the first i with rank_bj < nesting[i] (rank in row b, descending,
 * ties by lower index), or nesting.length when no level keeps j. `nesting` is ascending.
 * One quickselect per level boundary below cols (no full sort): O(levels * cols) per row.
 */
export function nestedLevelsPerRow(values: ArrayLike<number>, rows: number, cols: number, nesting: readonly number[]): Int32Array {
  const n = nesting.length;
  const level = new Int32Array(rows * cols);
  const scratch = new Float64Array(cols);
  const thresholds = new Float64Array(n);
  const tiesLeft = new Int32Array(n);
  const full = new Uint8Array(n); // level keeps the whole row
  for (let b = 0; b < rows; b++) {
    const off = b * cols;
    for (let i = 0; i < n; i++) {
      const k = nesting[i];
      full[i] = k >= cols ? 1 : 0;
      if (full[i] || k <= 0) {
        thresholds[i] = k <= 0 ? Infinity : -Infinity;
        tiesLeft[i] = 0;
        continue;
      }
      const t = kthLargest(values, k, off, cols, scratch); // t_i = k_i-th largest of the row
      let greater = 0;
      for (let j = 0; j < cols; j++) if (values[off + j] > t) greater++;
      thresholds[i] = t;
      tiesLeft[i] = k - greater; // entries == t_i kept by level i, lowest indices first
    }
    for (let j = 0; j < cols; j++) {
      const v = values[off + j];
      let first = n;
      for (let i = n - 1; i >= 0; i--) {
        // membership in each level is decided independently (ties consume that level's slots in index order)
        let member = full[i] === 1 || v > thresholds[i];
        if (!member && v === thresholds[i] && tiesLeft[i] > 0) {
          tiesLeft[i]--;
          member = true;
        }
        if (member) first = i;
      }
      level[off + j] = first;
    }
  }
  return level;
}

/**
 * Sparse SAE codes of a block of rows in CSR form: row r's latents are indices[indptr[r] .. indptr[r+1]),
 * with their values, latents ascending within a row.
 */
export interface SparseCodes {
  rows: number;
  dSae: number;
  indptr: Uint32Array;
  indices: Uint32Array;
  values: Float32Array;
}

/**
 * Keep each row's top-k positive entries of dense ReLU'd pre-activations [rows, dSae] (k undefined: every
 * positive entry). Ties at the k-th value keep the lower latent index, like the engines' top-k.
 */
export function sparsifyCodes(dense: Float32Array, rows: number, dSae: number, k?: number): SparseCodes {
  const indptr = new Uint32Array(rows + 1);
  const keep = k === undefined ? dSae : Math.min(k, dSae);
  let idx = new Uint32Array(Math.min(rows * keep, rows * dSae) || 1);
  let val = new Float32Array(idx.length);
  let nnz = 0;
  const order = new Uint32Array(dSae);
  const scratch = new Float32Array(dSae);
  for (let r = 0; r < rows; r++) {
    const o = r * dSae;
    let count = 0;
    for (let j = 0; j < dSae; j++) if (dense[o + j] > 0) order[count++] = j;
    if (count > keep) {
      // threshold = the keep-th largest positive value (native typed-array sort); ties keep the lower index
      for (let t = 0; t < count; t++) scratch[t] = dense[o + order[t]];
      const sorted = scratch.subarray(0, count).sort();
      const threshold = sorted[count - keep];
      let above = 0;
      for (let t = count - 1; t >= 0 && sorted[t] > threshold; t--) above++;
      let ties = keep - above;
      let w = 0;
      for (let t = 0; t < count; t++) {
        const v = dense[o + order[t]];
        if (v > threshold || (v === threshold && ties-- > 0)) order[w++] = order[t];
      }
      count = keep;
    }
    if (nnz + count > idx.length) {
      const grown = Math.max(idx.length * 2, nnz + count);
      const i2 = new Uint32Array(grown);
      i2.set(idx.subarray(0, nnz));
      const v2 = new Float32Array(grown);
      v2.set(val.subarray(0, nnz));
      idx = i2;
      val = v2;
    }
    for (let t = 0; t < count; t++) {
      idx[nnz] = order[t];
      val[nnz] = dense[o + order[t]];
      nnz++;
    }
    indptr[r + 1] = nnz;
  }
  return { rows, dSae, indptr, indices: idx.slice(0, nnz), values: val.slice(0, nnz) };
}

/** Dense [rows, dSae] copy of sparse codes. */
export function denseCodes(codes: SparseCodes): Float32Array {
  const out = new Float32Array(codes.rows * codes.dSae);
  for (let r = 0; r < codes.rows; r++) {
    for (let e = codes.indptr[r]; e < codes.indptr[r + 1]; e++) out[r * codes.dSae + codes.indices[e]] = codes.values[e];
  }
  return out;
}

/** Code of latent j in row r (0 when inactive); binary search within the row. */
export function codeAt(codes: SparseCodes, r: number, j: number): number {
  let lo = codes.indptr[r];
  let hi = codes.indptr[r + 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = codes.indices[mid];
    if (v === j) return codes.values[mid];
    if (v < j) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

/** Concatenate code blocks of consecutive rows. */
export function concatCodes(blocks: SparseCodes[], dSae: number): SparseCodes {
  const rows = blocks.reduce((s, b) => s + b.rows, 0);
  const nnz = blocks.reduce((s, b) => s + b.indices.length, 0);
  const indptr = new Uint32Array(rows + 1);
  const indices = new Uint32Array(nnz);
  const values = new Float32Array(nnz);
  let r0 = 0;
  let e0 = 0;
  for (const b of blocks) {
    for (let r = 1; r <= b.rows; r++) indptr[r0 + r] = e0 + b.indptr[r];
    indices.set(b.indices, e0);
    values.set(b.values, e0);
    r0 += b.rows;
    e0 += b.indices.length;
  }
  return { rows, dSae, indptr, indices, values };
}

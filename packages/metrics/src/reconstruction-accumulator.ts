import { ArgumentError } from '@msae/core';
import type { Matrix } from '@msae/core';

/** Reconstruction metrics of x^ against x, all in the space x lives in (the original CLIP space). */
export interface ReconstructionMetrics {
  /** Rows seen. */
  rows: number;
  /** mean_b Var_d(x_b - x^_b) / Var_d(x_b) */
  fvu: number;
  /** sum_b ||x_b - x^_b||^2 / sum_b ||x_b - mean(x)||^2 */
  fvuGlobal: number;
  /** mean_b x_b . x^_b / (||x_b|| ||x^_b||)  (0 for a zero row) */
  cosine: number;
  /** mean_b mean_d |x_b - x^_b| / mean_d |x_b| */
  nmae: number;
}

function checkSameShape(x: Matrix, xhat: Matrix): void {
  if (x.rows !== xhat.rows || x.cols !== xhat.cols) {
    throw new ArgumentError('', `reconstruction shape ${xhat.rows}x${xhat.cols} does not match input shape ${x.rows}x${x.cols}`);
  }
}

/**
 * Streaming accumulator of fvu, fvuGlobal, cosine and nmae: feed batches with `add`, read `result()` at any time.
 * Memory is O(cols) whatever the number of rows; one pass over each batch, no allocation per row.
 * The global variance uses a shift c (the first row seen) for stability:
 * sum_b ||x_b - mean||^2 = sum_b ||x_b - c||^2 - N ||mean - c||^2.
 */
export class ReconstructionAccumulator {
  private cols = -1;
  private n = 0;
  private fvuSum = 0;
  private cosineSum = 0;
  private nmaeSum = 0;
  private errorSquares = 0;
  private shiftedSquares = 0;
  private shift: Float64Array | null = null;
  private shiftedSums: Float64Array | null = null;

  /** Add a batch: x and xhat are [rows, cols] in the same (original) space. */
  add(x: Matrix, xhat: Matrix): this {
    checkSameShape(x, xhat);
    const d = x.cols;
    if (this.cols < 0) {
      this.cols = d;
      this.shift = new Float64Array(d);
      this.shiftedSums = new Float64Array(d);
      if (x.rows > 0) for (let j = 0; j < d; j++) this.shift[j] = x.data[j];
    } else if (d !== this.cols) {
      throw new ArgumentError('', `batch has ${d} columns, earlier batches had ${this.cols}`);
    }
    const shift = this.shift!;
    const shiftedSums = this.shiftedSums!;
    const xs = x.data;
    const rs = xhat.data;
    for (let b = 0; b < x.rows; b++) {
      const o = b * d;
      let sx = 0, sxx = 0, se = 0, see = 0, sae = 0, sax = 0, sxr = 0, srr = 0, scc = 0;
      for (let j = 0; j < d; j++) {
        const xv = xs[o + j];
        const rv = rs[o + j];
        const e = xv - rv;
        sx += xv;
        sxx += xv * xv;
        se += e;
        see += e * e;
        sae += Math.abs(e);
        sax += Math.abs(xv);
        sxr += xv * rv;
        srr += rv * rv;
        const c = xv - shift[j];
        shiftedSums[j] += c;
        scc += c * c;
      }
      // Var_d(v) * d = sum v^2 - (sum v)^2 / d
      const varX = sxx - (sx * sx) / d;
      const varE = see - (se * se) / d;
      this.fvuSum += varE / varX;
      const norms = Math.sqrt(sxx) * Math.sqrt(srr);
      this.cosineSum += norms > 0 ? sxr / norms : 0;
      this.nmaeSum += sae / sax;
      this.errorSquares += see;
      this.shiftedSquares += scc;
    }
    this.n += x.rows;
    return this;
  }

  /** Metrics over every row added so far (NaN when no row was added). */
  result(): ReconstructionMetrics {
    const n = this.n;
    if (n === 0) return { rows: 0, fvu: NaN, fvuGlobal: NaN, cosine: NaN, nmae: NaN };
    let meanOffset = 0;
    const sums = this.shiftedSums!;
    for (let j = 0; j < this.cols; j++) {
      const m = sums[j] / n;
      meanOffset += m * m;
    }
    const totalVariance = this.shiftedSquares - n * meanOffset;
    return {
      rows: n,
      fvu: this.fvuSum / n,
      fvuGlobal: this.errorSquares / totalVariance,
      cosine: this.cosineSum / n,
      nmae: this.nmaeSum / n,
    };
  }
}

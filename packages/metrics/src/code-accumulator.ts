import { ArgumentError } from '@msae/core';
import type { Matrix } from '@msae/core';

/** Sparsity statistics of SAE codes z [rows, dSae]. */
export interface CodeMetrics {
  rows: number;
  /** l0 = mean_b #{j : z_bj != 0} */
  l0: number;
  /** sparsity = 1 - l0 / dSae */
  sparsity: number;
  /** deadLatents = #{j : z_bj == 0 for every b} */
  deadLatents: number;
}

/** Streaming accumulator of l0, sparsity and dead latents; memory O(dSae) whatever the number of rows. */
export class CodeAccumulator {
  private dSae = -1;
  private n = 0;
  private nonZeros = 0;
  private fired: Uint8Array | null = null;

  /** Add a batch of dense codes [rows, dSae]. */
  add(z: Matrix): this {
    if (this.dSae < 0) {
      this.dSae = z.cols;
      this.fired = new Uint8Array(z.cols);
    } else if (z.cols !== this.dSae) {
      throw new ArgumentError('', `codes have ${z.cols} latents, earlier batches had ${this.dSae}`);
    }
    const fired = this.fired!;
    const zs = z.data;
    const m = z.cols;
    let count = 0;
    for (let b = 0; b < z.rows; b++) {
      const o = b * m;
      for (let j = 0; j < m; j++) {
        if (zs[o + j] !== 0) {
          count++;
          fired[j] = 1;
        }
      }
    }
    this.nonZeros += count;
    this.n += z.rows;
    return this;
  }

  result(): CodeMetrics {
    if (this.n === 0) return { rows: 0, l0: NaN, sparsity: NaN, deadLatents: NaN };
    const l0 = this.nonZeros / this.n;
    let dead = 0;
    const fired = this.fired!;
    for (let j = 0; j < this.dSae; j++) if (fired[j] === 0) dead++;
    return { rows: this.n, l0, sparsity: 1 - l0 / this.dSae, deadLatents: dead };
  }
}

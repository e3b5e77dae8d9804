import type { Matrix } from '@msae/core';

/** Compressed sparse rows (CSR): the non-zeros of row r are indices/values[offsets[r] .. offsets[r + 1]). */
export interface SparseRows {
  rows: number;
  cols: number;
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Growable CSR builder: append dense rows, keep only their non-zeros. */
export class SparseRowsBuilder {
  private offsets: number[] = [0];
  private indices = new Int32Array(1024);
  private values = new Float32Array(1024);
  private count = 0;

  constructor(readonly cols: number) {}

  get rows(): number {
    return this.offsets.length - 1;
  }

  /** Append rows [from, to) of a dense row-major [*, cols] array. */
  appendDense(data: Float32Array, from: number, to: number): void {
    const m = this.cols;
    for (let r = from; r < to; r++) {
      const o = r * m;
      for (let j = 0; j < m; j++) {
        const v = data[o + j];
        if (v !== 0) {
          if (this.count === this.indices.length) this.grow();
          this.indices[this.count] = j;
          this.values[this.count] = v;
          this.count++;
        }
      }
      this.offsets.push(this.count);
    }
  }

  private grow(): void {
    const size = this.indices.length * 2;
    const indices = new Int32Array(size);
    indices.set(this.indices);
    const values = new Float32Array(size);
    values.set(this.values);
    this.indices = indices;
    this.values = values;
  }

  build(): SparseRows {
    return {
      rows: this.rows,
      cols: this.cols,
      offsets: Int32Array.from(this.offsets),
      indices: this.indices.slice(0, this.count),
      values: this.values.slice(0, this.count),
    };
  }
}

/** The non-zeros of a dense matrix as CSR. */
export function toSparseRows(m: Matrix): SparseRows {
  const builder = new SparseRowsBuilder(m.cols);
  builder.appendDense(m.data, 0, m.rows);
  return builder.build();
}

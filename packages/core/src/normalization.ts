import { ArgumentError } from './errors.js';
import type { Matrix } from './matrix.js';

/** Input normalization stored with every checkpoint: x_n = (x - mean) * scale. */
export interface Normalization {
  mean: Float32Array;
  scale: number;
}

/**
 * Statistics of the training data:
 *   mean = mean_b x_b;  scale = sqrt(dIn / mean_b ||x_b - mean||^2)  (so mean_b ||x_n||^2 = dIn).
 * Two passes in float64.
 */
export function computeNormalization(x: Matrix): Normalization {
  const { data, rows, cols } = x;
  if (rows < 1) throw new ArgumentError('normalization', 'need at least one row');
  if (data.length !== rows * cols) throw new ArgumentError(`normalization`, `matrix has ${data.length} values, expected ${rows}x${cols}`);
  const sum = new Float64Array(cols);
  for (let b = 0; b < rows; b++) {
    const o = b * cols;
    for (let d = 0; d < cols; d++) sum[d] += data[o + d];
  }
  for (let d = 0; d < cols; d++) {
    if (!Number.isFinite(sum[d])) throw new ArgumentError(`normalization`, `row ${firstNonFiniteRow(data, cols)} has a non-finite value`);
  }
  const mean64 = sum.map((s) => s / rows); // mean = sum_b x_b / B
  const mean = Float32Array.from(mean64);
  let sq = 0;
  for (let b = 0; b < rows; b++) {
    const o = b * cols;
    for (let d = 0; d < cols; d++) {
      const c = data[o + d] - mean[d];
      sq += c * c; // sum_b ||x_b - mean||^2
    }
  }
  return { mean, scale: scaleFrom(cols, sq / rows) };
}

function firstNonFiniteRow(data: Float32Array, cols: number): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return Math.floor(i / cols);
  return -1;
}

function scaleFrom(dIn: number, meanSqNorm: number): number {
  if (!(meanSqNorm > 0) || !Number.isFinite(meanSqNorm)) {
    throw new ArgumentError(`normalization`, `data has no variance around its mean (mean squared norm ${meanSqNorm})`);
  }
  return Math.sqrt(dIn / meanSqNorm); // s = sqrt(dIn / mean_b ||x_b - mean||^2)
}

/**
 * Streaming statistics over batches (for files larger than memory), one pass with a per-dimension shift
 * (the first row) to avoid cancellation: Var = E[(x - c)^2] - (E[x - c])^2.
 */
export class NormalizationAccumulator {
  private readonly shift: Float64Array;
  private readonly sum: Float64Array;
  private sumSq = 0;
  private count = 0;
  private shiftSet = false;

  constructor(readonly dIn: number) {
    this.shift = new Float64Array(dIn);
    this.sum = new Float64Array(dIn);
  }

  /** Add rows (flat row-major, length a multiple of dIn). */
  add(data: Float32Array): void {
    const dIn = this.dIn;
    if (data.length % dIn !== 0) throw new ArgumentError(`normalization`, `batch of ${data.length} values is not a multiple of dIn ${dIn}`);
    const rows = data.length / dIn;
    if (rows === 0) return;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) throw new ArgumentError(`normalization`, `row ${this.count + Math.floor(i / dIn)} has a non-finite value`);
    }
    if (!this.shiftSet) {
      for (let d = 0; d < dIn; d++) this.shift[d] = data[d];
      this.shiftSet = true;
    }
    for (let b = 0; b < rows; b++) {
      const o = b * dIn;
      for (let d = 0; d < dIn; d++) {
        const c = data[o + d] - this.shift[d];
        this.sum[d] += c;
        this.sumSq += c * c;
      }
    }
    this.count += rows;
  }

  get rows(): number {
    return this.count;
  }

  /** mean = c + sum(x - c)/B;  mean_b ||x_b - mean||^2 = sum||x - c||^2 / B - ||sum(x - c) / B||^2. */
  result(): Normalization {
    if (this.count === 0) throw new ArgumentError('normalization', 'need at least one row');
    const n = this.count;
    const mean = new Float32Array(this.dIn);
    let centre = 0;
    for (let d = 0; d < this.dIn; d++) {
      const m = this.sum[d] / n;
      mean[d] = this.shift[d] + m;
      centre += m * m;
    }
    return { mean, scale: scaleFrom(this.dIn, this.sumSq / n - centre) };
  }
}

function checkLength(data: Float32Array, n: Normalization): number {
  const dIn = n.mean.length;
  if (data.length % dIn !== 0) throw new ArgumentError(`normalization`, `${data.length} values is not a multiple of dIn ${dIn}`);
  return dIn;
}

/** In place: x_n = (x - mean) * scale, for flat row-major rows of width mean.length. */
export function normalizeInPlace(data: Float32Array, n: Normalization): Float32Array {
  const dIn = checkLength(data, n);
  const { mean, scale } = n;
  for (let i = 0; i < data.length; i += dIn) {
    for (let d = 0; d < dIn; d++) data[i + d] = (data[i + d] - mean[d]) * scale;
  }
  return data;
}

/** Copying variant of normalizeInPlace. */
export function normalize(data: Float32Array, n: Normalization): Float32Array {
  return normalizeInPlace(data.slice(), n);
}

/** In place: x = x_n / scale + mean (back to the original space). */
export function denormalizeInPlace(data: Float32Array, n: Normalization): Float32Array {
  const dIn = checkLength(data, n);
  const { mean, scale } = n;
  for (let i = 0; i < data.length; i += dIn) {
    for (let d = 0; d < dIn; d++) data[i + d] = data[i + d] / scale + mean[d];
  }
  return data;
}

/** Copying variant of denormalizeInPlace. */
export function denormalize(data: Float32Array, n: Normalization): Float32Array {
  return denormalizeInPlace(data.slice(), n);
}

/** Identity normalization (mean 0, scale 1) of width dIn. */
export function identityNormalization(dIn: number): Normalization {
  return { mean: new Float32Array(dIn), scale: 1 };
}

import type { Matrix } from '@msae/core';
import { TrainingError } from './errors.js';

const typeName = (v: unknown): string => (v === null || v === undefined ? String(v) : ((v as { constructor?: { name?: string } }).constructor?.name ?? typeof v));

/** Rows must be a Matrix of Float32Array data with rows x cols values (and cols = d_in when given); the message names the mistake. */
export function checkRows(x: Matrix, dIn: number | undefined, what: string): void {
  if (typeof x !== 'object' || x === null) throw new TrainingError(what, 'must be a matrix { data: Float32Array, rows, cols }');
  if (!(x.data instanceof Float32Array)) throw new TrainingError(what, `data must be a Float32Array, got ${typeName(x.data)} (convert with Float32Array.from(...))`);
  if (!(Number.isInteger(x.rows) && x.rows > 0 && Number.isInteger(x.cols) && x.cols > 0)) throw new TrainingError(what, `rows and cols must be positive integers, got ${x.rows} x ${x.cols}`);
  if (dIn !== undefined && x.cols !== dIn) throw new TrainingError(what, `has ${x.cols} columns but the SAE's d_in is ${dIn}`);
  if (x.data.length !== x.rows * x.cols) throw new TrainingError(what, `data holds ${x.data.length} values, not rows x cols = ${x.rows} x ${x.cols} = ${x.rows * x.cols}`);
}

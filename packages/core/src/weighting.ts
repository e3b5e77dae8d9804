import { ArgumentError } from './errors.js';
import type { Weighting } from './config.js';

/**
 * Loss weight of each of n nesting levels: `uw` w_i = 1; `rw` w_i = n - i (n, n-1, ..., 1: the largest
 * weight on the smallest k). The total loss is sum_i w_i L_i / sum_i w_i.
 */
export function levelWeights(n: number, weighting: Weighting): number[] {
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`weighting`, `number of levels must be a positive integer, got ${n}`);
  if (weighting === 'uw') return Array.from({ length: n }, () => 1);
  if (weighting === 'rw') return Array.from({ length: n }, (_, i) => n - i);
  throw new ArgumentError(`weighting`, `unknown weighting '${String(weighting)}' (expected uw or rw)`);
}

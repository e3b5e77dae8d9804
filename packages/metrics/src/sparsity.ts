import type { Matrix } from '@msae/core';
import { CodeAccumulator } from './code-accumulator.js';

/** l0 = mean_b #{j : z_bj != 0}  (mean number of active latents per code). */
export function l0(z: Matrix): number {
  return new CodeAccumulator().add(z).result().l0;
}

/** sparsity = 1 - l0 / dSae. */
export function sparsity(z: Matrix): number {
  return new CodeAccumulator().add(z).result().sparsity;
}

/** deadLatents = #{j : z_bj == 0 for every row b}. */
export function deadLatents(z: Matrix): number {
  return new CodeAccumulator().add(z).result().deadLatents;
}

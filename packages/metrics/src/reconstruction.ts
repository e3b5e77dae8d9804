import type { Matrix } from '@msae/core';
import { ReconstructionAccumulator } from './reconstruction-accumulator.js';

/** fvu = mean_b Var_d(x_b - x^_b) / Var_d(x_b)  (fraction of variance unexplained, per sample, averaged). */
export function fvu(x: Matrix, xhat: Matrix): number {
  return new ReconstructionAccumulator().add(x, xhat).result().fvu;
}

/** fvuGlobal = sum_b ||x_b - x^_b||^2 / sum_b ||x_b - mean(x)||^2. */
export function fvuGlobal(x: Matrix, xhat: Matrix): number {
  return new ReconstructionAccumulator().add(x, xhat).result().fvuGlobal;
}

/** cosine = mean_b x_b . x^_b / (||x_b|| ||x^_b||)  (a zero row counts as 0). */
export function cosine(x: Matrix, xhat: Matrix): number {
  return new ReconstructionAccumulator().add(x, xhat).result().cosine;
}

/** nmae = mean_b mean_d |x_b - x^_b| / mean_d |x_b|. */
export function nmae(x: Matrix, xhat: Matrix): number {
  return new ReconstructionAccumulator().add(x, xhat).result().nmae;
}

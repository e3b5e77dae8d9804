/**
 * Normwise comparisons of an engine's outputs with the reference's. Each throws an Error naming the case
 * (`where`), the tensor, the worst index and the relative error.
 */
import type { SaeParams } from '../engine.js';
import { paramNamesOf } from '../params.js';

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(6) : String(v);
}

/** Normwise tensor comparison: max |a - e| <= rtol * max(max |e|, 1e-12). */
export function assertTensorClose(where: string, tensor: string, actual: unknown, expected: ArrayLike<number>, rtol: number): void {
  if (!(actual instanceof Float32Array)) {
    throw new Error(`${where}: ${tensor} should be a Float32Array, got ${actual === null ? 'null' : typeof actual === 'object' ? (actual as object).constructor?.name : typeof actual}`);
  }
  if (actual.length !== expected.length) throw new Error(`${where}: ${tensor} has ${actual.length} values, expected ${expected.length}`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= worstErr)) {
      worstErr = Number.isNaN(err) ? Infinity : err;
      worst = i;
    }
  }
  const allowed = rtol * Math.max(scale, 1e-12);
  if (worstErr > allowed) {
    throw new Error(
      `${where}: ${tensor} differs from the reference: max abs error ${fmt(worstErr)} at index ${worst} ` +
        `(got ${fmt(actual[worst])}, expected ${fmt(expected[worst])}), max |expected| ${fmt(scale)}, ` +
        `relative error ${fmt(worstErr / Math.max(scale, 1e-12))} > rtol ${rtol}`,
    );
  }
}

/** Scalar comparison: |a - e| <= rtol * max(|e|, 1e-12). */
export function assertScalarClose(where: string, what: string, actual: unknown, expected: number, rtol: number): void {
  if (typeof actual !== 'number') throw new Error(`${where}: ${what} should be a number, got ${typeof actual}`);
  const err = Math.abs(actual - expected);
  if (!(err <= rtol * Math.max(Math.abs(expected), 1e-12))) {
    throw new Error(`${where}: ${what} differs from the reference: got ${fmt(actual)}, expected ${fmt(expected)} (relative error ${fmt(err / Math.max(Math.abs(expected), 1e-12))} > rtol ${rtol})`);
  }
}

/** Element-wise assertScalarClose of an array of the expected length. */
export function assertScalarsClose(where: string, what: string, actual: unknown, expected: number[], rtol: number): void {
  if (!Array.isArray(actual) || actual.length !== expected.length) {
    throw new Error(`${where}: ${what} should be an array of ${expected.length} numbers, got ${Array.isArray(actual) ? actual.length : typeof actual}`);
  }
  expected.forEach((e, i) => assertScalarClose(where, `${what}[${i}]`, actual[i], e, rtol));
}

/** The non-zero pattern of codes [rows, cols] must match exactly. */
export function assertSamePattern(where: string, tensor: string, actual: Float32Array, expected: Float32Array, cols: number): void {
  for (let i = 0; i < expected.length; i++) {
    if ((actual[i] !== 0) !== (expected[i] !== 0)) {
      throw new Error(
        `${where}: ${tensor} non-zero pattern differs at row ${Math.floor(i / cols)} latent ${i % cols} ` +
          `(got ${fmt(actual[i])}, expected ${fmt(expected[i])})`,
      );
    }
  }
}

/** assertTensorClose of every parameter tensor. */
export function assertParamsClose(where: string, prefix: string, actual: SaeParams, expected: SaeParams, rtol: number): void {
  if (!actual || typeof actual !== 'object') throw new Error(`${where}: ${prefix} missing`);
  for (const n of paramNamesOf(expected)) assertTensorClose(where, `${prefix}${n}`, actual[n], expected[n]!, rtol);
}

/** Bit-exact equality of every parameter tensor. */
export function assertParamsEqual(where: string, prefix: string, actual: SaeParams, expected: SaeParams): void {
  for (const n of paramNamesOf(expected)) {
    const a = actual[n];
    const e = expected[n]!;
    if (!(a instanceof Float32Array) || a.length !== e.length) throw new Error(`${where}: ${prefix}${n} is not a Float32Array of ${e.length} values`);
    for (let i = 0; i < e.length; i++) {
      if (!Object.is(a[i], e[i]) && a[i] !== e[i]) throw new Error(`${where}: ${prefix}${n}[${i}] changed: ${a[i]} vs ${e[i]} (expected a bit-exact round trip)`);
    }
  }
}

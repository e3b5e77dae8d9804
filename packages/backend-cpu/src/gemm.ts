/** Multi-threaded float32 matrix products on the native engine (plain typed arrays in and out). */
import { ArgumentError } from '@msae/core';
import type { Matrix } from '@msae/core';
import { requireNative, type NativeContext } from './native-binding.js';
import { defaultThreadCount } from './thread-count.js';

let shared: NativeContext | undefined;

function context(): { addon: ReturnType<typeof requireNative>['addon']; ctx: NativeContext } {
  const { addon } = requireNative();
  shared ??= addon.create(defaultThreadCount()); // MSAE_CPU_THREADS, else every core
  return { addon, ctx: shared };
}

function checkMatrix(name: string, m: Matrix): void {
  if (!m || !(m.data instanceof Float32Array) || !Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 0 || m.cols < 0) {
    throw new ArgumentError(`gemm`, `${name} must be a Matrix {data: Float32Array, rows, cols}`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new ArgumentError(`gemm`, `${name} has ${m.data.length} values, expected ${m.rows}x${m.cols}=${m.rows * m.cols}`);
  }
}

/**
 * C = A B^T for A [m, k] and B [n, k]: C[i, j] = sum_t A[i, t] B[j, t]; returns C [m, n] row-major, written
 * into `out` when given (m * n values; lets a benchmark time the product without the allocation).
 */
export async function gemmABt(a: Matrix, b: Matrix, out: Float32Array = new Float32Array(a.rows * b.rows)): Promise<Float32Array> {
  checkMatrix('a', a);
  checkMatrix('b', b);
  if (a.cols !== b.cols) throw new ArgumentError(`gemmABt`, `a is ${a.rows}x${a.cols} and b is ${b.rows}x${b.cols}; their column counts must match`);
  if (out.length !== a.rows * b.rows) throw new ArgumentError(`gemmABt`, `out has ${out.length} values, expected ${a.rows}x${b.rows}=${a.rows * b.rows}`);
  const { addon, ctx } = context();
  addon.gemm(ctx, a.data, b.data, a.rows, b.rows, a.cols, true, out);
  return out;
}

/** C = A B for A [m, k] and B [k, n]: C[i, j] = sum_t A[i, t] B[t, j]; returns C [m, n] row-major. */
export async function gemmAB(a: Matrix, b: Matrix): Promise<Float32Array> {
  checkMatrix('a', a);
  checkMatrix('b', b);
  if (a.cols !== b.rows) throw new ArgumentError(`gemmAB`, `a is ${a.rows}x${a.cols} and b is ${b.rows}x${b.cols}; a.cols must equal b.rows`);
  const out = new Float32Array(a.rows * b.cols);
  const { addon, ctx } = context();
  addon.gemm(ctx, a.data, b.data, a.rows, b.cols, a.cols, false, out);
  return out;
}

/** Rows stored as int8 codes with one float scale per row: row j = scale[j] * codes[j, :]. */
export interface Int8Rows {
  codes: Int8Array;
  scale: Float32Array;
  rows: number;
  cols: number;
}

/**
 * C = A B^T for B stored as int8 rows: C[i, j] = scale[j] sum_t A[i, t] codes[j, t]; returns C [m, n] row-major
 * (written into `out` when given). Streams the codes once (a quarter of the float32 bytes): a compact search
 * collection's scores.
 */
export async function gemmInt8ABt(a: Matrix, b: Int8Rows, out: Float32Array = new Float32Array(a.rows * b.rows)): Promise<Float32Array> {
  checkMatrix('a', a);
  if (!(b?.codes instanceof Int8Array) || !(b.scale instanceof Float32Array) || b.codes.length !== b.rows * b.cols || b.scale.length !== b.rows) {
    throw new ArgumentError(`gemmInt8ABt`, `b must be {codes: Int8Array [rows*cols], scale: Float32Array [rows], rows, cols}`);
  }
  if (a.cols !== b.cols) throw new ArgumentError(`gemmInt8ABt`, `a is ${a.rows}x${a.cols} and b is ${b.rows}x${b.cols}; their column counts must match`);
  if (out.length !== a.rows * b.rows) throw new ArgumentError(`gemmInt8ABt`, `out has ${out.length} values, expected ${a.rows}x${b.rows}=${a.rows * b.rows}`);
  const { addon, ctx } = context();
  addon.gemmInt8(ctx, a.data, b.codes, b.scale, a.rows, b.rows, a.cols, out);
  return out;
}

/**
 * int8 x int8 scores for quantized queries: C[i, j] = a.scale[i] b.scale[j] sum_t a.codes[i, t] b.codes[j, t],
 * summed exactly in int32 (codes must lie in -127..127, as compactCollection's do; cols < 65536). AVX-512 VNNI
 * where cpuid reports it, else AVX2 or a portable loop. Returns C [a.rows, b.rows] row-major (into `out` when given).
 */
export async function gemmInt8Int8ABt(a: Int8Rows, b: Int8Rows, out: Float32Array = new Float32Array(a.rows * b.rows)): Promise<Float32Array> {
  for (const [name, m] of [['a', a], ['b', b]] as const) {
    if (!(m?.codes instanceof Int8Array) || !(m.scale instanceof Float32Array) || m.codes.length !== m.rows * m.cols || m.scale.length !== m.rows) {
      throw new ArgumentError(`gemmInt8Int8ABt`, `${name} must be {codes: Int8Array [rows*cols], scale: Float32Array [rows], rows, cols}`);
    }
  }
  if (a.cols !== b.cols) throw new ArgumentError(`gemmInt8Int8ABt`, `a is ${a.rows}x${a.cols} and b is ${b.rows}x${b.cols}; their column counts must match`);
  if (out.length !== a.rows * b.rows) throw new ArgumentError(`gemmInt8Int8ABt`, `out has ${out.length} values, expected ${a.rows}x${b.rows}=${a.rows * b.rows}`);
  const { addon, ctx } = context();
  if (!addon.gemmInt8Int8Scaled) throw new ArgumentError('gemmInt8Int8ABt', 'the loaded native binary has no int8 x int8 kernel (rebuild @msae/backend-cpu)');
  addon.gemmInt8Int8Scaled(ctx, a.codes, a.scale, b.codes, b.scale, a.rows, b.rows, a.cols, out);
  return out;
}

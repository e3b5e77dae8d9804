import { Rng } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { cpuEngineAvailability, gemmAB, gemmABt, gemmInt8ABt, gemmInt8Int8ABt } from '../src/index.js';
import { nativeBuildSkipped } from './native-status.js';

function random(n: number, rng: Rng): Float32Array {
  return new Float32Array(n).map(() => rng.normal());
}

describe.skipIf(nativeBuildSkipped() !== undefined)('gemm', () => {
  it('is available after the package build', () => {
    expect(cpuEngineAvailability()).toEqual({ available: true });
  });

  // sizes around the kernel's blocking (6x16 tiles, 96-row blocks, 256-deep slabs), including odd edges, and the
  // small-M GEMV path (m <= 32 with transB: groups of 4 rows of b, a short last group, k not a vector multiple)
  for (const [m, n, k] of [
    [1, 1, 1],
    [1, 1003, 515],
    [3, 6, 17],
    [32, 101, 512],
    [33, 101, 512],
    [7, 19, 13],
    [97, 33, 300],
    [130, 257, 520],
  ]) {
    it(`gemmABt and gemmAB match a float64 triple loop for ${m}x${k} . (${n}x${k})^T`, async () => {
      const rng = new Rng(m * 1000 + n);
      const a = random(m * k, rng);
      const b = random(n * k, rng);
      const c = await gemmABt({ data: a, rows: m, cols: k }, { data: b, rows: n, cols: k });
      const bt = new Float32Array(k * n);
      for (let j = 0; j < n; j++) for (let t = 0; t < k; t++) bt[t * n + j] = b[j * k + t];
      const c2 = await gemmAB({ data: a, rows: m, cols: k }, { data: bt, rows: k, cols: n });
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let t = 0; t < k; t++) s += a[i * k + t] * b[j * k + t]; // C[i, j] = sum_t A[i, t] B[j, t]
          const tol = 1e-5 * Math.sqrt(k) * 4;
          expect(Math.abs(c[i * n + j] - s)).toBeLessThan(tol);
          expect(Math.abs(c2[i * n + j] - s)).toBeLessThan(tol);
        }
    });
  }

  for (const [m, n, k] of [
    [1, 1003, 515],
    [5, 9, 16],
    [40, 33, 64],
  ]) {
    it(`gemmInt8ABt matches a float64 loop over the scaled int8 rows for ${m}x${k} . (${n}x${k})^T`, async () => {
      const rng = new Rng(m + 7 * n + k);
      const a = random(m * k, rng);
      const codes = new Int8Array(n * k).map(() => Math.round(rng.normal() * 60));
      codes[0] = -128; // the extremes widen correctly
      codes[1] = 127;
      const scale = new Float32Array(n).map(() => 0.001 + Math.abs(rng.normal()) * 0.01);
      const c = await gemmInt8ABt({ data: a, rows: m, cols: k }, { codes, scale, rows: n, cols: k });
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let t = 0; t < k; t++) s += a[i * k + t] * codes[j * k + t]; // C[i, j] = scale[j] sum_t A[i, t] codes[j, t]
          expect(Math.abs(c[i * n + j] - scale[j] * s)).toBeLessThan(1e-5 * scale[j] * 128 * Math.sqrt(k) * 4);
        }
    });
  }

  it('gemmInt8Int8ABt scales the exact int32 sums by both rows\' scales', async () => {
    const rng = new Rng(11);
    const [m, n, k] = [5, 37, 100];
    const codes = (len: number) => new Int8Array(len).map(() => Math.max(-127, Math.min(127, Math.round(rng.normal() * 60))));
    const a = { codes: codes(m * k), scale: new Float32Array(m).map(() => 0.01 + Math.abs(rng.normal()) * 0.01), rows: m, cols: k };
    const b = { codes: codes(n * k), scale: new Float32Array(n).map(() => 0.01 + Math.abs(rng.normal()) * 0.01), rows: n, cols: k };
    const c = await gemmInt8Int8ABt(a, b);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += a.codes[i * k + t] * b.codes[j * k + t]; // exact integer sum
        expect(c[i * n + j]).toBe(Math.fround(Math.fround(a.scale[i] * b.scale[j]) * s));
      }
    await expect(gemmInt8Int8ABt(a, { ...b, cols: 99 })).rejects.toThrow(/b must be|column counts must match/);
  });

  it('rejects mismatched shapes with a one-line error', async () => {
    const a = { data: new Float32Array(6), rows: 2, cols: 3 };
    const b = { data: new Float32Array(8), rows: 2, cols: 4 };
    await expect(gemmABt(a, b)).rejects.toThrow(/column counts must match/);
    await expect(gemmABt({ data: new Float32Array(5), rows: 2, cols: 3 }, a)).rejects.toThrow(/has 5 values, expected 2x3/);
  });
});

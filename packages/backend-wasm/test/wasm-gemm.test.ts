// The wasm build's dense GEMM (its own 4x8 register tile; A blocks split into groups of B panels when a batch has
// few blocks) against a float64 triple loop, on 1 thread and on 3, for sizes around every blocking step: partial
// 4-row and 8-column tiles, 96-row blocks, 256-deep slabs; op(B) = B^T and B. The threaded result equals the
// single-threaded one bit for bit (each C element is summed in the same order whatever the split).
import { Rng } from '@msae/core';
import { describe, expect, it } from 'vitest';
import type { NativeAddon, NativeContext } from '@msae/backend-cpu/addon-engine';
import { createWasmEngine, loadWasmAddon } from '../src/index.js';

/** C = A op(B) through the addon's gemm entry point. */
function gemm(addon: NativeAddon, ctx: NativeContext, a: Float32Array, b: Float32Array, m: number, n: number, k: number, transB: boolean) {
  const c = new Float32Array(m * n);
  addon.gemm(ctx, a, b, m, n, k, transB, c);
  return c;
}

describe('wasm gemm', () => {
  for (const [m, n, k] of [
    [1, 9, 5],
    [13, 33, 7],
    [97, 65, 300],
    [200, 70, 513],
    [256, 100, 64],
  ]) {
    for (const transB of [true, false]) {
      it(`${m}x${k} . op(B) with ${n} columns (transB ${transB}) matches a float64 triple loop on 1 and 3 threads`, async () => {
        const rng = new Rng(m * 7 + n + k);
        const a = new Float32Array(m * k).map(() => rng.normal());
        const b = new Float32Array(n * k).map(() => rng.normal()); // [n, k] if transB, else [k, n]
        const single = await loadWasmAddon();
        const ctx1 = single.create(1);
        const one = gemm(single, ctx1, a, b, m, n, k, transB);
        single.dispose(ctx1);
        const engine = await createWasmEngine({ threads: 3 });
        const internals = engine as unknown as { addon: NativeAddon; ctx: NativeContext };
        expect(engine.threads).toBe(3);
        const three = gemm(internals.addon, internals.ctx, a, b, m, n, k, transB);
        await engine.dispose();
        let worst = 0;
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let t = 0; t < k; t++) s += a[i * k + t] * (transB ? b[j * k + t] : b[t * n + j]); // C[i, j] = sum_t A[i, t] op(B)[t, j]
            worst = Math.max(worst, Math.abs(one[i * n + j] - s));
          }
        expect(worst).toBeLessThan(2e-5 * Math.sqrt(k) * 4);
        expect(Buffer.from(three.buffer).equals(Buffer.from(one.buffer))).toBe(true);
      });
    }
  }
});

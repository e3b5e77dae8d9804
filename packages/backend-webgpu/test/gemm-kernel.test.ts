/** The tiled GEMM kernel against a float64 product, both register blocks, both layouts of B, ragged edges. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@msae/core';
import { gemmGrid, gemmWgsl, packGemmShape, type GemmSpec } from '../src/kernels/gemm.js';
import { KernelHarness } from './gpu-harness.js';
import { softwareVulkanPresent } from './software-vulkan.js';

const run = softwareVulkanPresent() || Boolean(process.env.CI);

function reference(a: Float32Array, p: Float32Array, spec: GemmSpec, rows: number): Float64Array {
  const { n, k, transposeB, bOffset, biasOffset } = spec;
  const c = new Float64Array(rows * n);
  for (let m = 0; m < rows; m++) {
    for (let j = 0; j < n; j++) {
      let s = biasOffset === null ? 0 : p[biasOffset + j];
      for (let q = 0; q < k; q++) s += a[m * k + q] * p[bOffset + (transposeB ? j * k + q : q * n + j)]; // sum_q A[m,q] op(B)[q,j] + bias[j]
      c[m * n + j] = s;
    }
  }
  return c;
}

describe.skipIf(!run)('GEMM kernel', () => {
  let h: KernelHarness;
  beforeAll(async () => {
    h = await KernelHarness.create();
  });
  afterAll(() => h?.destroy());

  const cases: { block: 4 | 8; transposeB: boolean; rows: number; n: number; k: number }[] = [
    { block: 4, transposeB: true, rows: 70, n: 150, k: 37 },
    { block: 4, transposeB: false, rows: 33, n: 65, k: 100 },
    { block: 8, transposeB: true, rows: 130, n: 260, k: 40 },
    { block: 8, transposeB: false, rows: 129, n: 17, k: 129 },
  ];
  for (const c of cases) {
    it(`block ${c.block}, B${c.transposeB ? '^T' : ''}, ${c.rows}x${c.k} . ${c.k}x${c.n}`, async () => {
      const rng = new Rng(c.rows * 7 + c.n);
      const a = new Float32Array(c.rows * c.k).map(() => rng.normal());
      const bOffset = 5; // B and the bias sit inside a larger parameter buffer
      const biasOffset = bOffset + c.n * c.k + 3;
      const p = new Float32Array(biasOffset + c.n).map(() => rng.normal());
      const spec: GemmSpec = { n: c.n, k: c.k, transposeB: c.transposeB, bOffset, biasOffset, block: c.block };
      const out = await h.storage(new Float32Array(c.rows * c.n).fill(Number.NaN));
      const bufs = [await h.runUniform({ rows: c.rows, ks: [1], kcap: 1, dSae: 1, dIn: 1 }), await h.storage(a), await h.storage(p), out, await h.uniform(packGemmShape(spec))];
      const got = new Float32Array(await h.dispatch(gemmWgsl(c.transposeB, c.block), bufs, gemmGrid(spec, c.rows), out, c.rows * c.n * 4));
      const want = reference(a, p, spec, c.rows);
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
      expect(worst).toBeLessThan(1e-5);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { createRng, type Matrix } from '@msae/core';
import { cpuEngineAvailability, nativeKernelInfo } from '@msae/backend-cpu';
import { UnknownEngineError, createMatmulProvider, listMatmulProviders, matmulProviderDetails } from '../src/index.js';

function random(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  return { data: new Float32Array(rows * cols).map(() => rng.normal()), rows, cols };
}

/** C[i, j] = sum_t A[i, t] B[j, t], in float64. */
function bruteForceABt(a: Matrix, b: Matrix): Float64Array {
  const c = new Float64Array(a.rows * b.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.rows; j++) {
      let s = 0;
      for (let t = 0; t < a.cols; t++) s += a.data[i * a.cols + t] * b.data[j * a.cols + t];
      c[i * b.rows + j] = s;
    }
  }
  return c;
}

const cpuAvailable = cpuEngineAvailability().available;

describe('createMatmulProvider', () => {
  it('lists cpu (when the native addon loads) above js', async () => {
    const list = await listMatmulProviders();
    expect(list.map((p) => [p.name, p.available])).toEqual([
      ['cpu', cpuAvailable],
      ['js', true],
    ]);
  });

  // Odd sizes exercise the blocked kernels' edges; d = 300 accumulates enough to see float32 rounding.
  const a = random(37, 300, 1);
  const b = random(53, 300, 2);
  const want = bruteForceABt(a, b);

  it.each(['auto', 'js', ...(cpuAvailable ? ['cpu'] : [])])('%s equals the brute-force A B^T', async (name) => {
    const notes: string[] = [];
    const matmul = await createMatmulProvider(name, { onFallback: (m) => notes.push(m) });
    const got = await matmul(a, b);
    expect(got.length).toBe(37 * 53);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    // |C| ~ sqrt(300) ~ 17; float32 sums of 300 products stay within ~1e-4 of the float64 result.
    expect(worst).toBeLessThan(2e-4);
    expect(notes).toEqual(name === 'auto' && !cpuAvailable ? [expect.stringMatching(/^matmul provider 'cpu' unavailable/)] : []);
  });

  it.each(['js', ...(cpuAvailable ? ['cpu'] : [])])('%s writes into a given out and returns it', async (name) => {
    const matmul = await createMatmulProvider(name);
    const out = new Float32Array(37 * 53).fill(Number.NaN);
    const got = await matmul(a, b, out);
    expect(got).toBe(out);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    expect(worst).toBeLessThan(2e-4); // NaN fails this too: every entry was overwritten
  });

  it.skipIf(!cpuAvailable)('matmulProviderDetails names the native kernel variant and the CPU', async () => {
    const info = nativeKernelInfo();
    expect(await matmulProviderDetails('cpu')).toEqual({ kernel: info.variant, kernelsSupported: info.supported, cpuModel: info.cpuModel });
    expect(await matmulProviderDetails('js')).toEqual({});
  });

  it('auto is the native gemmABt when it is available', async () => {
    const { gemmABt } = await import('@msae/backend-cpu');
    const { blockedMatmulABt } = await import('@msae/core');
    expect(await createMatmulProvider()).toBe(cpuAvailable ? gemmABt : blockedMatmulABt);
  });

  it('rejects an unknown provider name with the known ones', async () => {
    await expect(createMatmulProvider('blas')).rejects.toThrow(UnknownEngineError);
    await expect(createMatmulProvider('blas')).rejects.toThrow("matmul provider 'blas': unknown name (expected one of: auto, cpu, js)");
  });
});

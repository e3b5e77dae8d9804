// Every kernel variant this CPU supports (avx512 / avx2 / base, picked at run time from one binary) must give
// the reference engine's numbers: the whole conformance suite and the dense GEMM, once per variant.
import { ARCHITECTURES, Rng } from '@msae/core';
import { conformanceCases } from '@msae/core/conformance';
import { describe, expect, it } from 'vitest';
import { createCpuEngine, nativeKernelInfo, type KernelVariant } from '../src/index.js';
import { requireNative } from '../src/native-binding.js';
import { nativeBuildSkipped } from './native-status.js';

// jumprelu has no native kernels (the engine refuses it: architecture-support.test.ts).
const WITH_KERNELS = ARCHITECTURES.filter((a) => a !== 'jumprelu');

const skipped = nativeBuildSkipped() !== undefined;
const supported = skipped ? [] : (nativeKernelInfo().supported as KernelVariant[]);

describe.skipIf(skipped)('kernel variants', () => {
  it('the base variant is always supported, and the default is the best one', () => {
    const info = nativeKernelInfo();
    expect(info.supported).toContain('base');
    expect(info.variant).toBe(process.env.MSAE_CPU_KERNEL || info.supported[0]);
    expect(info.cpuModel.length).toBeGreaterThan(0);
  });

  for (const kernel of supported) {
    describe(`${kernel} kernels`, () => {
      it('an engine created for the variant runs it (the variant its native context reports)', () => {
        const engine = createCpuEngine({ threads: 1, kernel });
        expect(engine.variant).toBe(kernel);
        const { addon } = requireNative(kernel);
        const ctx = addon.create(1);
        expect(addon.variant?.(ctx)).toBe(kernel);
        addon.dispose(ctx);
      });

      // sizes around every variant's blocking (6x8 / 6x16 / 12x32 tiles, 96-row blocks, 256-deep slabs)
      for (const [m, n, k] of [
        [13, 33, 7],
        [97, 65, 300],
        [200, 70, 513],
      ]) {
        it(`gemm matches a float64 triple loop for ${m}x${k} . (${n}x${k})^T`, () => {
          const { addon } = requireNative(kernel);
          const ctx = addon.create(2);
          expect(addon.variant?.(ctx)).toBe(kernel);
          const rng = new Rng(m + n + k);
          const a = new Float32Array(m * k).map(() => rng.normal());
          const b = new Float32Array(n * k).map(() => rng.normal());
          const c = new Float32Array(m * n);
          addon.gemm(ctx, a, b, m, n, k, true, c);
          addon.dispose(ctx);
          let worst = 0;
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let t = 0; t < k; t++) s += a[i * k + t] * b[j * k + t]; // C[i, j] = sum_t A[i, t] B[j, t]
              worst = Math.max(worst, Math.abs(c[i * n + j] - s));
            }
          expect(worst).toBeLessThan(2e-5 * Math.sqrt(k) * 4);
        });
      }

      // the int8 x int8 search kernel of this variant (avx512: VNNI where cpuid has it) sums exactly in int32: equal
      // to a plain loop, for sizes around its 64/32-byte steps and 4-row groups, codes at the extremes +-127
      for (const [m, n, k] of [
        [1, 1, 1],
        [1, 1001, 512],
        [3, 5, 63],
        [2, 13, 65],
        [33, 70, 513],
        [40, 9, 128],
      ]) {
        it(`int8 x int8 products equal a plain int32 loop for ${m}x${k} . (${n}x${k})^T`, () => {
          const { addon } = requireNative(kernel);
          const report = addon.kernelInfo(kernel);
          expect({ base: ['portable'], avx2: ['avx2'], avx512: ['avx512vnni', 'avx2'] }[kernel]).toContain(report.int8Kernel);
          const ctx = addon.create(2);
          const rng = new Rng(3 * m + n + k);
          const a = new Int8Array(m * k).map(() => Math.max(-127, Math.min(127, Math.round(rng.normal() * 50))));
          const b = new Int8Array(n * k).map(() => Math.max(-127, Math.min(127, Math.round(rng.normal() * 50))));
          a[0] = -127;
          b[0] = -127;
          b[b.length - 1] = 127;
          const c = new Int32Array(m * n);
          addon.gemmInt8Int8?.(ctx, a, b, m, n, k, c);
          addon.dispose(ctx);
          const want = new Int32Array(m * n);
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) for (let t = 0; t < k; t++) want[i * n + j] += a[i * k + t] * b[j * k + t]; // sum_t A[i, t] B[j, t]
          expect(Array.from(c)).toEqual(Array.from(want));
        });
      }

      for (const c of conformanceCases({ architectures: WITH_KERNELS })) it(`conformance: ${c.name}`, () => c.run(() => createCpuEngine({ threads: 2, kernel })));
    });
  }
});

/** The `cpu` A B^T provider (Node only, never imported by the browser entry): the native gemmABt. */
import type { Matrix } from '@msae/core';
import type { MatmulRegistration } from '../matmul-provider.js';

const A: Matrix = { data: new Float32Array([1, 2, 3, 4]), rows: 2, cols: 2 };
const B: Matrix = { data: new Float32Array([5, 6, 7, 8]), rows: 2, cols: 2 };
/** A B^T of the probe: [[1*5+2*6, 1*7+2*8], [3*5+4*6, 3*7+4*8]]. */
const AB_T = [17, 23, 39, 53];

export const cpuMatmulRegistration: MatmulRegistration = {
  name: 'cpu',
  priority: 200,
  environments: ['node'],
  description: "@msae/backend-cpu's gemmABt: native, multi-threaded (MSAE_CPU_THREADS, else every core)",
  availability: async () => {
    const cpu = await import('@msae/backend-cpu');
    const a = cpu.cpuEngineAvailability();
    if (!a.available) return a;
    // Probe once: a loadable addon that multiplies wrongly must not be used.
    const got = Array.from(await cpu.gemmABt(A, B));
    if (got.some((v, i) => v !== AB_T[i])) return { available: false, reason: `native gemmABt probe gave [${got.join(', ')}], expected [${AB_T.join(', ')}]` };
    return { available: true };
  },
  load: async () => (await import('@msae/backend-cpu')).gemmABt,
  details: async () => {
    const info = (await import('@msae/backend-cpu')).nativeKernelInfo();
    return { ...(info.variant ? { kernel: info.variant } : {}), kernelsSupported: info.supported, cpuModel: info.cpuModel };
  },
};

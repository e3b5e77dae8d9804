/** Built-in engines that run only in Node (native addon, tfjs-node). Never imported by the browser entry. */
import type { EngineRegistration } from '../engine-registry.js';
import { PRIORITY } from './priorities.js';

export const nodeEngineRegistrations: EngineRegistration[] = [
  {
    name: 'cpu',
    priority: PRIORITY.cpu,
    environments: ['node'],
    description: '@msae/backend-cpu: native multi-threaded kernels, sparse Matryoshka decoding',
    availability: async () => (await import('@msae/backend-cpu')).cpuEngineAvailability(),
    // no native kernels for jumprelu: UnsupportedArchitectureError
    supports: async (config) => (await import('@msae/backend-cpu')).checkCpuEngineConfig(config),
    load: async () => {
      const { createCpuEngine } = await import('@msae/backend-cpu');
      return (o) => createCpuEngine({ threads: o.threads });
    },
    details: async (engine) => {
      const info = (await import('@msae/backend-cpu')).nativeKernelInfo();
      const e = engine as { variant?: string; threads?: number } | undefined;
      const kernel = e?.variant ?? info.variant ?? undefined;
      return { ...(kernel ? { kernel } : {}), kernelsSupported: info.supported, cpuModel: info.cpuModel, ...(e?.threads ? { threads: e.threads } : {}) };
    },
  },
  {
    name: 'tfjs-node',
    priority: PRIORITY['tfjs-node'],
    environments: ['node'],
    optional: true,
    description: 'TensorFlow.js on @tensorflow/tfjs-node(-gpu), an optional peer you install yourself',
    availability: async () => {
      const { importTfjsNode } = await import('@msae/backend-tfjs');
      await importTfjsNode(); // throws "@tensorflow/tfjs-node is not installed: npm i ..." when absent
      return { available: true };
    },
    load: async () => {
      const { createTfjsEngine } = await import('@msae/backend-tfjs');
      return () => createTfjsEngine({ backend: 'tensorflow' });
    },
  },
];

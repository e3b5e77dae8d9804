/**
 * Built-in engines that run in browsers (and in Node): every load() is a dynamic import of a package
 * with no Node built-in, so a browser bundle of this file stays clean.
 */
import { createReferenceEngine } from '@msae/core';
import type { EngineRegistration } from '../engine-registry.js';
import { webGpuAvailability } from './webgpu-adapter.js';
import { PRIORITY } from './priorities.js';
import { wasmEngineRegistration } from './wasm-engine.js';
import { webGpuEngineRegistration } from './webgpu-engine.js';

const tfjs = () => import('@msae/backend-tfjs');

export const sharedEngineRegistrations: EngineRegistration[] = [
  webGpuEngineRegistration,
  wasmEngineRegistration,
  {
    name: 'tfjs-webgpu',
    priority: PRIORITY['tfjs-webgpu'],
    environments: ['browser', 'node'],
    optional: true,
    description: 'TensorFlow.js on WebGPU (browsers; Node where navigator.gpu exists)',
    availability: () => webGpuAvailability('tfjs-webgpu'),
    load: async () => {
      const { createTfjsEngine } = await tfjs();
      return () => createTfjsEngine({ backend: 'webgpu' });
    },
  },
  {
    name: 'tfjs-wasm',
    priority: PRIORITY['tfjs-wasm'],
    environments: ['browser', 'node'],
    description: 'TensorFlow.js on WebAssembly (SIMD; threads in cross-origin isolated pages)',
    availability: () =>
      typeof WebAssembly === 'object' ? { available: true } : { available: false, reason: 'WebAssembly is not supported here' },
    load: async () => {
      const { createTfjsEngine } = await tfjs();
      return (o) => createTfjsEngine({ backend: 'wasm', wasmPaths: o.wasmPaths, wasmThreads: o.wasmThreads });
    },
  },
  {
    name: 'tfjs-cpu',
    priority: PRIORITY['tfjs-cpu'],
    environments: ['browser', 'node'],
    description: 'TensorFlow.js plain-JS cpu backend',
    availability: () => ({ available: true }),
    load: async () => {
      const { createTfjsEngine } = await tfjs();
      return () => createTfjsEngine({ backend: 'cpu' });
    },
  },
  {
    name: 'reference',
    priority: PRIORITY.reference,
    environments: ['browser', 'node'],
    description: "@msae/core's Float32Array oracle (slow, exact)",
    availability: () => ({ available: true }),
    load: async () => () => createReferenceEngine(),
  },
];

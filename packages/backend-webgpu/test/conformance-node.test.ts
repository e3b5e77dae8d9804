/**
 * The core conformance suite on the WebGPU engine in Node: Dawn (the optional `webgpu` package) on
 * Chromium's SwiftShader Vulkan driver (vitest.config.ts sets VK_ICD_FILENAMES). Skipped only outside CI when
 * the SwiftShader driver file is missing; under CI=true it always runs.
 */
import { describe, it } from 'vitest';
import { conformanceCases } from '@msae/core/conformance';
import { createWebGpuEngine } from '../src/index.js';
import { softwareVulkanPresent } from './software-vulkan.js';

const run = softwareVulkanPresent() || Boolean(process.env.CI);
if (!run) console.warn('webgpu Node conformance skipped: no SwiftShader Vulkan driver (apt-get install -y chromium); it always runs when CI is set');

describe.skipIf(!run)('conformance: webgpu engine in Node (Dawn, SwiftShader Vulkan)', () => {
  for (const c of conformanceCases({ auxK: false, architectures: ['relu', 'topk', 'batchtopk', 'msae'] })) it(c.name, () => c.run(() => createWebGpuEngine()));
});

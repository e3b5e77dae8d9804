/**
 * Failure modes: absurd allocations and device loss give typed one-line errors (never a hang), bad input is
 * rejected before any GPU work, a missing `webgpu` package gives a one-line install hint, and availability
 * reports the SwiftShader adapter as software.
 */
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, UnsupportedArchitectureError, initParams, resolveConfig } from '@msae/core';
import { checkWebGpuConfig, createDevice, createWebGpuEngine, WebGpuDeviceLostError, WebGpuInputError, WebGpuOutOfMemoryError, webGpuEngineAvailability } from '../src/index.js';
import { softwareVulkanPresent } from './software-vulkan.js';

const run = softwareVulkanPresent() || Boolean(process.env.CI);
const config = resolveConfig({ dIn: 16, dSae: 64, architecture: 'msae', k: 4, weighting: 'rw' });
const params = initParams(config, 1);
const rows = 8;
const x = new Float32Array(rows * 16).map((_, i) => Math.sin(i));

/** Settles within ms, or fails the test instead of hanging it. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms))]);
}

function oneLine(e: unknown): string {
  expect(e).toBeInstanceOf(Error);
  const m = (e as Error).message;
  expect(m.includes('\n'), m).toBe(false);
  expect(m.startsWith('webgpu engine:'), m).toBe(true);
  return m;
}

describe.skipIf(!run)('errors', () => {
  it('availability: the SwiftShader adapter is found and reported as software', async () => {
    const a = await webGpuEngineAvailability();
    expect(a.available, a.reason).toBe(true);
    expect(a.software).toBe(true);
    expect(a.label).toMatch(/swiftshader/i);
  });

  it('an absurd buffer size is a one-line WebGpuOutOfMemoryError', async () => {
    const engine = await createWebGpuEngine({ reserveRows: 2 ** 31 });
    const err = await within(engine.load({ config, params }).then(() => null, (e: unknown) => e), 30_000);
    expect(err).toBeInstanceOf(WebGpuOutOfMemoryError);
    expect(oneLine(err)).toMatch(/needs a .* buffer, over this device's limit/);
    expect((err as WebGpuOutOfMemoryError).bytes).toBeGreaterThan(2 ** 31);
    await engine.dispose();
  });

  it('device loss (device.destroy()) rejects the next calls with WebGpuDeviceLostError instead of hanging', async () => {
    const { device } = await createDevice();
    const engine = await createWebGpuEngine({ device });
    await engine.load({ config, params });
    const before = await engine.trainStep(x, rows, 1e-3);
    expect(Number.isFinite(before.loss)).toBe(true);
    const inFlight = engine.trainStep(x, rows, 1e-3).then(() => 'resolved', (e: unknown) => e);
    device.destroy();
    const first = await within(inFlight, 30_000);
    expect(first === 'resolved' || first instanceof WebGpuDeviceLostError, String(first)).toBe(true);
    for (const call of [() => engine.trainStep(x, rows, 1e-3), () => engine.forward(x, rows), () => engine.exportState()]) {
      const err = await within(call().then(() => null, (e: unknown) => e), 30_000);
      expect(err).toBeInstanceOf(WebGpuDeviceLostError);
      expect(oneLine(err)).toMatch(/device was lost/);
    }
    await within(engine.dispose(), 30_000);
  });

  it('bad input is a one-line WebGpuInputError', async () => {
    const engine = await createWebGpuEngine();
    await engine.load({ config, params });
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['short x', () => engine.forward(x.subarray(1), rows), /x must be a Float32Array of 8x16=128 values, got 127/],
      ['rows 0', () => engine.trainStep(x, 0, 1e-3), /rows must be a positive integer/],
      ['encode k 0', () => engine.encode(x, rows, 0), /encode k must be a positive integer/],
      ['decode z', () => engine.decode(x, rows), /z must be a Float32Array of 8x64/],
      ['lr', () => engine.trainStep(x, rows, Number.NaN), /learning rate/],
      ['AuxK config', () => engine.load({ config: resolveConfig({ dIn: 16, dSae: 64, architecture: 'topk', k: 8, auxK: 8 }), params }), /AuxK \(auxK 8\) is not implemented by the webgpu engine/],
      [
        'prefix Matryoshka config',
        () => engine.load({ config: resolveConfig({ dIn: 16, dSae: 64, architecture: 'matryoshka-batchtopk', k: 4 }), params }),
        /architecture 'matryoshka-batchtopk' \(batch-topk-prefix activation\) is not implemented by the webgpu engine/,
      ],
    ];
    for (const [what, call, pattern] of cases) {
      const err = await call().then(() => null, (e: unknown) => e);
      expect(err, what).toBeInstanceOf(WebGpuInputError);
      expect(oneLine(err), what).toMatch(pattern);
    }
    // jumprelu: no kernels at all, a ConfigError naming the engines that train it (and the engine stays usable)
    const jumprelu = resolveConfig({ dIn: 16, dSae: 64, architecture: 'jumprelu' });
    const refused = await engine.load({ config: jumprelu, params: initParams(jumprelu, 1) }).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(UnsupportedArchitectureError);
    expect((refused as Error).message).toBe("engine 'webgpu' does not support architecture jumprelu; use --backend tfjs-wasm, tfjs-cpu or reference");
    expect((await engine.forward(x, rows)).codes.length).toBe(rows * 64);
    await engine.dispose();
  });
});

describe('checkWebGpuConfig (no device needed)', () => {
  it('refuses jumprelu with UnsupportedArchitectureError (a ConfigError), AuxK and prefix groups with WebGpuInputError', () => {
    const jumprelu = resolveConfig({ dIn: 16, dSae: 64, architecture: 'jumprelu' });
    expect(() => checkWebGpuConfig(jumprelu)).toThrow(ConfigError);
    expect(() => checkWebGpuConfig(jumprelu)).toThrow("engine 'webgpu' does not support architecture jumprelu; use --backend tfjs-wasm, tfjs-cpu or reference");
    expect(() => checkWebGpuConfig(resolveConfig({ dIn: 16, dSae: 64, architecture: 'topk', k: 8, auxK: 8 }))).toThrow(WebGpuInputError);
    expect(() => checkWebGpuConfig(resolveConfig({ dIn: 16, dSae: 64, architecture: 'matryoshka-batchtopk', k: 4 }))).toThrow(WebGpuInputError);
    expect(() => checkWebGpuConfig(config)).not.toThrow();
  });
});

describe('without the webgpu package', () => {
  it('availability says to install it, in one line', async () => {
    vi.resetModules();
    vi.doMock('webgpu', () => {
      throw new Error("Cannot find package 'webgpu'");
    });
    const { webGpuEngineAvailability: fresh } = await import('../src/availability.js');
    const a = await fresh();
    expect(a.available).toBe(false);
    expect(a.reason).toMatch(/^webgpu engine: the optional package 'webgpu' \(Dawn for Node\) is not installed \(npm install webgpu\)/);
    expect(a.reason!.includes('\n')).toBe(false);
    vi.doUnmock('webgpu');
  });
});

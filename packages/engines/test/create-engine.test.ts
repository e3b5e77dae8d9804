/** The Node entry's built-in engines: listing, auto, names, typed errors and parity with the reference engine. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createReferenceEngine, createRng, initParams, resolveConfig } from '@msae/core';
import { cpuEngineAvailability, nativeKernelInfo } from '@msae/backend-cpu';
import { webGpuEngineAvailability } from '@msae/backend-webgpu';
import {
  ENGINE_NAMES,
  EngineNameMismatchError,
  EngineUnavailableError,
  UnknownEngineError,
  createEngine,
  engineDetails,
  engineNames,
  isEngineName,
  listEngines,
  registerEngine,
  resolveAutoEngine,
  unregisterEngine,
} from '../src/index.js';

const cpuAvailable = cpuEngineAvailability().available;
// Dawn in this process (no VK_ICD_FILENAMES / LD_LIBRARY_PATH from the test config): on a machine without a GPU
// driver or Vulkan loader, unavailable; a hardware adapter (a GPU machine) makes `webgpu` auto's first choice.
const webgpu = await webGpuEngineAvailability();
const webgpuAuto = webgpu.available && webgpu.software !== true;
const webgpuReason = !webgpu.available
  ? webgpu.reason
  : webgpuAuto
    ? `hardware WebGPU adapter (${webgpu.label})`
    : `software WebGPU adapter (${webgpu.label}): auto skips it; ask for 'webgpu' by name`;
const autoName = webgpuAuto ? 'webgpu' : cpuAvailable ? 'cpu' : 'wasm';
const ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Run `script` (ESM, `e` = the built Node entry) in a fresh Node process; its last stdout line, parsed. */
function inFreshProcess(script: string, env: NodeJS.ProcessEnv): unknown {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const e = await import(${JSON.stringify(ENTRY)});\n${script}`], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('built-in engines (Node entry)', () => {
  it('registers every built-in name, highest priority first', async () => {
    expect(engineNames()).toEqual(['webgpu', 'cpu', 'wasm', 'tfjs-webgpu', 'tfjs-node', 'tfjs-wasm', 'tfjs-cpu', 'reference']);
    expect([...ENGINE_NAMES].sort()).toEqual(['auto', ...engineNames()].sort());
    expect(isEngineName('auto') && isEngineName('tfjs-wasm') && !isEngineName('cuda')).toBe(true);
  });

  it('lists each engine with its availability here and the reason when it is unavailable', async () => {
    const byName = Object.fromEntries((await listEngines()).map((e) => [e.name, e]));
    expect(byName.cpu.available).toBe(cpuAvailable);
    expect(byName.cpu.reason).toBe(cpuEngineAvailability().reason);
    expect(byName['tfjs-node']).toMatchObject({ available: false, optional: true });
    expect(byName['tfjs-node'].reason).toMatch(/^@tensorflow\/tfjs-node is not installed: npm i @tensorflow\/tfjs-node/);
    expect(byName['tfjs-webgpu']).toMatchObject({ available: false, reason: 'no WebGPU here (navigator.gpu is missing)' });
    // The reason comes from @msae/backend-webgpu itself, e.g. "no Vulkan loader (libvulkan.so.1) on this Linux machine: ..."
    expect(byName.webgpu).toMatchObject({ available: webgpu.available, auto: webgpuAuto, optional: true, reason: webgpuReason });
    for (const name of ['wasm', 'tfjs-wasm', 'tfjs-cpu', 'reference']) expect(byName[name]).toMatchObject({ available: true, auto: true });
  });

  it('auto picks the cpu engine exactly when it is available (webgpu only on a hardware adapter), and notes the fallback otherwise', async () => {
    const notes: string[] = [];
    const engine = await createEngine('auto', { onFallback: (m) => notes.push(m) });
    expect(engine.name).toBe(autoName);
    expect(await resolveAutoEngine()).toBe(engine.name);
    expect(notes).toEqual(cpuAvailable || webgpuAuto ? [] : [`engine 'cpu' unavailable (${cpuEngineAvailability().reason}); using 'wasm'`]);
    await engine.dispose();
  });

  it.skipIf(!existsSync(SWIFTSHADER_ICD))('a software WebGPU adapter (SwiftShader in Node) is usable by name, and auto still picks cpu', () => {
    const script = `const list = await e.listEngines();
      const auto = await e.resolveAutoEngine();
      const { createReferenceEngine, initParams, resolveConfig } = await import('@msae/core');
      const config = resolveConfig({ dIn: 8, architecture: 'msae', k: 2, dSae: 16 });
      const params = initParams(config, 3);
      const x = new Float32Array(10 * 8).map((_, i) => Math.sin(i * 0.7));
      const ref = createReferenceEngine();
      await ref.load({ config, params });
      const gpu = await e.createEngine('webgpu');
      await gpu.load({ config, params });
      const lossGap = Math.abs((await gpu.forward(x, 10)).loss - (await ref.forward(x, 10)).loss);
      const details = await e.engineDetails(gpu);
      await gpu.dispose();
      console.log(JSON.stringify({ webgpu: list.find((i) => i.name === 'webgpu'), auto, lossGap, details }));`;
    const got = inFreshProcess(script, { VK_ICD_FILENAMES: SWIFTSHADER_ICD, LD_LIBRARY_PATH: '/usr/lib/chromium' }) as {
      webgpu: { available: boolean; auto: boolean; reason: string };
      auto: string;
      lossGap: number;
      details: { adapter: string; software: boolean };
    };
    expect(got.webgpu).toMatchObject({ available: true, auto: false });
    expect(got.webgpu.reason).toMatch(/^software WebGPU adapter \(.*swiftshader.*\): auto skips it; ask for 'webgpu' by name$/i);
    expect(got.auto).toBe(cpuAvailable ? 'cpu' : 'wasm');
    expect(got.lossGap).toBeLessThan(1e-5);
    expect(got.details.software).toBe(true);
    expect(got.details.adapter).toMatch(/swiftshader/i);
  });

  it.skipIf(!cpuAvailable)('engineDetails reports the cpu kernel variant and CPU, per engine and per name', async () => {
    const info = nativeKernelInfo();
    expect(await engineDetails('cpu')).toEqual({ kernel: info.variant, kernelsSupported: info.supported, cpuModel: info.cpuModel });
    const engine = await createEngine('cpu', { threads: 2 });
    expect(await engineDetails(engine)).toEqual({ kernel: info.variant, kernelsSupported: info.supported, cpuModel: info.cpuModel, threads: 2 });
    await engine.dispose();
    expect(await engineDetails('reference')).toEqual({});
    await expect(engineDetails('cuda')).rejects.toThrow(UnknownEngineError);
  });

  it('auto falls back to the wasm engine (the same kernels) with a note when the native engine is disabled (fresh process, built dist)', () => {
    const script = `const notes = [];
      const engine = await e.createEngine('auto', { onFallback: (m) => notes.push(m) });
      const matmulNotes = [];
      await e.createMatmulProvider('auto', { onFallback: (m) => matmulNotes.push(m) });
      console.log(JSON.stringify({ name: engine.name, notes, matmulNotes }));
      await engine.dispose();`;
    expect(inFreshProcess(script, { MSAE_CPU_DISABLE: '1' })).toEqual({
      name: 'wasm',
      notes: ["engine 'cpu' unavailable (disabled by MSAE_CPU_DISABLE=1); using 'wasm'"],
      matmulNotes: ["matmul provider 'cpu' unavailable (disabled by MSAE_CPU_DISABLE=1); using 'js'"],
    });
  });

  it('an unknown name is an UnknownEngineError listing every name', async () => {
    const err = await createEngine('cuda').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownEngineError);
    expect((err as Error).message).toBe(
      "engine 'cuda': unknown name (expected one of: auto, webgpu, cpu, wasm, tfjs-webgpu, tfjs-node, tfjs-wasm, tfjs-cpu, reference)",
    );
  });

  it('tfjs-node (optional peer, not installed here) says how to install it', async () => {
    const err = await createEngine('tfjs-node').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineUnavailableError);
    expect((err as Error).message).toMatch(/^engine 'tfjs-node': unavailable: @tensorflow\/tfjs-node is not installed: npm i @tensorflow\/tfjs-node/);
  });

  it('a factory whose engine reports another name is refused', async () => {
    registerEngine({
      name: 'misnamed',
      priority: -1,
      environments: ['node'],
      description: 'reference engine under another name',
      availability: () => ({ available: true }),
      load: async () => () => createReferenceEngine(),
    });
    try {
      await expect(createEngine('misnamed')).rejects.toThrow(EngineNameMismatchError);
    } finally {
      unregisterEngine('misnamed');
    }
  });

  it('every available engine reports its registered name and the reference forward loss', async () => {
    const available = (await listEngines()).filter((e) => e.available).map((e) => e.name);
    expect(available).toEqual([...(webgpu.available ? ['webgpu'] : []), ...(cpuAvailable ? ['cpu'] : []), 'wasm', 'tfjs-wasm', 'tfjs-cpu', 'reference']);
    const config = resolveConfig({ dIn: 8, architecture: 'msae', k: 2, dSae: 16 });
    const params = initParams(config, 3);
    const rng = createRng(9);
    const x = new Float32Array(10 * 8).map(() => rng.normal());
    const reference = createReferenceEngine();
    await reference.load({ config, params });
    const expected = await reference.forward(x, 10);
    for (const name of available) {
      const engine = await createEngine(name);
      expect(engine.name).toBe(name);
      await engine.load({ config, params });
      const got = await engine.forward(x, 10);
      expect(Math.abs(got.loss - expected.loss), name).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected.loss)));
      await engine.dispose();
    }
  });
});

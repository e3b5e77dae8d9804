/** The Node entry's built-in engines: listing, auto, names, typed errors and parity with the reference engine. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createReferenceEngine, createRng, initParams, resolveConfig } from '@msae/core';
import { cpuEngineAvailability } from '@msae/backend-cpu';
import {
  ENGINE_NAMES,
  EngineNameMismatchError,
  EngineUnavailableError,
  UnknownEngineError,
  createEngine,
  engineNames,
  isEngineName,
  listEngines,
  registerEngine,
  resolveAutoEngine,
  unregisterEngine,
} from '../src/index.js';

const cpuAvailable = cpuEngineAvailability().available;

describe('built-in engines (Node entry)', () => {
  it('registers every built-in name, highest priority first', async () => {
    expect(engineNames()).toEqual(['webgpu', 'cpu', 'tfjs-webgpu', 'tfjs-node', 'tfjs-wasm', 'tfjs-cpu', 'reference']);
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
    expect(byName.webgpu).toMatchObject({ available: false, reason: '@msae/backend-webgpu is not installed' });
    for (const name of ['tfjs-wasm', 'tfjs-cpu', 'reference']) expect(byName[name]).toMatchObject({ available: true, auto: true });
  });

  it('auto picks the cpu engine exactly when it is available, and notes the fallback otherwise', async () => {
    const notes: string[] = [];
    const engine = await createEngine('auto', { onFallback: (m) => notes.push(m) });
    expect(engine.name).toBe(cpuAvailable ? 'cpu' : 'tfjs-wasm');
    expect(await resolveAutoEngine()).toBe(engine.name);
    expect(notes).toEqual(cpuAvailable ? [] : [`engine 'cpu' unavailable (${cpuEngineAvailability().reason}); using 'tfjs-wasm'`]);
    await engine.dispose();
  });

  it('auto falls back to tfjs-wasm with a note when the native engine is disabled (fresh process, built dist)', () => {
    const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `const e = await import(${JSON.stringify(entry)});
      const notes = [];
      const engine = await e.createEngine('auto', { onFallback: (m) => notes.push(m) });
      const matmulNotes = [];
      await e.createMatmulProvider('auto', { onFallback: (m) => matmulNotes.push(m) });
      console.log(JSON.stringify({ name: engine.name, notes, matmulNotes }));
      await engine.dispose();`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, MSAE_CPU_DISABLE: '1' },
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({
      name: 'tfjs-wasm',
      notes: ["engine 'cpu' unavailable (disabled by MSAE_CPU_DISABLE=1); using 'tfjs-wasm'"],
      matmulNotes: ["matmul provider 'cpu' unavailable (disabled by MSAE_CPU_DISABLE=1); using 'js'"],
    });
  });

  it('an unknown name is an UnknownEngineError listing every name', async () => {
    const err = await createEngine('cuda').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownEngineError);
    expect((err as Error).message).toBe(
      "engine 'cuda': unknown name (expected one of: auto, webgpu, cpu, tfjs-webgpu, tfjs-node, tfjs-wasm, tfjs-cpu, reference)",
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
    expect(available).toEqual([...(cpuAvailable ? ['cpu'] : []), 'tfjs-wasm', 'tfjs-cpu', 'reference']);
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

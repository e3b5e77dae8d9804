/**
 * Engines declare the architectures they train through `supports(config)`: auto skips the ones that refuse a
 * config (jumprelu has no native cpu or WGSL kernels), a request by name throws the engine's typed ConfigError.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, UnsupportedArchitectureError, initParams, resolveConfig, type SaeConfig } from '@msae/core';
import { cpuEngineAvailability } from '@msae/backend-cpu';
import { ProviderRegistry, createEngine, engineRegistry, type Registration } from '../src/index.js';

const jumprelu = resolveConfig({ dIn: 8, dSae: 16, architecture: 'jumprelu' });
const topk = resolveConfig({ dIn: 8, dSae: 16, architecture: 'topk', k: 2 });

describe('engine architecture support', () => {
  it('the registry skips a provider whose supports() refuses the requirement, and rethrows it by name', async () => {
    const r = new ProviderRegistry<string, SaeConfig>('engine');
    const reg = (name: string, priority: number, supports?: Registration<string, SaeConfig>['supports']): Registration<string, SaeConfig> => ({
      name,
      priority,
      environments: ['node'],
      description: name,
      availability: () => ({ available: true }),
      load: async () => name,
      ...(supports ? { supports } : {}),
    });
    r.register(reg('fast', 20, (c) => {
      if (c.architecture === 'jumprelu') throw new UnsupportedArchitectureError('fast', c.architecture, ['portable']);
    }));
    r.register(reg('portable', 10));
    const make = async (p: string) => p;
    expect((await r.createAuto(make, jumprelu)).value).toBe('portable');
    expect((await r.createAuto(make, topk)).value).toBe('fast');
    expect((await r.createAuto(make)).value).toBe('fast'); // no requirement: nothing is skipped
    await expect(r.create('fast', make, jumprelu)).rejects.toThrow("engine 'fast' does not support architecture jumprelu; use --backend portable");
    expect(await r.create('fast', make, topk)).toBe('fast');
  });

  it('cpu and webgpu refuse jumprelu by name with one typed line; tfjs-wasm and reference accept it', async () => {
    for (const name of ['cpu', 'webgpu']) {
      const refusal = Promise.resolve(engineRegistry.get(name).supports!(jumprelu));
      await expect(refusal).rejects.toBeInstanceOf(ConfigError);
      await expect(refusal).rejects.toMatchObject({ message: `engine '${name}' does not support architecture jumprelu; use --backend tfjs-wasm, tfjs-cpu or reference` });
      await expect(engineRegistry.get(name).supports!(topk)).resolves.toBeUndefined();
    }
    expect(engineRegistry.get('tfjs-wasm').supports).toBeUndefined();
    expect(engineRegistry.get('reference').supports).toBeUndefined();
  });

  it.skipIf(!cpuEngineAvailability().available)("createEngine('cpu', {config: jumprelu}) throws UnsupportedArchitectureError; auto picks tfjs-wasm and notes why", async () => {
    await expect(createEngine('cpu', { config: jumprelu })).rejects.toBeInstanceOf(UnsupportedArchitectureError);
    const notes: string[] = [];
    const engine = await createEngine('auto', { config: jumprelu, onFallback: (m) => notes.push(m) });
    expect(engine.name).toBe('tfjs-wasm');
    expect(notes).toEqual(["engine 'cpu' unavailable (engine 'cpu' does not support architecture jumprelu; use --backend tfjs-wasm, tfjs-cpu or reference); using 'tfjs-wasm'"]);
    await engine.load({ config: jumprelu, params: initParams(jumprelu, 1) }); // and it trains it
    expect((await engine.trainStep(new Float32Array(4 * 8).fill(0.5), 4, 1e-3)).loss).toBeGreaterThan(0);
    await engine.dispose();
    const direct = await createEngine('cpu');
    await expect(direct.load({ config: jumprelu, params: initParams(jumprelu, 1) })).rejects.toThrow("engine 'cpu' does not support architecture jumprelu");
    await direct.dispose();
  });
});

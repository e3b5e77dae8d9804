import { describe, expect, it } from 'vitest';
import { createReferenceEngine, initParams, resolveConfig, createRng } from '@msae/core';
import { cpuEngineAvailability } from '@msae/backend-cpu';
import { createEngine, ENGINE_NAMES, resolveAutoEngine } from '../src/index.js';

describe('createEngine', () => {
  it('rejects unknown names with the list of known ones', async () => {
    await expect(createEngine('cuda')).rejects.toThrow(/unknown backend 'cuda' \(expected one of: auto, reference, cpu/);
  });

  it('auto picks the cpu engine exactly when it is available, and says so on fallback', async () => {
    const notes: string[] = [];
    const engine = await createEngine('auto', { onFallback: (m) => notes.push(m) });
    const available = cpuEngineAvailability().available;
    expect(resolveAutoEngine()).toBe(available ? 'cpu' : 'tfjs-wasm');
    expect(engine.name).toMatch(available ? /cpu/ : /tfjs-wasm/);
    expect(notes).toHaveLength(available ? 0 : 1);
    await engine.dispose();
  });

  it('tfjs-node explains how to install the optional peer', async () => {
    const attempt = createEngine('tfjs-node').then(async (e) => {
      // Where tfjs-node is installed the engine loads; then it must work like any other.
      await e.dispose();
      return 'loaded';
    });
    await expect(attempt).rejects.toThrow(/tfjs-node/);
  });

  it.each(ENGINE_NAMES.filter((n) => n !== 'tfjs-node' && n !== 'tfjs-webgpu' && (n !== 'cpu' || cpuEngineAvailability().available)))(
    '%s gives the reference forward loss',
    async (name) => {
      const config = resolveConfig({ dIn: 8, architecture: 'msae', k: 2, dSae: 16 });
      const params = initParams(config, 3);
      const rng = createRng(9);
      const x = new Float32Array(10 * 8).map(() => rng.normal());
      const reference = createReferenceEngine();
      await reference.load({ config, params });
      const expected = await reference.forward(x, 10);
      const engine = await createEngine(name);
      await engine.load({ config, params });
      const got = await engine.forward(x, 10);
      expect(Math.abs(got.loss - expected.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected.loss)));
      await engine.dispose();
    },
  );
});

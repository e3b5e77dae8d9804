import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, generateDemoEmbeddings, initParams, resolveConfig } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { createWasmEngine, wasmEngineAvailability, WASM_VARIANT } from '../src/index.js';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('wasm engine', () => {
  it('is available in Node (WebAssembly SIMD128) and reports its variant and one thread', async () => {
    expect(wasmEngineAvailability()).toEqual({ available: true });
    const e = await createWasmEngine();
    expect([e.name, e.variant, e.threads]).toEqual(['wasm', WASM_VARIANT, 1]);
    await e.dispose();
  });

  it('the committed module was built from these sources and flags (build.mjs --check; rebuilt and compared where emcc is)', () => {
    const r = spawnSync(process.execPath, [path.join(pkg, 'src/native/build.mjs'), '--check'], { encoding: 'utf8', env: { ...process.env, PATH: process.env.MSAE_WASM_REBUILD === '1' ? process.env.PATH : path.dirname(process.execPath) } });
    expect(r.stderr.trim()).toMatch(/module current/);
    expect(r.status).toBe(0);
  });

  it('refuses jumprelu with a ConfigError naming the wasm engine', async () => {
    const e = await createWasmEngine();
    const config = resolveConfig({ dIn: 8, dSae: 16, architecture: 'jumprelu' });
    await expect(e.load({ config, params: initParams(config, 1) })).rejects.toBeInstanceOf(ConfigError);
    await expect(e.load({ config, params: initParams(config, 1) })).rejects.toThrow(/wasm/);
    await e.dispose();
  });

  it('trains 512 -> 1024 msae steps and exports the state the kernels wrote (a second engine resumes from it)', async () => {
    const config = resolveConfig({ dIn: 512, dSae: 1024, architecture: 'msae', k: 32, weighting: 'rw' });
    const x = generateDemoEmbeddings({ rows: 64, dIn: 512, seed: 3 }).x.data;
    const a = await createWasmEngine();
    await a.load({ config, params: initParams(config, 2) });
    const losses: number[] = [];
    for (let s = 0; s < 4; s++) losses.push((await a.trainStep(x, 64, 1e-3)).loss);
    expect(losses[3]).toBeLessThan(losses[0]);
    const state = await a.exportState();
    const next = (await a.trainStep(x, 64, 1e-3)).loss;
    const b = await createWasmEngine();
    await b.load({ config, ...state });
    expect((await b.trainStep(x, 64, 1e-3)).loss).toBeCloseTo(next, 6); // the exported params and moments are current
    await a.dispose();
    await b.dispose();
  });
});

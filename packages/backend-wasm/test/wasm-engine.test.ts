import { spawnSync } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, generateDemoEmbeddings, initParams, resolveConfig } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { createWasmEngine, wasmEngineAvailability, wasmThreadSupport, WASM_VARIANT } from '../src/index.js';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('wasm engine', () => {
  it('is available in Node (WebAssembly SIMD128, threads) and runs on every core by default, on 1 when asked', async () => {
    expect(wasmEngineAvailability()).toEqual({ available: true });
    expect(wasmThreadSupport()).toEqual({ available: true });
    const e = await createWasmEngine();
    expect([e.name, e.variant, e.threads]).toEqual(['wasm', WASM_VARIANT, os.availableParallelism()]);
    await e.dispose();
    const one = await createWasmEngine({ threads: 1 });
    expect(one.threads).toBe(1);
    await one.dispose();
    await expect(createWasmEngine({ threads: -1 })).rejects.toThrow(/threads must be a non-negative integer/);
  });

  it('4 threads: the threaded build trains to the same bits as the single-threaded one (chunking does not depend on threads)', async () => {
    const config = resolveConfig({ dIn: 512, dSae: 1024, architecture: 'msae', k: 32, weighting: 'rw' });
    const x = generateDemoEmbeddings({ rows: 256, dIn: 512, seed: 5 }).x.data;
    const run = async (threads: number) => {
      const e = await createWasmEngine({ threads });
      await e.load({ config, params: initParams(config, 4) });
      const losses: number[] = [];
      for (let s = 0; s < 3; s++) losses.push((await e.trainStep(x, 256, 1e-3)).loss);
      const state = await e.exportState();
      await e.dispose();
      return { threads: e.threads, losses, W_dec: state.params.W_dec };
    };
    const [one, four] = [await run(1), await run(4)];
    expect([one.threads, four.threads]).toEqual([1, 4]);
    expect(four.losses).toEqual(one.losses);
    expect(Buffer.from(four.W_dec.buffer).equals(Buffer.from(one.W_dec.buffer))).toBe(true);
  });

  it('engines at once get workers of their own (more are made when needed) and train while the others hold theirs', async () => {
    const config = resolveConfig({ dIn: 64, dSae: 256, architecture: 'msae', k: 8 });
    const x = generateDemoEmbeddings({ rows: 32, dIn: 64, seed: 1 }).x.data;
    const engines = [];
    for (let i = 0; i < 5; i++) engines.push(await createWasmEngine({ threads: 3 }));
    expect(engines.map((e) => e.threads)).toEqual([3, 3, 3, 3, 3]);
    for (const e of engines) {
      await e.load({ config, params: initParams(config, 1) });
      expect(Number.isFinite((await e.trainStep(x, 32, 1e-3)).loss)).toBe(true);
    }
    for (const e of engines) await e.dispose();
  });

  it('a threaded module that does not load gives 1 thread and the reason in wasmThreadSupport() (child process: the note is process-wide)', () => {
    const code = `import('${pathToFileURL(path.join(pkg, 'dist/index.js')).href}').then(async (w) => { const e = await w.createWasmEngine({ threads: 2, threadedModuleUrl: 'file:///nonexistent/msae_wasm_mt.mjs' }); console.log(JSON.stringify([e.threads, w.wasmThreadSupport()])); })`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const [threads, support] = JSON.parse(r.stdout) as [number, { available: boolean; reason: string }];
    expect(threads).toBe(1);
    expect(support.available).toBe(false);
    expect(support.reason).toMatch(/^the threaded module did not load from file:\/\/\/nonexistent\/msae_wasm_mt\.mjs \(.*\); running on 1 thread$/);
  });

  it('Node exits after using a threaded engine (its idle workers do not hold the process)', () => {
    const code = `import('${pathToFileURL(path.join(pkg, 'dist/index.js')).href}').then(async (w) => { const e = await w.createWasmEngine({ threads: 2 }); console.log(e.threads); })`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 });
    expect(r.error).toBeUndefined();
    expect([r.status, r.stdout.trim()]).toEqual([0, '2']);
  });

  it('the committed module was built from these sources and flags (build.mjs --check; CI also rebuilds and compares)', () => {
    const r = spawnSync(process.execPath, [path.join(pkg, 'src/native/build.mjs'), '--check'], { encoding: 'utf8', env: { ...process.env, MSAE_WASM_NO_REBUILD: '1' } });
    expect(r.stderr.trim()).toMatch(/modules current/);
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

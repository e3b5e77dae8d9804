import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createReferenceEngine, initParams, resolveConfig, type ConfigOptions } from '@msae/core';
import { createTfjsEngine, importTfjsNode, TFJS_NODE_MISSING } from '../src/index.js';
import { relativeError } from './compare.js';

function randomRows(rows: number, cols: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

describe('backend selection', () => {
  it('names the missing optional peer when the tfjs-node backend is asked for', async () => {
    await expect(createTfjsEngine({ backend: 'tensorflow' })).rejects.toThrow(TFJS_NODE_MISSING);
    expect(TFJS_NODE_MISSING).toBe(
      '@tensorflow/tfjs-node is not installed: npm i @tensorflow/tfjs-node to use --backend tfjs-node',
    );
  });

  it('passes through errors other than a missing module from tfjs-node', async () => {
    const broken = async () => {
      throw new Error('libtensorflow.so: cannot open shared object file');
    };
    await expect(importTfjsNode(broken)).rejects.toThrow('libtensorflow.so');
  });

  it('rejects an unknown backend by name', async () => {
    await expect(createTfjsEngine({ backend: 'webgl' as never })).rejects.toThrow(/unknown tfjs backend 'webgl'/);
  });

  it('defaults to wasm', async () => {
    const engine = await createTfjsEngine();
    expect(engine.name).toBe('tfjs-wasm');
    await engine.dispose();
  });
});

describe('engine behaviour', () => {
  const options: ConfigOptions[] = [
    { dIn: 16, dSae: 64, architecture: 'msae', k: 4, weighting: 'rw' },
    { dIn: 16, dSae: 64, architecture: 'topk', k: 5 },
    { dIn: 16, dSae: 64, architecture: 'batchtopk', k: 5 },
    { dIn: 16, dSae: 64, architecture: 'relu', l1: 0.01 },
  ];
  for (const opt of options) {
    it(`keeps tfjs' tensor count stable across training steps (${opt.architecture}, wasm)`, async () => {
      const config = resolveConfig(opt);
      const engine = await createTfjsEngine({ backend: 'wasm' });
      const x = randomRows(12, 16, 3);
      const before = tf.memory().numTensors;
      await engine.load({ config, params: initParams(config, 1) });
      const loaded = tf.memory().numTensors;
      await engine.trainStep(x, 12, 1e-3);
      await engine.forward(x, 12);
      await engine.gradients(x, 12);
      await engine.encode(x, 12, 3);
      await engine.decode(new Float32Array(12 * 64), 12);
      const afterOne = tf.memory().numTensors;
      for (let s = 0; s < 3; s++) await engine.trainStep(x, 12, 1e-3);
      expect(tf.memory().numTensors).toBe(afterOne);
      expect(afterOne).toBe(loaded);
      await engine.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('keeps two engines on different backends apart in one process', async () => {
    const config = resolveConfig({ dIn: 16, dSae: 64, architecture: 'msae', k: 4 });
    const params = initParams(config, 5);
    const x = randomRows(10, 16, 9);
    const cpu = await createTfjsEngine({ backend: 'cpu' });
    const wasm = await createTfjsEngine({ backend: 'wasm' });
    const ref = createReferenceEngine();
    for (const e of [cpu, wasm, ref]) await e.load({ config, params });
    for (let s = 0; s < 2; s++) for (const e of [cpu, wasm, ref]) await e.trainStep(x, 10, 1e-3);
    const want = (await ref.exportState()).params;
    for (const e of [cpu, wasm]) {
      const got = (await e.exportState()).params;
      expect(relativeError(got.W_dec, want.W_dec)).toBeLessThan(1e-4);
      expect(tf.getBackend()).toBe(e.name.replace('tfjs-', ''));
    }
    await cpu.dispose();
    await wasm.dispose();
  });

  it('does not alias the caller arrays', async () => {
    const config = resolveConfig({ dIn: 8, dSae: 16, architecture: 'topk', k: 2 });
    const params = initParams(config, 2);
    const copy = params.W_dec.slice();
    const engine = await createTfjsEngine({ backend: 'cpu' });
    await engine.load({ config, params });
    await engine.trainStep(randomRows(4, 8, 1), 4, 1e-2);
    expect(params.W_dec).toEqual(copy);
    const exported = (await engine.exportState()).params;
    exported.W_dec.fill(0);
    expect((await engine.exportState()).params.W_dec.some((v) => v !== 0)).toBe(true);
    await engine.dispose();
  });

  it('rejects inputs of the wrong size with a one-line error', async () => {
    const config = resolveConfig({ dIn: 8, dSae: 16, architecture: 'topk', k: 2 });
    const engine = await createTfjsEngine({ backend: 'wasm' });
    await expect(engine.forward(new Float32Array(8), 1)).rejects.toThrow(/load\(\) must be called first/);
    await engine.load({ config, params: initParams(config, 2) });
    await expect(engine.forward(new Float32Array(7), 1)).rejects.toThrow('tfjs-wasm engine: x must be a Float32Array of 1x8=8 values, got 7');
    await expect(engine.encode(new Float32Array(8), 1, 0)).rejects.toThrow(/k must be a positive integer/);
    await engine.dispose();
  });
});

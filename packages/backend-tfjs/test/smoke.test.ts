import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsEngine } from '../src/index.js';

function rand(n: number, seed: number) {
  let s = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) { s = (s * 1664525 + 1013904223) >>> 0; out[i] = s / 2 ** 32 - 0.5; }
  return out;
}

describe('smoke', () => {
  it('runs', async () => {
    const dIn = 8, dSae = 32, rows = 5;
    const config = { dIn, dSae, architecture: 'msae' as const, k: 4, nesting: [4, 8, 16, 32], weights: [4, 3, 2, 1], weighting: 'rw' as const, loss: 'nmse' as const, l1: 0 };
    const W_dec = rand(dSae * dIn, 1);
    const W_enc = new Float32Array(dIn * dSae);
    for (let j = 0; j < dSae; j++) for (let d = 0; d < dIn; d++) W_enc[d * dSae + j] = W_dec[j * dIn + d];
    const params = { W_enc, b_enc: rand(dSae, 2).map((v) => v * 0.1), W_dec, b_dec: rand(dIn, 3).map((v) => v * 0.1) };
    const x = rand(rows * dIn, 4);
    for (const backend of ['cpu', 'wasm'] as const) {
      const e = await createTfjsEngine({ backend });
      await e.load({ config, params });
      const f = await e.forward(x, rows);
      const g = await e.gradients(x, rows);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) console.log(backend, await e.trainStep(x, rows, 1e-3));
      expect(tf.memory().numTensors).toBe(before);
      console.log(backend, f.loss, f.levelLosses, g.grads.b_dec);
      await e.dispose();
    }
  });
});

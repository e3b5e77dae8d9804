import { initParams, resolveConfig } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { createCpuEngine } from '../src/index.js';
import { nativeBuildSkipped } from './native-status.js';

describe.skipIf(nativeBuildSkipped() !== undefined)('cpu engine input checks', () => {
  it('rejects wrong shapes and use before load with one-line errors', async () => {
    const engine = createCpuEngine({ threads: 1 });
    await expect(engine.forward(new Float32Array(16), 1)).rejects.toThrow(/call load\(\) first/);
    const config = resolveConfig({ dIn: 16, dSae: 64, architecture: 'msae', k: 4 });
    await engine.load({ config, params: initParams(config, 1) });
    await expect(engine.forward(new Float32Array(15), 1)).rejects.toThrow(/x must be a Float32Array of 1x16=16 values, got 15/);
    await expect(engine.encode(new Float32Array(16), 1, 0)).rejects.toThrow(/encode k must be a positive integer/);
    await expect(engine.decode(new Float32Array(3), 1)).rejects.toThrow(/z must be a Float32Array of 1x64=64 values/);
    await expect(engine.trainStep(new Float32Array(16), 1, NaN)).rejects.toThrow(/lr must be a finite number/);
    await engine.dispose();
    await expect(engine.forward(new Float32Array(16), 1)).rejects.toThrow(/disposed/);
  });

  it('thread count does not change the numbers', async () => {
    const config = resolveConfig({ dIn: 32, dSae: 256, architecture: 'msae', k: 8 });
    const params = initParams(config, 5);
    const rows = 300;
    const x = new Float32Array(rows * 32).map((_, i) => Math.sin(i * 0.37) * 2);
    const one = createCpuEngine({ threads: 1 });
    const two = createCpuEngine({ threads: 2 });
    await one.load({ config, params });
    await two.load({ config, params });
    const a = await one.trainStep(x, rows, 1e-3);
    const b = await two.trainStep(x, rows, 1e-3);
    expect(b.loss).toBe(a.loss);
    expect(b.gradNorm).toBe(a.gradNorm);
    const pa = (await one.exportState()).params;
    const pb = (await two.exportState()).params;
    expect(Array.from(pb.W_enc)).toEqual(Array.from(pa.W_enc));
    expect(Array.from(pb.W_dec)).toEqual(Array.from(pa.W_dec));
    await one.dispose();
    await two.dispose();
  });
});

// The native steps run on a libuv worker: the event loop keeps turning while a step runs, calls on one
// engine queue behind each other (same results as awaiting each), and dispose waits for the pending call.
import { initParams, resolveConfig } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { createCpuEngine } from '../src/index.js';
import { requireNative } from '../src/native-binding.js';
import { nativeBuildSkipped } from './native-status.js';

const config = resolveConfig({ dIn: 32, dSae: 1024, architecture: 'msae', k: 16, weighting: 'rw' });
const rows = 1024;
const x = new Float32Array(rows * config.dIn).map((_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * 1.91));

async function loaded() {
  const e = createCpuEngine({ threads: 2 });
  await e.load({ config, params: initParams(config, 7) });
  return e;
}

describe.skipIf(nativeBuildSkipped() !== undefined)('cpu engine: asynchronous native calls', () => {
  it('the event loop runs while a training step computes', async () => {
    const e = await loaded();
    let ticks = 0;
    let done = false;
    const step = e.trainStep(x, rows, 1e-3).finally(() => (done = true));
    const tick = () => {
      if (done) return;
      ticks++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const r = await step;
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(ticks).toBeGreaterThan(0); // a synchronous step would finish before the first setImmediate fires
    await e.dispose();
  });

  it('calls fired without awaiting queue up and give the same state as awaiting each', async () => {
    const seq = await loaded();
    const seqLosses: number[] = [];
    for (let i = 0; i < 3; i++) seqLosses.push((await seq.trainStep(x, rows, 1e-3)).loss);
    const seqCodes = await seq.encode(x, rows, 16);
    const par = await loaded();
    const fired = [par.trainStep(x, rows, 1e-3), par.trainStep(x, rows, 1e-3), par.trainStep(x, rows, 1e-3), par.encode(x, rows, 16)];
    const out = await Promise.all(fired);
    expect(out.slice(0, 3).map((r) => (r as { loss: number }).loss)).toEqual(seqLosses);
    const codes = out[3] as Float32Array;
    expect(codes.length).toBe(seqCodes.length);
    expect(Buffer.from(codes.buffer).equals(Buffer.from(seqCodes.buffer))).toBe(true); // bit-identical codes
    expect(await par.exportState()).toEqual(await seq.exportState());
    await seq.dispose();
    await par.dispose();
  });

  it('dispose waits for the pending step; later calls fail with a one-line error', async () => {
    const e = await loaded();
    const step = e.trainStep(x, rows, 1e-3);
    await e.dispose();
    expect(Number.isFinite((await step).loss)).toBe(true);
    await expect(e.trainStep(x, rows, 1e-3)).rejects.toThrow('cpu engine: disposed');
  });

  it('the addon refuses a second call on a busy context instead of racing it', async () => {
    const { addon } = requireNative();
    const ctx = addon.create(2);
    const a = new Float32Array(512 * 256).fill(1);
    const out = new Float32Array(512 * 512);
    const zeros = (n: number) => new Float32Array(n);
    const pending = addon.updateAsync(ctx, {
      dIn: 256, dSae: 512, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: 1, step: 1,
      W_encT: a.slice(0, 256 * 512), gW_encT: zeros(256 * 512), mW_encT: zeros(256 * 512), vW_encT: zeros(256 * 512),
      b_enc: zeros(512), gb_enc: zeros(512), mb_enc: zeros(512), vb_enc: zeros(512),
      W_dec: a.slice(0, 256 * 512), gW_dec: zeros(256 * 512), mW_dec: zeros(256 * 512), vW_dec: zeros(256 * 512),
      b_dec: zeros(256), gb_dec: zeros(256), mb_dec: zeros(256), vb_dec: zeros(256),
    });
    expect(() => addon.gemm(ctx, a, a, 512, 512, 256, true, out)).toThrow('native CPU engine busy: await the previous call first');
    expect(() => addon.dispose(ctx)).toThrow('busy');
    expect(await pending).toBe(0); // zero gradients: norm 0
    addon.gemm(ctx, a, a, 512, 512, 256, true, out);
    expect(out[0]).toBe(256);
    addon.dispose(ctx);
  });
});

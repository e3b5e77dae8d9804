import { createReferenceEngine, generateDemoEmbeddings, initParams, learningRateAt, normalize, computeNormalization, resolveConfig, type SaeEngine } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { epochOrder, freshTrainerState, rowsInMemory, trainLockstep, TrainingDivergedError, type TrainingMember } from '../src/index.js';

const x = generateDemoEmbeddings({ rows: 200, dIn: 16, seed: 3 }).x;
const config = resolveConfig({ dIn: 16, architecture: 'topk', k: 4, dSae: 32 });

async function member(name: string, seed = 1, lr = 0.003): Promise<TrainingMember> {
  const engine = createReferenceEngine();
  await engine.load({ config, params: initParams(config, seed) });
  return { name, config, normalization: computeNormalization(x), engine, state: freshTrainerState({ epochs: 2, batchSize: 64, lr, seed }) };
}

describe('trainLockstep', () => {
  it('takes the steps a hand-written loop over epochOrder and the schedule takes (bitwise the same weights)', async () => {
    const m = await member('a');
    expect(await trainLockstep([m], { source: rowsInMemory(x, 1) })).toBe('done');
    // by hand: 2 epochs x ceil(200 / 64) = 8 steps, lr_t = schedule(t, 8, 0.003)
    const engine = createReferenceEngine();
    await engine.load({ config, params: initParams(config, 1) });
    const xn = normalize(x.data, computeNormalization(x));
    let t = 0;
    for (let epoch = 0; epoch < 2; epoch++) {
      const order = epochOrder(1, epoch, 200);
      for (let from = 0; from < 200; from += 64) {
        const rows = Math.min(64, 200 - from);
        const batch = new Float32Array(rows * 16);
        for (let i = 0; i < rows; i++) batch.set(xn.subarray(order[from + i] * 16, (order[from + i] + 1) * 16), i * 16);
        await engine.trainStep(batch, rows, learningRateAt(t++, 8, 0.003));
      }
    }
    expect(m.state.globalStep).toBe(8);
    expect((await m.engine.exportState()).params.W_enc).toEqual((await engine.exportState()).params.W_enc);
  });

  it('stops after the step during which the signal aborted, and a later call resumes to the uninterrupted weights', async () => {
    const straight = await member('a');
    await trainLockstep([straight], { source: rowsInMemory(x, 1) });
    const split = await member('b');
    const stop = new AbortController();
    const seen: number[] = [];
    const outcome = await trainLockstep([split], { source: rowsInMemory(x, 1), signal: stop.signal, onStep: (p) => void (seen.push(p.globalStep), p.globalStep === 5 && stop.abort()) });
    expect(outcome).toBe('stopped');
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect([split.state.epoch, split.state.stepInEpoch]).toEqual([1, 1]);
    expect(await trainLockstep([split], { source: rowsInMemory(x, 1) })).toBe('done');
    expect((await split.engine.exportState()).params.W_enc).toEqual((await straight.engine.exportState()).params.W_enc);
  });

  it('a Stop message posted while training is handled within one step (the loop yields between steps)', async () => {
    const m = await member('a');
    const stop = new AbortController();
    let steps = 0;
    setImmediate(() => stop.abort()); // a task: runs only when the loop yields to the event loop
    const outcome = await trainLockstep([m], { source: rowsInMemory(x, 1), signal: stop.signal, onStep: () => void steps++ });
    expect(outcome).toBe('stopped');
    expect(steps).toBe(1);
  });

  it('calls onCheckpointDue every N steps and reports each member per epoch with validation', async () => {
    const members = [await member('a', 1), await member('b', 2, 0.001)];
    const due: number[] = [];
    const epochs: string[] = [];
    await trainLockstep(members, {
      source: rowsInMemory(x, 1),
      validation: x,
      checkpointEvery: { steps: 3 },
      onCheckpointDue: async (at) => void due.push(at.globalStep),
      onEpoch: (s) => void epochs.push(...s.map((e) => `${e.member}@${e.epoch}:${e.val.map((v) => v.k).join('/')}`)),
    });
    expect(due).toEqual([3, 6]);
    expect(epochs).toEqual(['a@1:4/32', 'b@1:4/32', 'a@2:4/32', 'b@2:4/32']);
  });

  it('names the member whose loss diverged', async () => {
    const broken: SaeEngine = { ...createReferenceEngine(), trainStep: async () => ({ loss: Number.NaN, levelLosses: [], gradNorm: 0 }) };
    const ok = await member('a');
    const bad = { ...(await member('b')), engine: broken };
    const err = await trainLockstep([ok, bad], { source: rowsInMemory(x, 1) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingDivergedError);
    expect((err as Error).message).toBe('b: training diverged: loss is NaN at step 0 (try a lower learning rate, --lr)');
  });
});

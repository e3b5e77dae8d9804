import { createReferenceEngine, generateDemoEmbeddings, initParams, resolveConfig } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { timedSteps } from '../src/index.js';

describe('timedSteps (the benchmarks\' loop)', () => {
  it('takes warm-up then timed steps of one batch, calls afterWarmup in between, and trains like plain steps', async () => {
    const config = resolveConfig({ dIn: 8, architecture: 'topk', k: 2, dSae: 16 });
    const x = generateDemoEmbeddings({ rows: 32, dIn: 8, seed: 1 }).x.data;
    const a = createReferenceEngine();
    await a.load({ config, params: initParams(config, 1) });
    const events: string[] = [];
    const { seconds, loss } = await timedSteps(a, x, 32, { lr: 1e-3, warmup: 2, steps: 3, afterWarmup: () => events.push('reset'), onStep: (s) => events.push(`${s.phase}${s.step}`) });
    expect(events).toEqual(['warmup1', 'warmup2', 'reset', 'timed1', 'timed2', 'timed3']);
    expect(seconds).toHaveLength(3);
    expect(seconds.every((s) => s >= 0)).toBe(true);
    const b = createReferenceEngine();
    await b.load({ config, params: initParams(config, 1) });
    let last = 0;
    for (let s = 0; s < 5; s++) last = (await b.trainStep(x, 32, 1e-3)).loss;
    expect(loss).toBe(last);
  });
});

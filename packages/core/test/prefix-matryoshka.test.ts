import { describe, expect, it } from 'vitest';
import { groupPrefixEnds } from '../src/architectures/prefix-groups.js';
import { resolveConfig } from '../src/config-resolution.js';
import { referenceForward } from '../src/reference-engine.js';
import { initParams } from '../src/init.js';
import { Rng } from '../src/rng.js';

describe('prefix Matryoshka (matryoshka-batchtopk)', () => {
  it('groups as latent counts or fractions -> prefix ends', () => {
    expect(groupPrefixEnds([256, 256, 3584], 4096)).toEqual([256, 512, 4096]);
    expect(groupPrefixEnds([0.25, 0.75], 4096)).toEqual([1024, 4096]);
    expect(groupPrefixEnds([1 / 3, 1 / 3, 1 / 3], 100)).toEqual([33, 66, 100]);
    expect(() => groupPrefixEnds([100, 100], 4096)).toThrow(/must sum to d_sae \(4096\), got 200/);
    expect(() => groupPrefixEnds([0.5, 0.25], 64)).toThrow(/fractions must sum to 1/);
    expect(() => groupPrefixEnds([0.5, 32], 64)).toThrow(/all latent counts/);
  });

  it('defaults: groups 1/16, 1/16, 1/8, 1/4, 1/2, weights 1, BatchTopK k 64', () => {
    const c = resolveConfig({ dIn: 512, architecture: 'matryoshka-batchtopk' });
    expect(c.nesting).toEqual([256, 512, 1024, 2048, 4096]);
    expect(c.weights).toEqual([1, 1, 1, 1, 1]);
    expect(c.k).toBe(64);
    expect(() => resolveConfig({ dIn: 8, architecture: 'msae', groups: [0.5, 0.5] })).toThrow(/groups apply only to the matryoshka-batchtopk architecture/);
  });

  it('level g reconstructs from the batch-selected latents of groups 1..g; the last level is BatchTopK', () => {
    const config = resolveConfig({ dIn: 8, dSae: 32, architecture: 'matryoshka-batchtopk', k: 4, groups: [4, 12, 16], groupWeights: [1, 2, 3] });
    const params = initParams(config, 3);
    const rng = new Rng(9);
    const rows = 5;
    const x = new Float32Array(rows * 8).map(() => rng.normal());
    const f = referenceForward(config, params, x, rows);
    // selected entries: the 4 * 5 largest activations of the batch; their level is the group of the latent index
    const order = Array.from(f.acts.keys()).sort((p, q) => f.acts[q] - f.acts[p] || p - q);
    const kept = new Set(order.slice(0, 20).filter((e) => f.acts[e] > 0));
    for (let e = 0; e < f.level.length; e++) {
      const j = e % 32;
      expect(f.level[e]).toBe(kept.has(e) ? (j < 4 ? 0 : j < 16 ? 1 : 2) : 3);
    }
    // loss = (1 L_0 + 2 L_1 + 3 L_2) / 6
    expect(f.loss).toBeCloseTo((f.levelLosses[0] + 2 * f.levelLosses[1] + 3 * f.levelLosses[2]) / 6, 12);
  });
});

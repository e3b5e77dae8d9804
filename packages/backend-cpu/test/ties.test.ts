// Exact ties in the ranking (duplicated encoder columns give bit-identical pre-activations): the engine must
// keep the lower latent index first, at every nesting level, exactly like the reference engine.
import { createReferenceEngine, resolveConfig, Rng, type SaeConfig, type SaeParams } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { createCpuEngine } from '../src/index.js';
import { nativeBuildSkipped } from './native-status.js';

function tiedParams(config: SaeConfig, rng: Rng): SaeParams {
  const { dIn, dSae } = config;
  const W_enc = new Float32Array(dIn * dSae);
  // latent j copies column j mod 8: every value appears dSae/8 times in each row
  for (let d = 0; d < dIn; d++) for (let j = 0; j < dSae; j++) W_enc[d * dSae + j] = j < 8 ? rng.normal() : W_enc[d * dSae + (j % 8)];
  const W_dec = new Float32Array(dSae * dIn).map(() => rng.normal() * 0.3);
  return { W_enc, b_enc: new Float32Array(dSae), W_dec, b_dec: new Float32Array(dIn) };
}

describe.skipIf(nativeBuildSkipped() !== undefined)('ties broken by lower index', () => {
  for (const architecture of ['msae', 'topk', 'batchtopk'] as const) {
    it(`${architecture}: codes and reconstructions match the reference with exact ties`, async () => {
      const config = resolveConfig({ dIn: 8, dSae: 64, architecture, k: 4, weighting: 'rw' });
      const rng = new Rng(3);
      const params = tiedParams(config, rng);
      const rows = 5;
      const x = new Float32Array(rows * config.dIn).map(() => rng.normal());
      const ours = createCpuEngine({ threads: 2 });
      const ref = createReferenceEngine();
      await ours.load({ config, params });
      await ref.load({ config, params });
      const a = await ours.forward(x, rows);
      const b = await ref.forward(x, rows);
      // same kept set (the values tie, so compare the pattern exactly)
      expect(Array.from(a.codes, (v) => v !== 0)).toEqual(Array.from(b.codes, (v) => v !== 0));
      let nz = 0;
      for (const v of b.codes) nz += v !== 0 ? 1 : 0;
      expect(nz).toBeGreaterThan(0);
      for (let i = 0; i < b.recons.length; i++) {
        for (let e = 0; e < b.recons[i].length; e++) expect(a.recons[i][e]).toBeCloseTo(b.recons[i][e], 4);
      }
      for (const k of [1, 3, 9]) {
        const ea = await ours.encode(x, rows, k);
        const eb = await ref.encode(x, rows, k);
        expect(Array.from(ea, (v) => v !== 0)).toEqual(Array.from(eb, (v) => v !== 0));
      }
      await ours.dispose();
      await ref.dispose();
    });
  }

  it('msae with 8 nesting levels over 512 latents: the same kept codes and levels as the reference', async () => {
    const config = resolveConfig({ dIn: 16, dSae: 512, architecture: 'msae', k: 4, weighting: 'rw' });
    const rng = new Rng(11);
    const params = {
      W_enc: new Float32Array(16 * 512).map(() => rng.normal()),
      b_enc: new Float32Array(512).map(() => 0.5 * rng.normal()),
      W_dec: new Float32Array(512 * 16).map(() => 0.2 * rng.normal()),
      b_dec: new Float32Array(16),
    };
    const rows = 40;
    const x = new Float32Array(rows * 16).map(() => rng.normal());
    const ours = createCpuEngine({ threads: 2 });
    const ref = createReferenceEngine();
    await ours.load({ config, params });
    await ref.load({ config, params });
    const a = await ours.forward(x, rows);
    const b = await ref.forward(x, rows);
    expect(config.nesting).toEqual([4, 8, 16, 32, 64, 128, 256, 512]);
    expect(Array.from(a.codes, (v) => v !== 0)).toEqual(Array.from(b.codes, (v) => v !== 0));
    for (let i = 0; i < b.levelLosses.length; i++) expect(a.levelLosses[i]).toBeCloseTo(b.levelLosses[i], 4);
    await ours.dispose();
    await ref.dispose();
  });
});

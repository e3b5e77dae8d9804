/**
 * AuxK in the reference engine: known answers of the dead-latent bookkeeping and the selection, finite-difference
 * gradients of the total loss (recon + auxWeight * L_aux) with the dead mask and selection fixed, and that an
 * engine that ignores the dead counts fails the AuxK conformance cases.
 */
import { describe, expect, it } from 'vitest';
import { auxSelection, deadLatentMask, defaultAuxK, updateSamplesSinceFired } from '../src/aux-k.js';
import { conformanceCases } from '../src/conformance/index.js';
import type { SaeConfig } from '../src/config.js';
import { resolveConfig } from '../src/config-resolution.js';
import type { SaeEngine, SaeParams } from '../src/engine.js';
import { zeroAdamState } from '../src/optimizer.js';
import { createReferenceEngine, referenceForward } from '../src/reference-engine.js';
import { Rng } from '../src/rng.js';
import { finiteDifferenceSweep, randomParams } from './finite-differences.js';

describe('AuxK bookkeeping', () => {
  it('counts samples since firing, capped at deadAfter, and marks s >= deadAfter dead', () => {
    const s = Float32Array.from([0, 5, 9, 10, 3]);
    updateSamplesSinceFired(s, Uint8Array.from([0, 1, 0, 0, 0]), 4, 10);
    expect(Array.from(s)).toEqual([4, 0, 10, 10, 7]);
    expect(Array.from(deadLatentMask(s, 10))).toEqual([0, 0, 1, 1, 0]);
  });

  it('selects per row the top min(auxK, #dead) positive dead activations, ties by lower index', () => {
    // 2 rows x 5 latents; dead = {0, 2, 3, 4}
    const acts = Float64Array.from([0.5, 9, 0.7, 0.7, 0, /* row 1 */ 0, 9, 0, 0.1, 0]);
    const sel = auxSelection(acts, 2, 5, Uint8Array.from([1, 0, 1, 1, 1]), 2);
    expect(Array.from(sel.mask)).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 1, 0]);
    expect(sel.dead).toBe(4);
    expect(sel.scale).toBe(1);
    // fewer dead latents than auxK: the loss is scaled by #dead / auxK
    expect(auxSelection(acts, 2, 5, Uint8Array.from([1, 0, 0, 0, 0]), 4).scale).toBe(0.25);
    expect(defaultAuxK(512, 4096)).toBe(256);
  });

  it('resolveConfig fills the AuxK defaults and refuses AuxK for relu', () => {
    const c = resolveConfig({ dIn: 16, dSae: 64, architecture: 'topk', k: 4, deadAfter: 100 });
    expect([c.auxK, c.auxWeight, c.deadAfter]).toEqual([8, 1 / 32, 100]);
    expect(resolveConfig({ dIn: 16, dSae: 64, architecture: 'topk', k: 4 }).auxK).toBeUndefined();
    expect(() => resolveConfig({ dIn: 16, dSae: 64, architecture: 'relu', auxK: 4 })).toThrow(/AuxK applies only to/);
    expect(() => resolveConfig({ dIn: 16, dSae: 64, architecture: 'msae', auxK: 65 })).toThrow(/auxK must be an integer in 1..d_sae/);
  });
});

/** Which level keeps each entry, its ReLU sign, and the AuxK selection: the loss is smooth while this is fixed. */
function selectionKey(c: SaeConfig, p: SaeParams, x: Float32Array, rows: number, dead: Uint8Array): string {
  const f = referenceForward(c, p, x, rows, dead);
  let key = '';
  for (let e = 0; e < f.level.length; e++) key += (f.pre[e] > 0 ? String.fromCharCode(65 + f.level[e]) : '-') + (f.aux!.mask[e] ? '*' : '');
  return key;
}

/**
 * The objective whose gradient the engines compute: the residual e = x - recon_0 is a constant (detached, as in
 * Gao et al. / SAELens / sparsify), so the aux term is evaluated against the unperturbed e0.
 */
function detachedLoss(c: SaeConfig, p: SaeParams, x: Float32Array, rows: number, dead: Uint8Array, e0: Float64Array): number {
  const f = referenceForward(c, p, x, rows, dead);
  const aux = f.aux!;
  let total = 0;
  for (let b = 0; b < rows; b++) {
    let err = 0;
    let energy = 0;
    for (let d = 0; d < c.dIn; d++) {
      const diff = aux.recon[b * c.dIn + d] - e0[b * c.dIn + d];
      err += diff * diff;
      energy += x[b * c.dIn + d] ** 2;
    }
    total += c.loss === 'nmse' ? err / energy : err;
  }
  const L = aux.scale * (c.loss === 'nmse' ? total / rows : total / (rows * c.dIn)); // L_aux = scale * Loss(e^, e0)
  return f.reconLoss + f.l1Loss + c.auxWeight! * L;
}

const fdCases: { name: string; opts: Parameters<typeof resolveConfig>[0] }[] = [
  { name: 'msae rw nmse + AuxK', opts: { dIn: 6, dSae: 24, architecture: 'msae', k: 2, weighting: 'rw', loss: 'nmse', auxK: 3, auxWeight: 0.7, deadAfter: 10 } },
  { name: 'topk mse + AuxK', opts: { dIn: 6, dSae: 24, architecture: 'topk', k: 4, loss: 'mse', auxK: 3, auxWeight: 0.7, deadAfter: 10 } },
  { name: 'batchtopk nmse + AuxK', opts: { dIn: 6, dSae: 24, architecture: 'batchtopk', k: 4, loss: 'nmse', auxK: 5, auxWeight: 0.7, deadAfter: 10 } },
];

describe('finite-difference gradients with AuxK', () => {
  for (const [ci, { name, opts }] of fdCases.entries()) {
    it(name, async () => {
      const config = resolveConfig(opts);
      const rng = new Rng(2000 + ci);
      const rows = 7;
      const params = randomParams(config, rng);
      const x = new Float32Array(rows * config.dIn).map(() => rng.normal());
      // latents 0..15 dead (s = deadAfter), 16..23 alive
      const since = new Float32Array(config.dSae).map((_, j) => (j < 16 ? config.deadAfter! : 0));
      const dead = deadLatentMask(since, config.deadAfter!);
      const engine = createReferenceEngine();
      await engine.load({ config, params, adam: { ...zeroAdamState(config), samplesSinceFired: since } });
      const { grads, loss } = await engine.gradients(x, rows);
      const f0 = referenceForward(config, params, x, rows, dead);
      expect(loss).toBeCloseTo(f0.loss, 12);
      expect(f0.aux!.loss).toBeGreaterThan(0);
      // the AuxK term changes the gradient (not vacuous)
      const plain = referenceForward(config, params, x, rows, new Uint8Array(config.dSae));
      expect(Math.abs(f0.loss - plain.loss)).toBeGreaterThan(1e-3 * plain.loss);
      // the loss is quadratic in one parameter at fixed selection, so the central difference is exact
      const { checked, skipped } = finiteDifferenceSweep({
        params,
        grads,
        f0: f0.loss,
        loss: (q) => detachedLoss(config, q, x, rows, dead, f0.aux!.residual),
        selection: (q) => selectionKey(config, q, x, rows, dead),
        check: (pname, i, analytic, fd, scale) => {
          if (Math.abs(fd - analytic) > 1e-6 * scale + 1e-7 * Math.abs(fd) + 1e-9) {
            throw new Error(`${name}: d loss / d ${pname}[${i}] analytic ${analytic} vs finite difference ${fd}`);
          }
        },
      });
      expect(checked).toBeGreaterThan(0.9 * (checked + skipped));
    });
  }
});

describe('AuxK conformance catches an engine that ignores the dead counts', () => {
  it('fails the gradients case of an AuxK config', async () => {
    const ignoring = (): SaeEngine => {
      const ref = createReferenceEngine();
      return { ...ref, name: 'no-aux', load: (s) => ref.load({ ...s, adam: s.adam ? { ...s.adam, samplesSinceFired: undefined } : undefined }),
        gradients: (x, r) => ref.gradients(x, r), forward: (x, r) => ref.forward(x, r), trainStep: (x, r, lr) => ref.trainStep(x, r, lr),
        encode: (x, r, k) => ref.encode(x, r, k), decode: (z, r) => ref.decode(z, r), exportState: () => ref.exportState(), dispose: () => ref.dispose() };
    };
    const c = conformanceCases({ filter: (n) => n.includes('auxk') && n.endsWith(': gradients') });
    expect(c.length).toBe(4);
    for (const one of c) await expect(one.run(ignoring)).rejects.toThrow(/differs from the reference/);
  });
});

describe('AuxK in checkpoints', () => {
  it('cfg.json carries aux_k / aux_k_coefficient / dead_after_samples and the counts round-trip exactly', async () => {
    const { encodeCheckpoint, decodeCheckpoint, encodeOptimizerState, decodeOptimizerState } = await import('../src/checkpoint.js');
    const config = resolveConfig({ dIn: 4, dSae: 8, architecture: 'msae', k: 2, auxK: 3, auxWeight: 0.25, deadAfter: 16_000_000 });
    const rng = new Rng(5);
    const params = randomParams(config, rng);
    const { cfgJson, weights } = encodeCheckpoint({ config, params, normalization: { mean: new Float32Array(4), scale: 1 } });
    expect(JSON.parse(cfgJson)).toMatchObject({ aux_k: 3, aux_k_coefficient: 0.25, dead_after_samples: 16_000_000 });
    expect(decodeCheckpoint(cfgJson, weights).config).toEqual(config);
    const adam = { ...zeroAdamState(config), step: 3, samplesSinceFired: Float32Array.from([0, 1, 16_000_000, 15_999_999, 7, 0, 2, 3]) };
    const back = decodeOptimizerState(encodeOptimizerState(adam), config);
    expect(Array.from(back.samplesSinceFired!)).toEqual(Array.from(adam.samplesSinceFired));
  });
});

/**
 * Finite-difference gradient checks of the reference engine for all four architectures.
 * With the selection (TopK masks, ReLU signs) fixed, the loss is a quadratic function of any single parameter,
 * so a central difference with the actual float32 steps h+ and h- is exact up to float64 rounding:
 *   f'(p) = (h-^2 (f+ - f0) + h+^2 (f0 - f-)) / (h+ h- (h+ + h-)).
 * Parameters whose perturbation changes the selection are skipped (and counted).
 */
import { describe, expect, it } from 'vitest';
import type { SaeConfig } from '../src/config.js';
import { resolveConfig } from '../src/config-resolution.js';
import type { SaeParams } from '../src/engine.js';
import { PARAM_NAMES, } from '../src/params.js';
import { createReferenceEngine, referenceForward } from '../src/reference-engine.js';
import { Rng } from '../src/rng.js';
import { finiteDifferenceSweep, randomParams } from './finite-differences.js';

function selectionKey(c: SaeConfig, p: SaeParams, x: Float32Array, rows: number): string {
  const f = referenceForward(c, p, x, rows);
  let key = '';
  for (let e = 0; e < f.level.length; e++) key += f.pre[e] > 0 ? String.fromCharCode(65 + f.level[e]) : '-';
  return key;
}

const cases: { name: string; opts: Parameters<typeof resolveConfig>[0] }[] = [
  { name: 'msae rw nmse', opts: { dIn: 6, dSae: 24, architecture: 'msae', k: 2, weighting: 'rw', loss: 'nmse' } },
  { name: 'msae uw nmse', opts: { dIn: 6, dSae: 24, architecture: 'msae', k: 2, weighting: 'uw', loss: 'nmse' } },
  { name: 'msae rw mse', opts: { dIn: 6, dSae: 24, architecture: 'msae', k: 3, weighting: 'rw', loss: 'mse' } },
  { name: 'topk nmse', opts: { dIn: 6, dSae: 24, architecture: 'topk', k: 5, loss: 'nmse' } },
  { name: 'topk mse', opts: { dIn: 6, dSae: 24, architecture: 'topk', k: 5, loss: 'mse' } },
  { name: 'batchtopk nmse', opts: { dIn: 6, dSae: 24, architecture: 'batchtopk', k: 4, loss: 'nmse' } },
  { name: 'batchtopk mse', opts: { dIn: 6, dSae: 24, architecture: 'batchtopk', k: 4, loss: 'mse' } },
  { name: 'relu nmse l1', opts: { dIn: 6, dSae: 24, architecture: 'relu', l1: 0.05, loss: 'nmse' } },
  { name: 'relu mse l1', opts: { dIn: 6, dSae: 24, architecture: 'relu', l1: 0.05, loss: 'mse' } },
  { name: 'matryoshka-batchtopk nmse', opts: { dIn: 6, dSae: 24, architecture: 'matryoshka-batchtopk', k: 4, groups: [4, 4, 16], groupWeights: [3, 2, 1], loss: 'nmse' } },
  { name: 'matryoshka-batchtopk mse', opts: { dIn: 6, dSae: 24, architecture: 'matryoshka-batchtopk', k: 3, groups: [0.25, 0.75], loss: 'mse' } },
];

describe('finite-difference gradients of the reference engine', () => {
  for (const [ci, { name, opts }] of cases.entries()) {
    it(name, async () => {
      const config = resolveConfig(opts);
      const rng = new Rng(1000 + ci);
      const rows = 7;
      const params = randomParams(config, rng);
      const x = new Float32Array(rows * config.dIn).map(() => rng.normal());
      const engine = createReferenceEngine();
      await engine.load({ config, params });
      const { grads, loss } = await engine.gradients(x, rows);
      const f0 = referenceForward(config, params, x, rows).loss;
      expect(loss).toBeCloseTo(f0, 12);
      const { checked, skipped } = finiteDifferenceSweep({
        params,
        grads,
        f0,
        loss: (q) => referenceForward(config, q, x, rows).loss,
        selection: (q) => selectionKey(config, q, x, rows),
        check: (pname, i, analytic, fd, scale) => {
          if (Math.abs(fd - analytic) > 1e-6 * scale + 1e-7 * Math.abs(fd) + 1e-9) {
            throw new Error(`${name}: d loss / d ${pname}[${i}] analytic ${analytic} vs finite difference ${fd}`);
          }
        },
      });
      const total = checked + skipped;
      expect(checked).toBeGreaterThan(0.9 * total);
      // the check is not vacuous: gradients are non-zero in every tensor
      for (const pname of PARAM_NAMES) expect(grads[pname].some((v) => Math.abs(v) > 1e-6)).toBe(true);
    });
  }
});

/** Shared by the reference engine's gradient tests: seeded random parameters and the finite-difference sweep. */
import type { SaeConfig } from '../src/config.js';
import type { SaeParams } from '../src/engine.js';
import { PARAM_NAMES, cloneParams } from '../src/params.js';
import type { Rng } from '../src/rng.js';

/** Random parameters of the config's shape (the four SAELens tensors; log_threshold too when asked). */
export function randomParams(c: SaeConfig, rng: Rng, logThreshold?: () => number): SaeParams {
  const { dIn, dSae } = c;
  const p: SaeParams = {
    W_enc: new Float32Array(dIn * dSae).map(() => rng.normal() * 0.4),
    b_enc: new Float32Array(dSae).map(() => rng.normal() * 0.2),
    W_dec: new Float32Array(dSae * dIn).map(() => rng.normal() * 0.3),
    b_dec: new Float32Array(dIn).map(() => rng.normal() * 0.2),
  };
  if (logThreshold) p.log_threshold = new Float32Array(dSae).map(logThreshold);
  return p;
}

export interface FiniteDifferenceSweep {
  params: SaeParams;
  grads: SaeParams;
  /** Loss at the unperturbed params. */
  f0: number;
  /** Loss of perturbed params. */
  loss: (p: SaeParams) => number;
  /** A key of the discrete selection; entries whose +-h perturbation changes it are skipped (the loss is not smooth there). */
  selection: (p: SaeParams) => string;
  /** Called for every checked entry with the analytic gradient, the finite difference and the max |gradient| of its tensor. */
  check: (name: string, i: number, analytic: number, fd: number, scale: number) => void;
  h?: number;
}

/**
 * Central differences over every entry of W_enc, b_enc, W_dec, b_dec with the actual float32 steps hp, hm:
 * fd = (hm^2 (f+ - f0) + hp^2 (f0 - f-)) / (hp hm (hp + hm)), exact for a loss quadratic in one parameter.
 */
export function finiteDifferenceSweep(s: FiniteDifferenceSweep): { checked: number; skipped: number } {
  const h = s.h ?? 1e-3;
  const key0 = s.selection(s.params);
  let checked = 0;
  let skipped = 0;
  for (const pname of PARAM_NAMES) {
    const g = s.grads[pname];
    let scale = 0;
    for (const v of g) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < s.params[pname].length; i++) {
      const plus = cloneParams(s.params);
      const minus = cloneParams(s.params);
      const p = s.params[pname][i];
      plus[pname][i] = p + h;
      minus[pname][i] = p - h;
      const hp = plus[pname][i] - p; // actual float32 steps
      const hm = p - minus[pname][i];
      if (s.selection(plus) !== key0 || s.selection(minus) !== key0) {
        skipped++;
        continue;
      }
      const fp = s.loss(plus);
      const fm = s.loss(minus);
      const fd = (hm * hm * (fp - s.f0) + hp * hp * (s.f0 - fm)) / (hp * hm * (hp + hm));
      s.check(pname, i, g[i], fd, scale);
      checked++;
    }
  }
  return { checked, skipped };
}

/**
 * JumpReLU in the reference engine (see architectures/jumprelu.ts): theta = exp(log_threshold) and the backward
 * pass with true gradients through the kept codes and the straight-through estimator for theta.
 */
import { ArgumentError } from './errors.js';
import type { SaeConfig } from './config.js';
import type { SaeParams } from './engine.js';
import { getArchitecture } from './architectures/registry.js';
import type { ReferenceForward } from './reference-forward.js';

/** theta = exp(log_threshold) of a jumprelu config (float64), null for the other architectures. */
export function thresholds(config: SaeConfig, p: SaeParams): Float64Array | null {
  if (getArchitecture(config.architecture).activation.train !== 'jumprelu') return null;
  if (!p.log_threshold) throw new ArgumentError(`reference engine`, `${config.architecture} params need log_threshold`);
  return Float64Array.from(p.log_threshold, Math.exp); // theta_j = exp(log_threshold_j)
}

/**
 * JumpReLU backward (one level): with g_b = dL/drecon[b] and dz_bj = W_dec[j] . g_b,
 *   true gradients through z = pre * H(u), u = pre - theta: dpre = H(u) dz, dW_dec[j] += z_bj g_b;
 *   straight-through for theta (K(u) = 1{|u| < eps/2} / eps): dL/dtheta_j = sum_b -K(u_bj) (theta_j dz_bj + l0 / B);
 *   dL/dlog_threshold_j = theta_j dL/dtheta_j.
 */
export function jumpReluGradients(config: SaeConfig, p: SaeParams, x: Float32Array, f: ReferenceForward, theta: Float64Array): SaeParams {
  const { dIn, dSae } = config;
  const rows = f.rows;
  const eps = config.bandwidth ?? 0;
  const l0PerRow = (config.l0 ?? 0) / rows;
  const gWenc = new Float64Array(dIn * dSae);
  const gBenc = new Float64Array(dSae);
  const gWdec = new Float64Array(dSae * dIn);
  const gBdec = new Float64Array(dIn);
  const gTheta = new Float64Array(dSae);
  const gRecon = new Float64Array(dIn);
  const dpre = new Float64Array(dSae);
  const { W_enc, W_dec } = p;
  const r = f.recons[0];
  for (let b = 0; b < rows; b++) {
    const xo = b * dIn;
    let denom = rows * dIn;
    if (config.loss === 'nmse') {
      let energy = 0;
      for (let d = 0; d < dIn; d++) energy += x[xo + d] * x[xo + d];
      denom = rows * energy;
    }
    // g_b = 2 (recon_b - x_b) / (B sum_d x_b^2)  [nmse]  or  / (B dIn)  [mse]
    for (let d = 0; d < dIn; d++) gRecon[d] = (2 * (r[xo + d] - x[xo + d])) / denom;
    for (let d = 0; d < dIn; d++) gBdec[d] += gRecon[d];
    for (let j = 0; j < dSae; j++) {
      const e = b * dSae + j;
      const kept = f.level[e] === 0;
      const u = f.pre[e] - theta[j];
      const inBand = Math.abs(u) < eps / 2;
      dpre[j] = 0;
      if (!kept && !inBand) continue;
      const wo = j * dIn;
      let dz = 0;
      for (let d = 0; d < dIn; d++) dz += W_dec[wo + d] * gRecon[d]; // dz_bj = W_dec[j] . g_b
      if (kept) {
        const z = f.pre[e];
        for (let d = 0; d < dIn; d++) gWdec[wo + d] += z * gRecon[d]; // dW_dec[j] += z_bj g_b
        dpre[j] = dz; // dz/dpre = H(u) = 1
      }
      if (inBand) gTheta[j] -= (theta[j] * dz + l0PerRow) / eps; // -K(u) (theta dz + l0 / B)
    }
    for (let d = 0; d < dIn; d++) {
      const c = f.centred[xo + d];
      const wo = d * dSae;
      let back = 0;
      for (let j = 0; j < dSae; j++) {
        if (dpre[j] === 0) continue;
        gWenc[wo + j] += c * dpre[j]; // dW_enc[d, j] += (x - b_dec)_d dpre_j
        back += W_enc[wo + j] * dpre[j];
      }
      gBdec[d] -= back; // pre depends on -b_dec W_enc
    }
    for (let j = 0; j < dSae; j++) gBenc[j] += dpre[j];
  }
  return {
    W_enc: Float32Array.from(gWenc),
    b_enc: Float32Array.from(gBenc),
    W_dec: Float32Array.from(gWdec),
    b_dec: Float32Array.from(gBdec),
    log_threshold: Float32Array.from(gTheta, (g, j) => g * theta[j]), // d/dlog theta = theta d/dtheta
  };
}

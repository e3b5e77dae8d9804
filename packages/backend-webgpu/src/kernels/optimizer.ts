/**
 * The update, on the GPU (steps 2-5 of the engine contract):
 *   renormProjectWgsl, one workgroup per latent j:  n_j = ||W_dec[j]||;  W_dec[j] /= n_j;  W_enc[:, j] *= n_j;
 *     b_enc[j] *= n_j (rows of norm 0 unchanged);  G[j] -= (G[j] . W_dec[j]) W_dec[j]  (decoder-gradient projection);
 *     sq[j] = ||dW_dec[j]||^2 + ||dW_enc[:, j]||^2 + db_enc[j]^2
 *   gradNormWgsl: norm = sqrt(sum_j sq[j] + ||db_dec||^2);  coef = clip / (norm + 1e-6) if norm > clip else 1
 *   adamwWgsl (torch AdamW): g = coef g;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *     p = p (1 - lr wd) - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 */
import { CLIP_EPS } from '@msae/core/internal';
import type { KernelDims } from './prelude.js';
import { f32, FLAT_INDEX_WGSL, RUN_WGSL } from './prelude.js';
import { reduceSumWgsl } from './reduce.js';

export const RENORM_THREADS = 64;

/** Words of the stats buffer after the level losses and the l1 sum. */
export function statsSlots(levels: number): { gradNorm: number; coef: number } {
  return { gradNorm: levels + 1, coef: levels + 2 };
}

export function renormProjectWgsl(dims: KernelDims, layout: { wEnc: number; bEnc: number; wDec: number }): string {
  const { dIn: D, dSae: S } = dims;
  const WG = RENORM_THREADS;
  const DPT = Math.ceil(D / WG);
  return /* wgsl */ `${RUN_WGSL}${reduceSumWgsl(WG)}
@group(0) @binding(1) var<storage, read_write> p: array<f32>;
@group(0) @binding(2) var<storage, read_write> grads: array<f32>;
@group(0) @binding(3) var<storage, read_write> sq: array<f32>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  _ = run.rows;
  let j = wid.y * nwg.x + wid.x;
  if (j >= ${S}u) { return; }
  let row = j * ${D}u;
  var w: array<f32, ${DPT}>;
  var n2 = 0.0;
  for (var q = 0u; q < ${DPT}u; q++) {
    let d = t + ${WG}u * q;
    if (d < ${D}u) { w[q] = p[${layout.wDec}u + row + d]; n2 += w[q] * w[q]; }
  }
  let norm = sqrt(reduceSum(t, n2));
  if (norm > 0.0) {
    for (var q = 0u; q < ${DPT}u; q++) {
      let d = t + ${WG}u * q;
      if (d < ${D}u) {
        w[q] = w[q] / norm;
        p[${layout.wDec}u + row + d] = w[q];
        p[${layout.wEnc}u + row + d] = p[${layout.wEnc}u + row + d] * norm;
      }
    }
    if (t == 0u) { p[${layout.bEnc}u + j] = p[${layout.bEnc}u + j] * norm; }
  }
  var g: array<f32, ${DPT}>;
  var dot = 0.0;
  for (var q = 0u; q < ${DPT}u; q++) {
    let d = t + ${WG}u * q;
    if (d < ${D}u) { g[q] = grads[${layout.wDec}u + row + d]; dot += g[q] * w[q]; }
  }
  let proj = reduceSum(t, dot);
  var s = 0.0;
  for (var q = 0u; q < ${DPT}u; q++) {
    let d = t + ${WG}u * q;
    if (d < ${D}u) {
      let gq = g[q] - proj * w[q];
      grads[${layout.wDec}u + row + d] = gq;
      let ge = grads[${layout.wEnc}u + row + d];
      s += gq * gq + ge * ge;
    }
  }
  let total = reduceSum(t, s);
  if (t == 0u) {
    let gb = grads[${layout.bEnc}u + j];
    sq[j] = total + gb * gb;
  }
}
`;
}

export function gradNormWgsl(dims: KernelDims, bDecOffset: number): string {
  const { dIn: D, dSae: S, levels: L } = dims;
  const slots = statsSlots(L);
  const clip = dims.optimizer.clipNorm;
  return /* wgsl */ `${RUN_WGSL}${reduceSumWgsl(256)}
@group(0) @binding(1) var<storage, read> sq: array<f32>;
@group(0) @binding(2) var<storage, read> grads: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) t: u32) {
  _ = run.rows;
  var s = 0.0;
  for (var j = t; j < ${S}u; j += 256u) { s += sq[j]; }
  for (var d = t; d < ${D}u; d += 256u) { let g = grads[${bDecOffset}u + d]; s += g * g; }
  let total = reduceSum(t, s);
  if (t == 0u) {
    let norm = sqrt(total);
    stats[${slots.gradNorm}u] = norm;
    stats[${slots.coef}u] = select(1.0, ${f32(clip)} / (norm + ${f32(CLIP_EPS)}), norm > ${f32(clip)});
  }
}
`;
}

export function adamwWgsl(dims: KernelDims, total: number): string {
  const { beta1, beta2, eps } = dims.optimizer;
  const slots = statsSlots(dims.levels);
  return /* wgsl */ `${RUN_WGSL}${FLAT_INDEX_WGSL}
@group(0) @binding(1) var<storage, read_write> p: array<f32>;
@group(0) @binding(2) var<storage, read> grads: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;
@group(0) @binding(5) var<storage, read> stats: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wid, nwg, lid);
  if (i >= ${total}u) { return; }
  let g = grads[i] * stats[${slots.coef}u];
  let mi = ${f32(beta1)} * m[i] + ${f32(1 - beta1)} * g;
  let vi = ${f32(beta2)} * v[i] + ${f32(1 - beta2)} * g * g;
  m[i] = mi;
  v[i] = vi;
  p[i] = p[i] * run.decay - run.stepSize * mi / (sqrt(vi) / run.sqrtBc2 + ${f32(eps)});
}
`;
}

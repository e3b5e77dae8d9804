/**
 * Nested-band decode, one 64-thread workgroup per row (thread t owns columns t, t + 64, ...):
 *   recon_i = recon_{i-1} + sum_{j in band i} z_bj W_dec[j]   (recon_{-1} = b_dec), so every level comes from one
 * pass over the kept entries. After band i: rowStats[b, i] = sum_d (recon_i - x)^2 / denom (nmse: denom = sum_d x^2,
 * mse: d_in); with run.wantRecon recon_i is written to recon[i, b]; with run.wantGrad
 *   E_i = c_i dL_i/drecon_i = c_i 2 (recon_i - x) / (B denom)   and then   G_m = sum_{i >= m} E_i  at G[b, m].
 * rowStats[b, L] = sum_j z_bj / ||x_b|| (the l1 term), rowStats[b, L + 1] = ||x_b||.
 */
import type { KernelDims } from './prelude.js';
import { f32, MAX_LEVELS, RUN_WGSL } from './prelude.js';
import { reduceSumWgsl } from './reduce.js';

export const DECODE_THREADS = 64;

export function decodeBandsWgsl(dims: KernelDims, wDecOffset: number, bDecOffset: number): string {
  const { dIn: D, levels: L } = dims;
  const WG = DECODE_THREADS;
  const DPT = Math.ceil(D / WG);
  const coef = dims.coef.map(f32).join(', ');
  return /* wgsl */ `${RUN_WGSL}${reduceSumWgsl(WG)}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> p: array<f32>;
@group(0) @binding(3) var<storage, read> ent: array<vec2<u32>>;
@group(0) @binding(4) var<storage, read> bandEnd: array<u32>;
@group(0) @binding(5) var<storage, read_write> rowStats: array<f32>;
@group(0) @binding(6) var<storage, read_write> G: array<f32>;
@group(0) @binding(7) var<storage, read_write> recon: array<f32>;
const D = ${D}u;
const L = ${L}u;
var<private> COEF: array<f32, ${L}> = array<f32, ${L}>(${coef});
var<workgroup> chunk: array<vec2<u32>, ${WG}>;
var<workgroup> bound: u32;

@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let b = wid.y * nwg.x + wid.x;
  let rows = run.rows;
  if (b >= rows) { return; }
  var xr: array<f32, ${DPT}>;
  var acc: array<f32, ${DPT}>;
  var sq = 0.0;
  for (var q = 0u; q < ${DPT}u; q++) {
    let d = t + ${WG}u * q;
    if (d < D) {
      xr[q] = x[b * D + d];
      acc[q] = p[${bDecOffset}u + d];
      sq += xr[q] * xr[q];
    }
  }
  let xsq = reduceSum(t, sq);
  let denom = ${dims.mse ? `${f32(D)}` : 'xsq'};
  let gscale = 2.0 / (f32(rows) * denom);
  var start = 0u;
  for (var i = 0u; i < L; i++) {
    if (t == 0u) { bound = bandEnd[b * ${MAX_LEVELS}u + i]; }
    let end = workgroupUniformLoad(&bound);
    for (var c0 = start; c0 < end; c0 += ${WG}u) {
      if (c0 + t < end) { chunk[t] = ent[b * run.kcap + c0 + t]; }
      workgroupBarrier();
      let n = min(${WG}u, end - c0);
      for (var u = 0u; u < n; u++) {
        let e = chunk[u];
        let z = bitcast<f32>(e.y);
        let base = ${wDecOffset}u + e.x * D;
        for (var q = 0u; q < ${DPT}u; q++) {
          let d = t + ${WG}u * q;
          if (d < D) { acc[q] = fma(z, p[base + d], acc[q]); }
        }
      }
      workgroupBarrier();
    }
    start = end;
    var se = 0.0;
    let cg = COEF[i] * gscale;
    for (var q = 0u; q < ${DPT}u; q++) {
      let d = t + ${WG}u * q;
      if (d < D) {
        let err = acc[q] - xr[q];
        se += err * err;
        if (run.wantRecon == 1u) { recon[(i * rows + b) * D + d] = acc[q]; }
        if (run.wantGrad == 1u) { G[(b * L + i) * D + d] = cg * err; }
      }
    }
    let total = reduceSum(t, se);
    if (t == 0u) { rowStats[b * (L + 2u) + i] = total / denom; }
  }
  if (run.wantGrad == 1u) {
    for (var q = 0u; q < ${DPT}u; q++) {
      let d = t + ${WG}u * q;
      if (d < D) {
        var s = 0.0;
        for (var i = L; i > 0u; i--) {
          let o = (b * L + i - 1u) * D + d;
          s += G[o];
          G[o] = s;
        }
      }
    }
  }
  var l1 = 0.0;
  for (var e = t; e < start; e += ${WG}u) { l1 += bitcast<f32>(ent[b * run.kcap + e].y); }
  let l1s = reduceSum(t, l1);
  if (t == 0u) {
    let norm = sqrt(xsq);
    rowStats[b * (L + 2u) + L] = l1s / norm;
    rowStats[b * (L + 2u) + L + 1u] = norm;
  }
}
`;
}

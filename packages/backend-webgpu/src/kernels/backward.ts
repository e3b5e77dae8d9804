/**
 * Backward pass over the kept entries only:
 *   dpre_bj = W_dec[j] . G_{band(b,j)}[b] (+ l1 / (B ||x_b||))          sddmmWgsl, one thread per kept entry
 *   latent-major copy of the kept entries (count per (latent, 64-row chunk), scan, fill in row order: deterministic)
 *   dW_dec[j] = sum_b z_bj G_band[b];  dW_enc[:, j] = sum_b dpre_bj (x_b - b_dec);  db_enc[j] = sum_b dpre_bj
 *                                                                        weightGradWgsl, one workgroup per latent
 *   db_dec = sum_b G_0[b] - W_enc db_enc                                 biasDecPartialWgsl + biasDecGradWgsl (two-level sum)
 */
import type { KernelDims } from './prelude.js';
import { f32, MAX_LEVELS, RUN_WGSL } from './prelude.js';
import { inclusiveScanWgsl } from './reduce.js';

/** Rows per chunk of the latent-major copy. */
export const ROW_CHUNK = 64;

export function sddmmWgsl(dims: KernelDims, wDecOffset: number): string {
  const { dIn: D, dSae: S, levels: L } = dims;
  // (rowStats is always statically used, so the 'auto' bind-group layout keeps binding 5)
  const l1 = dims.l1 > 0 ? `dot += ${f32(dims.l1)} / (f32(run.rows) * rowStats[b * ${L + 2}u + ${L + 1}u]);` : '_ = rowStats[0];';
  return /* wgsl */ `${RUN_WGSL}
@group(0) @binding(1) var<storage, read> p: array<f32>;
@group(0) @binding(2) var<storage, read> ent: array<vec2<u32>>;
@group(0) @binding(3) var<storage, read> bandEnd: array<u32>;
@group(0) @binding(4) var<storage, read> G: array<f32>;
@group(0) @binding(5) var<storage, read> rowStats: array<f32>;
@group(0) @binding(6) var<storage, read_write> dpre: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let b = wid.y;
  let e = wid.x * 64u + t;
  let be = b * ${MAX_LEVELS}u;
  if (b >= run.rows || e >= bandEnd[be + ${L - 1}u]) { return; }
  var band = 0u;
  while (e >= bandEnd[be + band]) { band += 1u; }
  let en = ent[b * run.kcap + e];
  let wb = ${wDecOffset}u + en.x * ${D}u;
  let gb = (b * ${L}u + band) * ${D}u;
  var dot = 0.0;
  for (var d = 0u; d < ${D}u; d++) { dot = fma(p[wb + d], G[gb + d], dot); }
  ${l1}
  dpre[b * ${S}u + en.x] = dot;
}
`;
}

/** cnt[j nChunks + c] = number of kept entries of latent j in rows [64 c, 64 c + 64). */
export function columnCountWgsl(dims: KernelDims): string {
  const S = dims.dSae;
  return /* wgsl */ `${RUN_WGSL}
@group(0) @binding(1) var<storage, read> level: array<u32>;
@group(0) @binding(2) var<storage, read_write> off: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let j = wid.x * 64u + t;
  let c = wid.y;
  if (j >= ${S}u) { return; }
  let b0 = c * ${ROW_CHUNK}u;
  let b1 = min(run.rows, b0 + ${ROW_CHUNK}u);
  var n = 0u;
  for (var b = b0; b < b1; b++) { n += select(0u, 1u, level[b * ${S}u + j] < run.nLevels); }
  off[j * run.nChunks + c] = n;
}
`;
}

/** In-place exclusive scan of off[0..dSae nChunks), off[dSae nChunks] = total (one workgroup). */
export function columnScanWgsl(dims: KernelDims): string {
  return /* wgsl */ `${RUN_WGSL}${inclusiveScanWgsl(256)}
@group(0) @binding(1) var<storage, read_write> off: array<u32>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) t: u32) {
  let n = ${dims.dSae}u * run.nChunks;
  let seg = (n + 255u) / 256u;
  let lo = min(n, t * seg);
  let hi = min(n, lo + seg);
  var s = 0u;
  for (var i = lo; i < hi; i++) { s += off[i]; }
  scanBuf[t] = s;
  workgroupBarrier();
  inclusiveScan(t);
  var acc = scanBuf[t] - s;
  for (var i = lo; i < hi; i++) {
    let v = off[i];
    off[i] = acc;
    acc += v;
  }
  if (t == 255u) { off[n] = scanBuf[255]; }
}
`;
}

/** csc[p] = (row, band, z, dpre) of each kept entry, latent-major, rows ascending within a latent. */
export function columnFillWgsl(dims: KernelDims): string {
  const S = dims.dSae;
  return /* wgsl */ `${RUN_WGSL}
@group(0) @binding(1) var<storage, read> level: array<u32>;
@group(0) @binding(2) var<storage, read> off: array<u32>;
@group(0) @binding(3) var<storage, read> pre: array<f32>;
@group(0) @binding(4) var<storage, read> dpre: array<f32>;
@group(0) @binding(5) var<storage, read_write> csc: array<vec4<u32>>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let j = wid.x * 64u + t;
  let c = wid.y;
  if (j >= ${S}u) { return; }
  var p = off[j * run.nChunks + c];
  let b0 = c * ${ROW_CHUNK}u;
  let b1 = min(run.rows, b0 + ${ROW_CHUNK}u);
  for (var b = b0; b < b1; b++) {
    let i = b * ${S}u + j;
    let lv = level[i];
    if (lv < run.nLevels) {
      csc[p] = vec4<u32>(b, lv, bitcast<u32>(pre[i]), bitcast<u32>(dpre[i]));
      p += 1u;
    }
  }
}
`;
}

export const WGRAD_THREADS = 64;

export function weightGradWgsl(dims: KernelDims, layout: { wEnc: number; bEnc: number; wDec: number }): string {
  const { dIn: D, dSae: S, levels: L } = dims;
  const WG = WGRAD_THREADS;
  const DPT = Math.ceil(D / WG);
  return /* wgsl */ `${RUN_WGSL}
@group(0) @binding(1) var<storage, read> off: array<u32>;
@group(0) @binding(2) var<storage, read> csc: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read> G: array<f32>;
@group(0) @binding(4) var<storage, read> xc: array<f32>;
@group(0) @binding(5) var<storage, read_write> grads: array<f32>;
var<workgroup> chunk: array<vec4<u32>, ${WG}>;
var<workgroup> span: vec2<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let j = wid.y * nwg.x + wid.x;
  if (j >= ${S}u) { return; }
  if (t == 0u) { span = vec2<u32>(off[j * run.nChunks], off[(j + 1u) * run.nChunks]); }
  let r = workgroupUniformLoad(&span);
  var gd: array<f32, ${DPT}>;
  var ge: array<f32, ${DPT}>;
  var sb = 0.0;
  for (var c0 = r.x; c0 < r.y; c0 += ${WG}u) {
    if (c0 + t < r.y) { chunk[t] = csc[c0 + t]; }
    workgroupBarrier();
    let n = min(${WG}u, r.y - c0);
    for (var u = 0u; u < n; u++) {
      let e = chunk[u];
      let z = bitcast<f32>(e.z);
      let dp = bitcast<f32>(e.w);
      let gb = (e.x * ${L}u + e.y) * ${D}u;
      let xb = e.x * ${D}u;
      for (var q = 0u; q < ${DPT}u; q++) {
        let d = t + ${WG}u * q;
        if (d < ${D}u) {
          gd[q] = fma(z, G[gb + d], gd[q]);
          ge[q] = fma(dp, xc[xb + d], ge[q]);
        }
      }
      sb += dp;
    }
    workgroupBarrier();
  }
  for (var q = 0u; q < ${DPT}u; q++) {
    let d = t + ${WG}u * q;
    if (d < ${D}u) {
      grads[${layout.wDec}u + j * ${D}u + d] = gd[q];
      grads[${layout.wEnc}u + j * ${D}u + d] = ge[q];
    }
  }
  if (t == 0u) { grads[${layout.bEnc}u + j] = sb; }
}
`;
}

/** Slices of the db_dec reduction (rows and latents are split into this many parts, summed by biasDecGradWgsl). */
export const BDEC_SPLIT = 32;

/** partial[s, d] = sum_{b in slice s} G_0[b, d] - sum_{j in slice s} db_enc[j] W_enc[d, j]  (grid: ceil(dIn/64) x BDEC_SPLIT). */
export function biasDecPartialWgsl(dims: KernelDims, layout: { wEnc: number; bEnc: number }): string {
  const { dIn: D, dSae: S, levels: L } = dims;
  const latPer = Math.ceil(S / BDEC_SPLIT);
  return /* wgsl */ `${RUN_WGSL}
@group(0) @binding(1) var<storage, read> G: array<f32>;
@group(0) @binding(2) var<storage, read> p: array<f32>;
@group(0) @binding(3) var<storage, read> grads: array<f32>;
@group(0) @binding(4) var<storage, read_write> partial: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let d = gid.x;
  let sl = gid.y;
  if (d >= ${D}u) { return; }
  let rowsPer = (run.rows + ${BDEC_SPLIT - 1}u) / ${BDEC_SPLIT}u;
  var s = 0.0;
  for (var b = sl * rowsPer; b < min(run.rows, (sl + 1u) * rowsPer); b++) { s += G[b * ${L * D}u + d]; }
  for (var j = sl * ${latPer}u; j < min(${S}u, (sl + 1u) * ${latPer}u); j++) { s -= grads[${layout.bEnc}u + j] * p[${layout.wEnc}u + j * ${D}u + d]; }
  partial[sl * ${D}u + d] = s;
}
`;
}

/** db_dec[d] = sum_s partial[s, d]. */
export function biasDecGradWgsl(dims: KernelDims, layout: { bDec: number }): string {
  const D = dims.dIn;
  return /* wgsl */ `${RUN_WGSL}
@group(0) @binding(1) var<storage, read> partial: array<f32>;
@group(0) @binding(2) var<storage, read_write> grads: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  _ = run.rows;
  let d = gid.x;
  if (d >= ${D}u) { return; }
  var s = 0.0;
  for (var sl = 0u; sl < ${BDEC_SPLIT}u; sl++) { s += partial[sl * ${D}u + d]; }
  grads[${layout.bDec}u + d] = s;
}
`;
}

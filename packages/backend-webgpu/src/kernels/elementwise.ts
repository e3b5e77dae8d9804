/** Small elementwise kernels: centring the input, dense codes from the selection, the loss sums. */
import { FLAT_INDEX_WGSL, MAX_LEVELS, RUN_WGSL } from './prelude.js';
import { reduceSumWgsl } from './reduce.js';

/** xc = x - b_dec  [rows, dIn]. */
export function centerWgsl(dIn: number, bDecOffset: number): string {
  return /* wgsl */ `${RUN_WGSL}${FLAT_INDEX_WGSL}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> p: array<f32>;
@group(0) @binding(3) var<storage, read_write> xc: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wid, nwg, lid);
  if (i >= run.rows * ${dIn}u) { return; }
  xc[i] = x[i] - p[${bDecOffset}u + i % ${dIn}u];
}
`;
}

/** codes[b, j] = ReLU(pre[b, j]) where the selection kept (b, j) (level < nLevels), else 0. */
export function densifyWgsl(dSae: number): string {
  return /* wgsl */ `${RUN_WGSL}${FLAT_INDEX_WGSL}
@group(0) @binding(1) var<storage, read> pre: array<f32>;
@group(0) @binding(2) var<storage, read> level: array<u32>;
@group(0) @binding(3) var<storage, read_write> codes: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wid, nwg, lid);
  if (i >= run.rows * ${dSae}u) { return; }
  codes[i] = select(0.0, max(pre[i], 0.0), level[i] < run.nLevels);
}
`;
}

/** stats[s] = sum_b rowStats[b, s] for s < levels + 1 (level losses, then the l1 term); one workgroup per s. */
export function lossSumWgsl(levels: number): string {
  const stride = levels + 2;
  return /* wgsl */ `${RUN_WGSL}${reduceSumWgsl(256)}
@group(0) @binding(1) var<storage, read> rowStats: array<f32>;
@group(0) @binding(2) var<storage, read_write> stats: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let s = wid.x;
  var acc = 0.0;
  for (var b = t; b < run.rows; b += 256u) { acc += rowStats[b * ${stride}u + s]; }
  let total = reduceSum(t, acc);
  if (t == 0u) { stats[s] = total; }
}
`;
}

export const STATS_FLOATS = MAX_LEVELS + 4;

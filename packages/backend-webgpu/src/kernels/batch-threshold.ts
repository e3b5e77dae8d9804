/**
 * BatchTopK threshold over the whole [rows, dSae] batch: keep the run.batchCount largest positive entries,
 * ties by lower flat index. A radix select on the float bits in four 8-bit rounds, each a histogram pass over the
 * batch (workgroup histograms merged with atomics) and a one-workgroup pick of the digit holding the target
 * rank; then per-row counts of the keys equal to the threshold and their exclusive prefix over rows, from which
 * each row's share of the tie quota follows (selectRowsWgsl, mode 1). State words: see BSTATE.
 */
import { FLAT_INDEX_WGSL, RUN_WGSL } from './prelude.js';
import { inclusiveScanWgsl } from './reduce.js';
import { BSTATE, SELECT_THREADS } from './select-rows.js';

/** Reset the state: target rank = batchCount, prefix 0, round 0, histogram zero. */
export function batchInitWgsl(): string {
  return /* wgsl */ `${RUN_WGSL}
@group(0) @binding(1) var<storage, read_write> bstate: array<u32>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) t: u32) {
  bstate[${BSTATE.hist}u + t] = 0u;
  if (t < 16u) { bstate[t] = 0u; }
  if (t == 0u) { bstate[${BSTATE.rank}u] = run.batchCount; }
}
`;
}

/** One histogram round over every entry of the batch. */
export function batchHistWgsl(dSae: number): string {
  return /* wgsl */ `${RUN_WGSL}${FLAT_INDEX_WGSL}
@group(0) @binding(1) var<storage, read> pre: array<f32>;
@group(0) @binding(2) var<storage, read_write> bstate: array<atomic<u32>>;
var<workgroup> local: array<atomic<u32>, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  atomicStore(&local[lid], 0u);
  workgroupBarrier();
  let round = atomicLoad(&bstate[${BSTATE.round}u]);
  let prefix = atomicLoad(&bstate[${BSTATE.prefix}u]);
  let done = atomicLoad(&bstate[${BSTATE.all}u]);
  let shift = 24u - 8u * round;
  var mask = 0u;
  if (round > 0u) { mask = 0xFFFFFFFFu << (shift + 8u); }
  let i = flatIndex(wid, nwg, lid);
  if (i < run.rows * ${dSae}u && done == 0u) {
    let v = pre[i];
    if (v > 0.0) {
      let key = bitcast<u32>(v);
      if ((key & mask) == prefix) { atomicAdd(&local[(key >> shift) & 255u], 1u); }
    }
  }
  workgroupBarrier();
  let c = atomicLoad(&local[lid]);
  if (c > 0u) { atomicAdd(&bstate[${BSTATE.hist}u + lid], c); }
}
`;
}

/** Pick the digit holding the target rank, update prefix / rank / greater, clear the histogram, next round. */
export function batchPickWgsl(): string {
  return /* wgsl */ `${RUN_WGSL}${inclusiveScanWgsl(256)}
@group(0) @binding(1) var<storage, read_write> bstate: array<u32>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) t: u32) {
  _ = run.rows;
  let round = bstate[${BSTATE.round}u];
  let r = bstate[${BSTATE.rank}u];
  let done = bstate[${BSTATE.all}u];
  // suffix sums via an inclusive scan of the reversed histogram: scanBuf[u] = sum of bins 255 - u .. 255
  scanBuf[t] = bstate[${BSTATE.hist}u + 255u - t];
  workgroupBarrier();
  inclusiveScan(t);
  let d = 255u - t;
  let atOrAbove = scanBuf[t];
  var above = 0u;
  if (t > 0u) { above = scanBuf[t - 1u]; }
  let total = scanBuf[255];
  if (done == 0u) {
    if (round == 0u && total <= r) {
      if (t == 0u) { bstate[${BSTATE.all}u] = 1u; }
    } else if (atOrAbove >= r && above < r) {
      let shift = 24u - 8u * round;
      bstate[${BSTATE.prefix}u] = bstate[${BSTATE.prefix}u] | (d << shift);
      bstate[${BSTATE.rank}u] = r - above;
      bstate[${BSTATE.greater}u] = bstate[${BSTATE.greater}u] + above;
    }
  }
  storageBarrier();
  bstate[${BSTATE.hist}u + t] = 0u;
  if (t == 0u) { bstate[${BSTATE.round}u] = round + 1u; }
}
`;
}

/** Per row: the number of keys equal to the threshold (0 when every positive entry is kept). */
export function batchTieCountWgsl(dSae: number): string {
  const WG = SELECT_THREADS;
  return /* wgsl */ `${RUN_WGSL}
@group(0) @binding(1) var<storage, read> pre: array<f32>;
@group(0) @binding(2) var<storage, read_write> bstate: array<u32>;
var<workgroup> cnt: atomic<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let b = wid.y * nwg.x + wid.x;
  if (b >= run.rows) { return; }
  if (t == 0u) { atomicStore(&cnt, 0u); }
  workgroupBarrier();
  let T = bstate[${BSTATE.prefix}u];
  let all = bstate[${BSTATE.all}u];
  var c = 0u;
  for (var j = t; j < ${dSae}u; j += ${WG}u) {
    let v = pre[b * ${dSae}u + j];
    if (all == 0u && v > 0.0 && bitcast<u32>(v) == T) { c += 1u; }
  }
  atomicAdd(&cnt, c);
  workgroupBarrier();
  if (t == 0u) { bstate[${BSTATE.rows}u + 2u * b] = atomicLoad(&cnt); }
}
`;
}

/** Exclusive prefix over rows of the tie counts (one workgroup, each thread a contiguous run of rows). */
export function batchTieScanWgsl(): string {
  return /* wgsl */ `${RUN_WGSL}${inclusiveScanWgsl(256)}
@group(0) @binding(1) var<storage, read_write> bstate: array<u32>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) t: u32) {
  let rows = run.rows;
  let seg = (rows + 255u) / 256u;
  let lo = min(rows, t * seg);
  let hi = min(rows, lo + seg);
  var s = 0u;
  for (var b = lo; b < hi; b++) { s += bstate[${BSTATE.rows}u + 2u * b]; }
  scanBuf[t] = s;
  workgroupBarrier();
  inclusiveScan(t);
  var acc = scanBuf[t] - s;
  for (var b = lo; b < hi; b++) {
    bstate[${BSTATE.rows}u + 2u * b + 1u] = acc;
    acc += bstate[${BSTATE.rows}u + 2u * b];
  }
}
`;
}

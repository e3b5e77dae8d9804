/**
 * Per-row code selection into nesting bands (one 128-thread workgroup per row; thread t owns latents
 * [t PER, (t + 1) PER)). Order: value descending, ties by lower latent index. Only positive ReLU'd
 * pre-activations are candidates (a zero code adds nothing and gets no gradient).
 *
 * For each level i (budget k_i = run.ks[i]) whose budget is below the row's positive count, an exact radix
 * select on the float bit patterns (positive floats order like their bits; four 8-bit digit rounds, the first
 * round's histogram shared by every level) finds the threshold key T_i, the count of keys above it and how
 * many keys equal to T_i the level keeps (Q_i, lowest latent index first). An entry's band (the first level
 * that keeps it) is the number of levels that reject it. Level i keeps: key > T_i, or key == T_i and its rank
 * among the ties is < Q_i (a prefix scan over the threads gives the rank, only when a level has more ties
 * than it keeps). Levels that keep every positive entry have T_i = 0, Q_i = 0.
 *
 * run.mode 1 (BatchTopK): one level whose threshold and this row's tie quota come from the batch state
 * (batch-threshold.ts). Outputs: level[b, j] = band (nLevels when not kept); when run.writeEnt, the kept
 * entries (latent, value) grouped by band (latent order within a band) at ent[b kcap ..], and
 * bandEnd[b, i] = end of band i.
 */
import { MAX_LEVELS, RUN_WGSL } from './prelude.js';
import { inclusiveScanWgsl } from './reduce.js';

export const SELECT_THREADS = 128;

/** Batch state words (u32) used by the selection and the batch-threshold kernels. */
export const BSTATE = { prefix: 0, rank: 1, greater: 2, all: 3, round: 4, hist: 16, rows: 512 } as const;

/** Latents per thread, rounded up to a power of two (d_sae itself is a run-time uniform, so shapes share pipelines). */
export function selectPerThread(dSae: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, Math.ceil(dSae / SELECT_THREADS))));
}

export function selectRowsWgsl(dSae: number): string {
  const WG = SELECT_THREADS;
  const PER = selectPerThread(dSae);
  const L = MAX_LEVELS;
  return /* wgsl */ `${RUN_WGSL}${inclusiveScanWgsl(WG)}
@group(0) @binding(1) var<storage, read> pre: array<f32>;
@group(0) @binding(2) var<storage, read_write> level: array<u32>;
@group(0) @binding(3) var<storage, read_write> ent: array<vec2<u32>>;
@group(0) @binding(4) var<storage, read_write> bandEnd: array<u32>;
@group(0) @binding(5) var<storage, read> bstate: array<u32>;

const PER = ${PER}u;
const MAXL = ${L}u;
var<workgroup> hist: array<atomic<u32>, 256>;
var<workgroup> sfx: array<u32, 257>;
var<workgroup> sfx0: array<u32, 257>;
var<workgroup> bcnt: array<u32, ${L * WG}>;
var<workgroup> lvT: array<u32, ${L}>;
var<workgroup> lvQ: array<u32, ${L}>;
var<workgroup> lvE: array<u32, ${L}>;
var<workgroup> bstart: array<u32, ${L}>;
var<workgroup> sel: vec4<u32>;
var<private> keys: array<u32, ${PER}>;
var<private> bands: array<u32, ${PER}>;

// sfx[d] = sum_{d' >= d} sfx[d'] (suffix sums of the 256-bin histogram; sfx[256] = 0)
fn suffixScan(t: u32) {
  for (var off = 1u; off < 256u; off <<= 1u) {
    let a = t;
    let b = t + ${WG}u;
    var va = sfx[a];
    if (a + off < 256u) { va += sfx[a + off]; }
    var vb = sfx[b];
    if (b + off < 256u) { vb += sfx[b + off]; }
    workgroupBarrier();
    sfx[a] = va;
    sfx[b] = vb;
    workgroupBarrier();
  }
}

// histogram of digit (key >> shift) & 255 over the candidates whose higher digits equal prefix, as suffix sums
fn histRound(t: u32, shift: u32, highMask: u32, prefix: u32) {
  atomicStore(&hist[t], 0u);
  atomicStore(&hist[t + ${WG}u], 0u);
  workgroupBarrier();
  for (var e = 0u; e < PER; e++) {
    let key = keys[e];
    if (key != 0u && (key & highMask) == prefix) { atomicAdd(&hist[(key >> shift) & 255u], 1u); }
  }
  workgroupBarrier();
  sfx[t] = atomicLoad(&hist[t]);
  sfx[t + ${WG}u] = atomicLoad(&hist[t + ${WG}u]);
  if (t == 0u) { sfx[256] = 0u; }
  workgroupBarrier();
  suffixScan(t);
}

// the digit d holding rank r (1-based, descending): sfx[d + 1] < r <= sfx[d]; sel = (d << shift, above, count, 0)
fn pickDigit(t: u32, r: u32, shift: u32) {
  for (var h = 0u; h < 2u; h++) {
    let d = t + ${WG}u * h;
    if (sfx[d] >= r && sfx[d + 1u] < r) { sel = vec4<u32>(d << shift, sfx[d + 1u], sfx[d] - sfx[d + 1u], 0u); }
  }
}

@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let b = wid.y * nwg.x + wid.x;
  if (b >= run.rows) { return; }
  let S = run.dSae;
  let nL = run.nLevels;
  let j0 = t * PER;
  for (var e = 0u; e < PER; e++) {
    let j = j0 + e;
    var key = 0u;
    if (j < S) {
      let v = pre[b * S + j];
      if (v > 0.0) { key = bitcast<u32>(v); }
    }
    keys[e] = key;
  }

  if (run.mode == 1u) {
    // BatchTopK: the batch's threshold; this row keeps ties [base, base + eq) of the batch's quota
    if (t == 0u) {
      if (bstate[${BSTATE.all}u] == 1u) {
        lvT[0] = 0u; lvQ[0] = 0u; lvE[0] = 0u;
      } else {
        let eq = bstate[${BSTATE.rows}u + 2u * b];
        let base = bstate[${BSTATE.rows}u + 2u * b + 1u];
        let q = bstate[${BSTATE.rank}u];
        lvT[0] = bstate[${BSTATE.prefix}u];
        lvQ[0] = select(0u, min(q - base, eq), q > base);
        lvE[0] = eq;
      }
    }
  } else {
    // round 0 (top digit, no prefix) is the same for every level
    histRound(t, 24u, 0u, 0u);
    sfx0[t] = sfx[t];
    sfx0[t + ${WG}u] = sfx[t + ${WG}u];
    if (t == 0u) { sfx0[256] = 0u; }
    let positives = workgroupUniformLoad(&sfx[0]);
    for (var i = 0u; i < nL; i++) {
      let k = min(levelK(i), S);
      if (positives <= k) {
        if (t == 0u) { lvT[i] = 0u; lvQ[i] = 0u; lvE[i] = 0u; }
        continue;
      }
      var r = k;
      var prefix = 0u;
      var eq = 0u;
      for (var round = 0u; round < 4u; round++) {
        let shift = 24u - 8u * round;
        if (round == 0u) {
          sfx[t] = sfx0[t];
          sfx[t + ${WG}u] = sfx0[t + ${WG}u];
          if (t == 0u) { sfx[256] = 0u; }
          workgroupBarrier();
        } else {
          histRound(t, shift, 0xFFFFFFFFu << (shift + 8u), prefix);
        }
        pickDigit(t, r, shift);
        let s = workgroupUniformLoad(&sel);
        prefix |= s.x;
        r -= s.y;
        eq = s.z;
      }
      if (t == 0u) { lvT[i] = prefix; lvQ[i] = r; lvE[i] = eq; }
    }
  }
  workgroupBarrier();

  // rank of each tie among its row's ties, for the levels with more ties than they keep
  var tieBase: array<u32, ${L}>;
  var tieSeen: array<u32, ${L}>;
  for (var i = 0u; i < nL; i++) {
    tieSeen[i] = 0u;
    tieBase[i] = 0u;
    let E = workgroupUniformLoad(&lvE[i]);
    let Q = workgroupUniformLoad(&lvQ[i]);
    if (E > Q) {
      let T = lvT[i];
      var c = 0u;
      for (var e = 0u; e < PER; e++) { c += select(0u, 1u, keys[e] == T); }
      scanBuf[t] = c;
      workgroupBarrier();
      inclusiveScan(t);
      tieBase[i] = scanBuf[t] - c;
      workgroupBarrier();
    }
  }

  // band of each entry = number of levels that reject it
  var cnt: array<u32, ${L}>;
  for (var e = 0u; e < PER; e++) {
    let key = keys[e];
    var band = nL;
    if (key != 0u) {
      band = 0u;
      for (var i = 0u; i < nL; i++) {
        let T = lvT[i];
        var member = key > T;
        if (key == T) {
          member = tieBase[i] + tieSeen[i] < lvQ[i];
          tieSeen[i] += 1u;
        }
        if (!member) { band += 1u; }
      }
    }
    bands[e] = band;
    let j = j0 + e;
    if (j < S) { level[b * S + j] = band; }
    if (band < nL) { cnt[band] += 1u; }
  }

  if (run.writeEnt == 1u) {
    // positions: band start + this thread's offset within the band + running count (latent order)
    for (var i = 0u; i < nL; i++) { bcnt[i * ${WG}u + t] = cnt[i]; }
    workgroupBarrier();
    if (t < nL) {
      var s = 0u;
      for (var u = 0u; u < ${WG}u; u++) {
        let c = bcnt[t * ${WG}u + u];
        bcnt[t * ${WG}u + u] = s;
        s += c;
      }
      bstart[t] = s;
    }
    workgroupBarrier();
    if (t == 0u) {
      var acc = 0u;
      for (var i = 0u; i < nL; i++) {
        let c = bstart[i];
        bstart[i] = acc;
        acc += c;
        bandEnd[b * MAXL + i] = acc;
      }
    }
    workgroupBarrier();
    var seen: array<u32, ${L}>;
    for (var e = 0u; e < PER; e++) {
      let band = bands[e];
      if (band < nL) {
        let pos = bstart[band] + bcnt[band * ${WG}u + t] + seen[band];
        seen[band] += 1u;
        ent[b * run.kcap + pos] = vec2<u32>(j0 + e, keys[e]);
      }
    }
  }
}
`;
}

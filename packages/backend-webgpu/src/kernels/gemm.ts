/**
 * Tiled GEMM: C[m, n] = sum_k A[m, k] op(B)[k, n] + bias[n] for m < run.rows.
 * A [rows, K] row-major; op(B) = B^T with B [N, K] row-major (transposeB) or B [K, N] row-major.
 * Each 256-thread workgroup computes a (16 R) x (16 R) tile of C, each thread an R x R register block on a
 * stride-16 grid (so neighbouring threads write neighbouring columns); K advances in 16-deep slabs staged in
 * workgroup memory. B and the bias are read from the parameter buffer at the offsets of the GemmShape uniform;
 * the shader depends only on the layout of B and R, so one compiled pipeline serves every engine shape.
 */
import { RUN_WGSL } from './prelude.js';

export interface GemmSpec {
  n: number;
  k: number;
  transposeB: boolean;
  /** Offset (floats) of B in the parameter buffer. */
  bOffset: number;
  /** Offset of the bias (length n) in the parameter buffer, or null for none. */
  biasOffset: number | null;
  /** Register block edge R (tile 16R x 16R): 4 for small batches, 8 for large. */
  block: 4 | 8;
}

export const GEMM_SLAB = 16;

/** The GemmShape uniform (binding 4): n, k, offset of B, offset of the bias (u32 each, 16 bytes). */
export function packGemmShape(spec: GemmSpec): Uint32Array {
  return Uint32Array.of(spec.n, spec.k, spec.bOffset, spec.biasOffset ?? 0);
}

/** Workgroups for a GEMM of `rows` rows. */
export function gemmGrid(spec: GemmSpec, rows: number): [number, number] {
  const tile = 16 * spec.block;
  return [Math.ceil(spec.n / tile), Math.ceil(rows / tile)];
}

export function gemmWgsl(transposeB: boolean, R: 4 | 8): string {
  const T = 16 * R;
  const KS = GEMM_SLAB;
  const loadsA = (T * KS) / 256;
  const bLoad = transposeB
    ? `let col = e / ${KS}u; let kk = e % ${KS}u; let gn = n0 + col; let gk = k0 + kk;
        var v = 0.0; if (gn < N && gk < K) { v = p[gs.bOff + gn * K + gk]; }
        Bs[kk * ${T}u + col] = v;`
    : `let kk = e / ${T}u; let col = e % ${T}u; let gn = n0 + col; let gk = k0 + kk;
        var v = 0.0; if (gn < N && gk < K) { v = p[gs.bOff + gk * N + gn]; }
        Bs[kk * ${T}u + col] = v;`;
  // the R x R block is written out as scalars (no private arrays), which every shader compiler keeps in registers
  const idx = [...Array(R).keys()];
  const decl = idx.map((i) => `  var ${idx.map((j) => `c${i}_${j} = 0.0;`).join(' var ')}`).join('\n');
  const loads = idx.map((i) => `      let a${i} = As[kk * ${T}u + lid.y + ${16 * i}u]; let b${i} = Bs[kk * ${T}u + lid.x + ${16 * i}u];`).join('\n');
  const fmas = idx.map((i) => `      ${idx.map((j) => `c${i}_${j} = fma(a${i}, b${j}, c${i}_${j});`).join(' ')}`).join('\n');
  const stores = idx
    .map((i) => {
      const cols = idx.map((j) => `  { let gn = n0 + lid.x + ${16 * j}u; if (gm < rows && gn < N) { c[gm * N + gn] = c${i}_${j} + p[gs.biasOff + gn]; } }`).join('\n');
      return `  { let gm = m0 + lid.y + ${16 * i}u;\n${cols}\n  }`;
    })
    .join('\n');
  return /* wgsl */ `${RUN_WGSL}
struct GemmShape { n: u32, k: u32, bOff: u32, biasOff: u32 }
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> p: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<uniform> gs: GemmShape;
var<workgroup> As: array<f32, ${T * KS}>;
var<workgroup> Bs: array<f32, ${T * KS}>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let rows = run.rows;
  let N = gs.n;
  let K = gs.k;
  let m0 = wid.y * ${T}u;
  let n0 = wid.x * ${T}u;
  let t = lid.y * 16u + lid.x;
${decl}
  for (var k0 = 0u; k0 < K; k0 += ${KS}u) {
    for (var i = 0u; i < ${loadsA}u; i++) {
      let e = t + i * 256u;
      let row = e / ${KS}u; let kk = e % ${KS}u; let gm = m0 + row; let gk = k0 + kk;
      var v = 0.0; if (gm < rows && gk < K) { v = a[gm * K + gk]; }
      As[kk * ${T}u + row] = v;
    }
    for (var i = 0u; i < ${loadsA}u; i++) {
      let e = t + i * 256u;
      ${bLoad}
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${KS}u; kk++) {
${loads}
${fmas}
    }
    workgroupBarrier();
  }
${stores}
}
`;
}

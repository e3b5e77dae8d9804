// Sparse kernels on one 64-column slice of the feature dimension. Every pass over the codes runs slice by
// slice (the slice of W_dec, 64 floats x dSae = 1 MiB at dSae 4096, stays in L2 while all rows stream by),
// accumulating in 64 / VW vector registers (two sets of them with AVX-512, to hide the FMA latency). Matrices
// are first copied slice-major ([slice][row][64], zero-padded): row-major rows 2 KiB apart would all land in
// the same few cache sets and thrash L1/L2.
#pragma once
#include <cstdint>
#include <cstring>

#include "thread_pool.h"
#include "vec.h"

namespace MSAE_KERNEL_NS {

#ifndef MSAE_SLICE
#define MSAE_SLICE 64
#endif
constexpr int SLICE = MSAE_SLICE;

static inline int64_t slice_count(int64_t cols) { return (cols + SLICE - 1) / SLICE; }

// dst[s][r][q] = src[r][s*64 + q] (0 past cols); dst has slice_count(cols) * rows * 64 floats.
static void to_slices(ThreadPool& pool, const float* src, int64_t rows, int64_t cols, float* dst) {
  const int64_t ns = slice_count(cols);
  pool.parallel_for(rows, 256, [&](int64_t r0, int64_t r1, int) {
    for (int64_t s = 0; s < ns; s++) {
      const int64_t c0 = s * SLICE, w = std::min<int64_t>(SLICE, cols - c0);
      for (int64_t r = r0; r < r1; r++) {
        float* d = dst + (s * rows + r) * SLICE;
        std::memcpy(d, src + r * cols + c0, sizeof(float) * w);
        if (w < SLICE) std::memset(d + w, 0, sizeof(float) * (SLICE - w));
      }
    }
  });
}

// dst[r][c] = src[c / 64][r][c % 64]
static void from_slices(ThreadPool& pool, const float* src, int64_t rows, int64_t cols, float* dst) {
  const int64_t ns = slice_count(cols);
  pool.parallel_for(rows, 256, [&](int64_t r0, int64_t r1, int) {
    for (int64_t s = 0; s < ns; s++) {
      const int64_t c0 = s * SLICE, w = std::min<int64_t>(SLICE, cols - c0);
      for (int64_t r = r0; r < r1; r++) std::memcpy(dst + r * cols + c0, src + (s * rows + r) * SLICE, sizeof(float) * w);
    }
  });
}

constexpr int NV = SLICE / VW;  // vectors per slice
// independent accumulator sets: with 16-float vectors one set is only 4 FMA chains, too few to cover the FMA
// latency at two FMAs per cycle, so even and odd entries go to two sets (summed at the end)
constexpr int SETS = VW == 16 ? 2 : 1;

// acc[0:64) += sum_e val[e] * base[idx[e] * ld + 0:64)
// (decode: recon += z_bj W_dec[j], ld = SLICE over latents; dW_enc[:, j] += dpre_bj (x_b - b_dec) over rows)
static inline void spmm_slice(float* acc, int count, const int32_t* idx, const float* val, const float* base,
                              int64_t ld) {
  if (count <= 0) return;
  vf a[SETS][NV];
#pragma GCC unroll 16
  for (int v = 0; v < NV; v++) {
    a[0][v] = loadv(acc + VW * v);
    if (SETS == 2) a[SETS - 1][v] = splatv(0.0f);
  }
  int e = 0;
  for (; e + SETS <= count; e += SETS) {
#pragma GCC unroll 2
    for (int h = 0; h < SETS; h++) {
      const float* r = base + (int64_t)idx[e + h] * ld;
      if (e + h + 8 < count) __builtin_prefetch(base + (int64_t)idx[e + h + 8] * ld);
      const vf c = splatv(val[e + h]);
#pragma GCC unroll 16
      for (int v = 0; v < NV; v++) a[h][v] += c * loadv(r + VW * v);
    }
  }
  for (; e < count; e++) {
    const float* r = base + (int64_t)idx[e] * ld;
    const vf c = splatv(val[e]);
#pragma GCC unroll 16
    for (int v = 0; v < NV; v++) a[0][v] += c * loadv(r + VW * v);
  }
#pragma GCC unroll 16
  for (int v = 0; v < NV; v++) storev(acc + VW * v, SETS == 2 ? a[0][v] + a[SETS - 1][v] : a[0][v]);
}

// [sum(a0), sum(a1), sum(a2), sum(a3)] added to out[0:4) (transposed horizontal sums, 3 shuffle steps)
static inline void add_sums4(float* out, v8 a0, v8 a1, v8 a2, v8 a3) {
  const v8 t0 = __builtin_shufflevector(a0, a1, 0, 8, 2, 10, 4, 12, 6, 14) + __builtin_shufflevector(a0, a1, 1, 9, 3, 11, 5, 13, 7, 15);
  const v8 t1 = __builtin_shufflevector(a2, a3, 0, 8, 2, 10, 4, 12, 6, 14) + __builtin_shufflevector(a2, a3, 1, 9, 3, 11, 5, 13, 7, 15);
  const v8 u = __builtin_shufflevector(t0, t1, 0, 1, 8, 9, 4, 5, 12, 13) + __builtin_shufflevector(t0, t1, 2, 3, 10, 11, 6, 7, 14, 15);
  const v4 w = __builtin_shufflevector(u, u, 0, 1, 2, 3) + __builtin_shufflevector(u, u, 4, 5, 6, 7);
  *(v4u*)out = *(const v4u*)out + w;
}

// Weight-gradient pass fused with the codes' gradient: for each entry e (row b = row[e] of base),
//   out[0:64) += coef[e] * base[64 row[e] + 0:64)      (dW_dec[j] += z_bj G_band[b])
//   dots[e]   += w[0:64) . base[64 row[e] + 0:64)       (dpre_bj += W_dec[j] . G_band[b])
// The G row just loaded for dW_dec is reused for the dot product (w, this latent's W_dec slice, is held in
// registers). Entries go four at a time, so their four dot products are reduced together (add_sums4).
// One entry of gather_dot_slice: a += c * g and returns w . g over the slice row g (64 floats).
static inline vf gather_dot_entry(vf* a, const float* g_row, float coef, const vf* w) {
  const vf c = splatv(coef);
  vf g = loadv(g_row);
  a[0] += c * g;
  vf d = g * w[0];
#pragma GCC unroll 16
  for (int v = 1; v < NV; v++) {
    g = loadv(g_row + VW * v);
    a[v] += c * g;
    d += g * w[v];
  }
  return d;
}

#if defined(__wasm__)
// WebAssembly: the engine (V8) allocates 16 vector registers to code that LLVM schedules as if it had any
// number: the loop above keeps 8 accumulators and 8 W_dec vectors live while four entries' G rows are loaded,
// and every one spills. Here four entries go together one vector at a time: only their four G vectors, dot
// products and coefficients are live; the accumulator and W_dec vectors come from memory (L1) and the
// accumulator goes back (`out` may alias G, so loads of the next vector cannot move above that store).
// Same operations in the same order as the loop above (one set): bit-identical results.
static inline void gather_dot_slice_wasm(float* out, const float* wp, int count, const int32_t* row, const float* coef,
                                         float* dots, const float* base) {
  int e = 0;
  for (; e + 4 <= count; e += 4) {
    const float* r[4];
    vf c[4], d[4];
#pragma GCC unroll 4
    for (int k = 0; k < 4; k++) {
      r[k] = base + (int64_t)row[e + k] * SLICE;
      c[k] = splatv(coef[e + k]);
    }
#pragma GCC unroll 16
    for (int v = 0; v < NV; v++) {
      const vf w = loadv(wp + VW * v);
      vf a = loadv(out + VW * v);
#pragma GCC unroll 4
      for (int k = 0; k < 4; k++) {
        const vf g = loadv(r[k] + VW * v);
        a += c[k] * g;
        d[k] = v == 0 ? g * w : d[k] + g * w;
      }
      storev(out + VW * v, a);
    }
    add_sums4(dots + e, fold8(d[0]), fold8(d[1]), fold8(d[2]), fold8(d[3]));
  }
  for (; e < count; e++) {
    const float* r = base + (int64_t)row[e] * SLICE;
    const vf c = splatv(coef[e]);
    vf d = splatv(0.0f);
#pragma GCC unroll 16
    for (int v = 0; v < NV; v++) {
      const vf g = loadv(r + VW * v);
      storev(out + VW * v, loadv(out + VW * v) + c * g);
      d = v == 0 ? g * loadv(wp) : d + g * loadv(wp + VW * v);
    }
    dots[e] += hsumv(d);
  }
}
#endif

static inline void gather_dot_slice(float* out, const float* wp, int count, const int32_t* row, const float* coef,
                                    float* dots, const float* base) {
  if (count <= 0) return;
#if defined(__wasm__)
  if (SETS == 1) return gather_dot_slice_wasm(out, wp, count, row, coef, dots, base);
#endif
  vf a[SETS][NV], w[NV];
#pragma GCC unroll 16
  for (int v = 0; v < NV; v++) {
    a[0][v] = loadv(out + VW * v);
    if (SETS == 2) a[SETS - 1][v] = splatv(0.0f);
    w[v] = loadv(wp + VW * v);
  }
  int e = 0;
  for (; e + 4 <= count; e += 4) {
    if (e + 12 < count) {
      __builtin_prefetch(base + (int64_t)row[e + 8] * SLICE);
      __builtin_prefetch(base + (int64_t)row[e + 9] * SLICE);
      __builtin_prefetch(base + (int64_t)row[e + 10] * SLICE);
      __builtin_prefetch(base + (int64_t)row[e + 11] * SLICE);
    }
    vf d[4];
#pragma GCC unroll 4
    for (int k = 0; k < 4; k++) d[k] = gather_dot_entry(a[k % SETS], base + (int64_t)row[e + k] * SLICE, coef[e + k], w);
    add_sums4(dots + e, fold8(d[0]), fold8(d[1]), fold8(d[2]), fold8(d[3]));
  }
  for (; e < count; e++) dots[e] += hsumv(gather_dot_entry(a[0], base + (int64_t)row[e] * SLICE, coef[e], w));
#pragma GCC unroll 16
  for (int v = 0; v < NV; v++) storev(out + VW * v, SETS == 2 ? a[0][v] + a[SETS - 1][v] : a[0][v]);
}

}  // namespace MSAE_KERNEL_NS

// Sparse kernels on one 64-column slice of the feature dimension. Every pass over the codes runs slice by
// slice (the slice of W_dec, 64 floats x dSae = 1 MiB at dSae 4096, stays in L2 while all rows stream by),
// accumulating in 8 AVX registers. Matrices are first copied slice-major ([slice][row][64], zero-padded):
// row-major rows 2 KiB apart would all land in the same few cache sets and thrash L1/L2.
#pragma once
#include <cstdint>
#include <cstring>

#include "thread_pool.h"
#include "vec.h"

#ifndef MSAE_SLICE
#define MSAE_SLICE 32
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

constexpr int NV = SLICE / 8;  // 8-float vectors per slice

// acc[0:64) += sum_e val[e] * base[idx[e] * ld + 0:64)      (decode: recon += z_bj W_dec[j])
static inline void spmm_slice(float* acc, int count, const int32_t* idx, const float* val, const float* base,
                              int64_t ld) {
  if (count <= 0) return;
  v8 a[NV];
#pragma GCC unroll 16
  for (int v = 0; v < NV; v++) a[v] = load8(acc + 8 * v);
  for (int e = 0; e < count; e++) {
    const float* r = base + (int64_t)idx[e] * ld;
    if (e + 8 < count) __builtin_prefetch(base + (int64_t)idx[e + 8] * ld);
    const v8 c = splat8(val[e]);
#pragma GCC unroll 16
    for (int v = 0; v < NV; v++) a[v] += c * load8(r + 8 * v);
  }
#pragma GCC unroll 16
  for (int v = 0; v < NV; v++) store8(acc + 8 * v, a[v]);
}

// out[e] += sum_q base[idx[e] * ld + q] * g[q]              (backward: dpre_bj += W_dec[j] . G[b], this slice)
static inline void sddmm_slice(float* out, int count, const int32_t* idx, const float* base, int64_t ld,
                               const float* g) {
  if (count <= 0) return;
  v8 gv[NV];
#pragma GCC unroll 16
  for (int v = 0; v < NV; v++) gv[v] = load8(g + 8 * v);
  for (int e = 0; e < count; e++) {
    const float* r = base + (int64_t)idx[e] * ld;
    if (e + 8 < count) __builtin_prefetch(base + (int64_t)idx[e + 8] * ld);
    v8 s0 = gv[0] * load8(r), s1 = splat8(0);
#pragma GCC unroll 16
    for (int v = 1; v < NV; v++) {
      if (v & 1) s1 += gv[v] * load8(r + 8 * v);
      else s0 += gv[v] * load8(r + 8 * v);
    }
    out[e] += hsum8(s0 + s1);
  }
}

// out[0:64) += sum_e coef[e] * base[off[e] + 0:64)          (weight gradients: dW[j] += coef_bj row_b)
static inline void gather_slice(float* out, int count, const int64_t* off, const float* coef, const float* base) {
  if (count <= 0) return;
  v8 a[NV];
#pragma GCC unroll 16
  for (int v = 0; v < NV; v++) a[v] = load8(out + 8 * v);
  for (int e = 0; e < count; e++) {
    const float* r = base + off[e];
    if (e + 8 < count) __builtin_prefetch(base + off[e + 8]);
    const v8 c = splat8(coef[e]);
#pragma GCC unroll 16
    for (int v = 0; v < NV; v++) a[v] += c * load8(r + 8 * v);
  }
#pragma GCC unroll 16
  for (int v = 0; v < NV; v++) store8(out + 8 * v, a[v]);
}

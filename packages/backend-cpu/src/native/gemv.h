// Small-M products C = A B^T for a few rows of A (one-query search: M = 1): memory-bound, so B is streamed
// once, 4 of its rows at a time, and each row of A (held in L1) is dotted with those 4 rows while they are in
// cache. The blocked GEMM would pack all of B per call and fill a 12-row register tile with one live row.
// Parallel over chunks of B's rows.
#pragma once
#include <algorithm>
#include <cstdint>

#include "thread_pool.h"
#include "vec.h"

namespace MSAE_KERNEL_NS {

// Rows of A up to which sgemm takes this path (transB only).
constexpr int64_t GEMV_MAX_M = 32;

// C[i, j] = sum_t A[i, t] B[j, t] for i < M (M <= GEMV_MAX_M), j < N.
static void sgemv_abt(ThreadPool& pool, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B,
                      int64_t ldb, float* C, int64_t ldc) {
  const int64_t kv = K - K % VW;  // vector part of each row
  pool.parallel_for((N + 3) / 4, 256, [&](int64_t q0, int64_t q1, int) {
    for (int64_t q = q0; q < q1; q++) {
      const int64_t j0 = q * 4;
      const int nr = (int)std::min<int64_t>(4, N - j0);
      const float* b[4];
      for (int r = 0; r < 4; r++) b[r] = B + (j0 + std::min(r, nr - 1)) * ldb;  // a short last group repeats a row
      __builtin_prefetch(b[3] + 8 * ldb);
      for (int64_t i = 0; i < M; i++) {
        const float* a = A + i * lda;
        vf acc0 = splatv(0.0f), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (int64_t t = 0; t < kv; t += VW) {
          const vf x = loadv(a + t);
          acc0 += x * loadv(b[0] + t);  // <A[i], B[j0 + r]>, one accumulator per row of B
          acc1 += x * loadv(b[1] + t);
          acc2 += x * loadv(b[2] + t);
          acc3 += x * loadv(b[3] + t);
        }
        float s[4] = {hsumv(acc0), hsumv(acc1), hsumv(acc2), hsumv(acc3)};
        for (int64_t t = kv; t < K; t++)
          for (int r = 0; r < 4; r++) s[r] += a[t] * b[r][t];
        for (int r = 0; r < nr; r++) C[i * ldc + j0 + r] = s[r];
      }
    }
  });
}

}  // namespace MSAE_KERNEL_NS

namespace MSAE_KERNEL_NS {

// int8 rows (a compact collection): C[i, j] = scale[j] * sum_t A[i, t] codes[j, t], streaming the codes once
// (a quarter of the float32 bytes); the codes are widened to floats in registers.
static void si8gemv_abt(ThreadPool& pool, int64_t M, int64_t N, int64_t K, const float* A, const int8_t* codes,
                        const float* scale, float* C) {
  typedef int8_t vb __attribute__((vector_size(VW), aligned(1)));
  const int64_t kv = K - K % VW;
  pool.parallel_for((N + 3) / 4, 256, [&](int64_t q0, int64_t q1, int) {
    for (int64_t q = q0; q < q1; q++) {
      const int64_t j0 = q * 4;
      const int nr = (int)std::min<int64_t>(4, N - j0);
      const int8_t* b[4];
      for (int r = 0; r < 4; r++) b[r] = codes + (j0 + std::min(r, nr - 1)) * K;
      for (int64_t i = 0; i < M; i++) {
        const float* a = A + i * K;
        vf acc0 = splatv(0.0f), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (int64_t t = 0; t < kv; t += VW) {
          const vf x = loadv(a + t);
          acc0 += x * __builtin_convertvector(*(const vb*)(b[0] + t), vf);
          acc1 += x * __builtin_convertvector(*(const vb*)(b[1] + t), vf);
          acc2 += x * __builtin_convertvector(*(const vb*)(b[2] + t), vf);
          acc3 += x * __builtin_convertvector(*(const vb*)(b[3] + t), vf);
        }
        float s[4] = {hsumv(acc0), hsumv(acc1), hsumv(acc2), hsumv(acc3)};
        for (int64_t t = kv; t < K; t++)
          for (int r = 0; r < 4; r++) s[r] += a[t] * (float)b[r][t];
        for (int r = 0; r < nr; r++) C[i * N + j0 + r] = scale[j0 + r] * s[r];
      }
    }
  });
}

}  // namespace MSAE_KERNEL_NS

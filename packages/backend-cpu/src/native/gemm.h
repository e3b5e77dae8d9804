// Blocked single-precision GEMM: C[M,N] (+)= A[M,K] op(B), op(B) = B^T for B stored [N,K] (transB) or B
// stored [K,N]. BLIS-style: B packed per K slab into NR-column panels (shared), A packed per thread in
// MR-row panels, an MR x NR register micro-kernel (MR * NR / VW accumulators, FMA): 6x8 in the base build
// (12 of 16 SSE registers), 4x8 in wasm, 6x16 with AVX2 (12 of 16), 12x32 with AVX-512 (24 of the 32 zmm registers).
// Parallel over 96-row blocks of A (and groups of B panels when A has few blocks). A few rows of A times B^T take
// the streaming GEMV path (gemv.h).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "gemv.h"
#include "thread_pool.h"
#include "vec.h"

namespace MSAE_KERNEL_NS {
namespace gemm_detail {
#if defined(__AVX512F__)
constexpr int MR = 12;
#elif defined(__wasm__)
constexpr int MR = 4;  // V8 gives wasm 16 vector registers; LLVM hoists the MR broadcasts: 4 x 2 + 2 + 4 fit, 6 x 2 + 2 + 6 spill
#else
constexpr int MR = 6;
#endif
constexpr int NB = 2, NR = NB * VW, KC = 256, MC = 96;
static_assert(MC % MR == 0, "A blocks hold whole row panels");

static inline void micro_kernel(int kc, const float* __restrict a, const float* __restrict b, float* c, int64_t ldc,
                                bool accumulate, int mr, int nr) {
  vf acc[MR][NB];
#pragma GCC unroll 16
  for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
    for (int v = 0; v < NB; v++) acc[r][v] = splatv(0.0f);
  for (int k = 0; k < kc; k++) {
    vf bk[NB];
#pragma GCC unroll 4
    for (int v = 0; v < NB; v++) bk[v] = *(const vf*)(b + k * NR + v * VW);
    const float* ak = a + k * MR;
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
      const vf x = splatv(ak[r]);
#pragma GCC unroll 4
      for (int v = 0; v < NB; v++) acc[r][v] += x * bk[v];  // C[r, :] += A[r, k] op(B)[k, :]
    }
  }
  if (mr == MR && nr == NR) {
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
      float* cr = c + r * ldc;
#pragma GCC unroll 4
      for (int v = 0; v < NB; v++) storev(cr + v * VW, accumulate ? loadv(cr + v * VW) + acc[r][v] : acc[r][v]);
    }
  } else {
    alignas(64) float tmp[MR * NR];
    for (int r = 0; r < MR; r++)
      for (int v = 0; v < NB; v++) storev(tmp + r * NR + v * VW, acc[r][v]);
    for (int r = 0; r < mr; r++)
      for (int q = 0; q < nr; q++) c[r * ldc + q] = (accumulate ? c[r * ldc + q] : 0.0f) + tmp[r * NR + q];
  }
}
}  // namespace gemm_detail

// C = A op(B) (C overwritten). A [M,K] row-major (lda), B [N,K] if transB else [K,N] (ldb), C [M,N] (ldc).
static void sgemm(ThreadPool& pool, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B,
                  int64_t ldb, bool transB, float* C, int64_t ldc) {
  using namespace gemm_detail;
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    for (int64_t i = 0; i < M; i++) std::memset(C + i * ldc, 0, sizeof(float) * N);
    return;
  }
  if (transB && M <= GEMV_MAX_M) return sgemv_abt(pool, M, N, K, A, lda, B, ldb, C, ldc);  // memory-bound
  const int64_t panels = (N + NR - 1) / NR;
  // packing buffers kept per calling thread across calls (a fresh 4 MiB buffer per call cost page faults and
  // zeroing every training step); resized only to grow
  static thread_local std::vector<float> bpack_store;
  static thread_local std::vector<std::vector<float>> apack_store;
  const int workers = pool.size();
  if ((int64_t)bpack_store.size() < panels * NR * KC + 16) bpack_store.resize(panels * NR * KC + 16);
  if ((int)apack_store.size() < workers) apack_store.resize(workers);
  for (auto& a : apack_store)
    if (a.size() < (size_t)(MC * KC + 16)) a.resize(MC * KC + 16);
  float* bpack = (float*)(((uintptr_t)bpack_store.data() + 63) & ~(uintptr_t)63);
  std::vector<std::vector<float>>& apacks = apack_store;  // the calling thread's, used by every worker below
  for (int64_t pc = 0; pc < K; pc += KC) {
    const int kc = (int)std::min<int64_t>(KC, K - pc);
    // pack op(B)[pc:pc+kc, :] into panels: bpack[p][k][c] = op(B)[pc+k][p*NR+c]
    pool.parallel_for(panels, 16, [&](int64_t p0, int64_t p1, int) {
      for (int64_t p = p0; p < p1; p++) {
        float* dst = bpack + p * NR * kc;
        const int64_t n0 = p * NR;
        const int nc = (int)std::min<int64_t>(NR, N - n0);
        if (transB) {
          for (int c = 0; c < NR; c++) {
            if (c < nc) {
              const float* src = B + (n0 + c) * ldb + pc;
              for (int k = 0; k < kc; k++) dst[k * NR + c] = src[k];
            } else {
              for (int k = 0; k < kc; k++) dst[k * NR + c] = 0.0f;
            }
          }
        } else {
          for (int k = 0; k < kc; k++) {
            const float* src = B + (pc + k) * ldb + n0;
            for (int c = 0; c < nc; c++) dst[k * NR + c] = src[c];
            for (int c = nc; c < NR; c++) dst[k * NR + c] = 0.0f;
          }
        }
      }
    });
    const bool accumulate = pc > 0;
    const int64_t mblocks = (M + MC - 1) / MC;
    // tasks: A blocks x groups of B panels, at least two per worker where A has few blocks (a batch of 256 rows is
    // 3 blocks: on 2 threads one would do two and the other one); a worker packs an A block once for its tasks in a row
    const int64_t groups = std::min<int64_t>(panels, (2 * workers + mblocks - 1) / mblocks);
    const int64_t per_group = (panels + groups - 1) / groups;
    std::vector<int64_t> packed(workers, -1);  // the A block each worker's apack holds
    pool.parallel_for(mblocks * groups, 1, [&](int64_t t0, int64_t t1, int w) {
      float* apack = (float*)(((uintptr_t)apacks[w].data() + 63) & ~(uintptr_t)63);
      for (int64_t t = t0; t < t1; t++) {
        const int64_t ib = t / groups, g = t % groups;
        const int64_t m0 = ib * MC;
        const int mc = (int)std::min<int64_t>(MC, M - m0);
        const int rpanels = (mc + MR - 1) / MR;
        if (packed[w] != ib) {
          // pack A[m0:m0+mc, pc:pc+kc]: apack[r][k][i] = A[m0 + r*MR + i][pc + k]
          for (int r = 0; r < rpanels; r++) {
            float* dst = apack + r * MR * kc;
            for (int i = 0; i < MR; i++) {
              const int64_t row = m0 + r * MR + i;
              if (row < M) {
                const float* src = A + row * lda + pc;
                for (int k = 0; k < kc; k++) dst[k * MR + i] = src[k];
              } else {
                for (int k = 0; k < kc; k++) dst[k * MR + i] = 0.0f;
              }
            }
          }
          packed[w] = ib;
        }
        for (int64_t p = g * per_group; p < std::min(panels, (g + 1) * per_group); p++) {
          const float* bp = bpack + p * NR * kc;
          const int nr = (int)std::min<int64_t>(NR, N - p * NR);
          for (int r = 0; r < rpanels; r++) {
            const int mr = std::min(MR, mc - r * MR);
            micro_kernel(kc, apack + r * MR * kc, bp, C + (m0 + r * MR) * ldc + p * NR, ldc, accumulate, mr, nr);
          }
        }
      }
    });
  }
}

}  // namespace MSAE_KERNEL_NS

// Blocked single-precision GEMM: C[M,N] (+)= A[M,K] op(B), op(B) = B^T for B stored [N,K] (transB) or B
// stored [K,N]. BLIS-style: B packed per K slab into 16-column panels (shared), A packed per thread in
// 6-row panels, a 6x16 register micro-kernel (12 accumulators, FMA). Parallel over 96-row blocks of A.
#pragma once
#include <cstdint>
#include <cstring>
#include <vector>

#include "thread_pool.h"
#include "vec.h"

namespace gemm_detail {
constexpr int MR = 6, NR = 16, KC = 256, MC = 96;

static inline void micro_kernel(int kc, const float* __restrict a, const float* __restrict b, float* c, int64_t ldc,
                                bool accumulate, int mr, int nr) {
  v8 c00 = splat8(0), c01 = splat8(0), c10 = splat8(0), c11 = splat8(0), c20 = splat8(0), c21 = splat8(0);
  v8 c30 = splat8(0), c31 = splat8(0), c40 = splat8(0), c41 = splat8(0), c50 = splat8(0), c51 = splat8(0);
  for (int k = 0; k < kc; k++) {
    v8 b0 = *(const v8*)(b + k * NR), b1 = *(const v8*)(b + k * NR + 8);
    const float* ak = a + k * MR;
    v8 x;
    x = splat8(ak[0]); c00 += x * b0; c01 += x * b1;
    x = splat8(ak[1]); c10 += x * b0; c11 += x * b1;
    x = splat8(ak[2]); c20 += x * b0; c21 += x * b1;
    x = splat8(ak[3]); c30 += x * b0; c31 += x * b1;
    x = splat8(ak[4]); c40 += x * b0; c41 += x * b1;
    x = splat8(ak[5]); c50 += x * b0; c51 += x * b1;
  }
  v8 acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  if (mr == MR && nr == NR) {
    for (int r = 0; r < MR; r++) {
      float* cr = c + r * ldc;
      if (accumulate) {
        store8(cr, load8(cr) + acc[r][0]);
        store8(cr + 8, load8(cr + 8) + acc[r][1]);
      } else {
        store8(cr, acc[r][0]);
        store8(cr + 8, acc[r][1]);
      }
    }
  } else {
    alignas(32) float tmp[MR * NR];
    for (int r = 0; r < MR; r++) {
      *(v8*)(tmp + r * NR) = acc[r][0];
      *(v8*)(tmp + r * NR + 8) = acc[r][1];
    }
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
  const int64_t panels = (N + NR - 1) / NR;
  std::vector<float, std::allocator<float>> bpack_store(panels * NR * KC + 16);
  float* bpack = (float*)(((uintptr_t)bpack_store.data() + 31) & ~(uintptr_t)31);
  const int workers = pool.size();
  std::vector<std::vector<float>> apack_store(workers, std::vector<float>(MC * KC + 16));
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
    pool.parallel_for(mblocks, 1, [&](int64_t i0, int64_t i1, int w) {
      float* apack = (float*)(((uintptr_t)apack_store[w].data() + 31) & ~(uintptr_t)31);
      for (int64_t ib = i0; ib < i1; ib++) {
        const int64_t m0 = ib * MC;
        const int mc = (int)std::min<int64_t>(MC, M - m0);
        const int rpanels = (mc + MR - 1) / MR;
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
        for (int64_t p = 0; p < panels; p++) {
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

// int8 x int8 products C = A B^T with int32 accumulation (a compact search collection scored by quantized
// queries): C[i, j] = sum_t A[i, t] B[j, t], exact in int32 for |codes| <= 127 and K < 2^16. With scales, the
// float C[i, j] = ascale[i] bscale[j] sum_t A[i, t] B[j, t] is written instead.
// Three paths, picked by the flags this header is compiled with:
//   AVX-512 VNNI (int8_vnni.cc, dispatched only when cpuid reports avx512vnni): vpdpbusd takes unsigned x signed
//     bytes, so A is shifted to A + 128 (0..255) and 128 sum_t B[j, t] (one more vpdpbusd with ones) is taken off;
//   AVX2 (the avx2 and avx512 variants): vpmaddubsw(|A|, sign(A) B) then vpmaddwd with ones (no int16 overflow:
//     2 * 127 * 127 < 2^15);
//   portable: a plain int32 loop (the compiler vectorizes it).
// B is streamed once, 4 rows at a time, each group dotted with every row of A (A stays in L1/L2).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>

#if defined(__AVX2__) || defined(__AVX512VNNI__)
#include <immintrin.h>
#endif

#include "thread_pool.h"

namespace MSAE_KERNEL_NS {

// the group's 4 results of query row i, int32 or scaled float
static inline void i8_store(int64_t i, int64_t j0, int nr, int64_t N, const int32_t* s, const float* as, const float* bs,
                            int32_t* Ci, float* Cf) {
  if (Cf) {
    for (int r = 0; r < nr; r++) Cf[i * N + j0 + r] = as[i] * bs[j0 + r] * (float)s[r];  // ascale bscale <a, b>
  } else {
    for (int r = 0; r < nr; r++) Ci[i * N + j0 + r] = s[r];
  }
}

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
constexpr const char* I8_KERNEL = "avx512vnni";

// 4 zmm of int32 lanes -> their 4 lane sums
static inline __m128i i8_hsum4(__m512i a, __m512i b, __m512i c, __m512i d) {
  const __m256i a8 = _mm256_add_epi32(_mm512_castsi512_si256(a), _mm512_extracti64x4_epi64(a, 1));
  const __m256i b8 = _mm256_add_epi32(_mm512_castsi512_si256(b), _mm512_extracti64x4_epi64(b, 1));
  const __m256i c8 = _mm256_add_epi32(_mm512_castsi512_si256(c), _mm512_extracti64x4_epi64(c, 1));
  const __m256i d8 = _mm256_add_epi32(_mm512_castsi512_si256(d), _mm512_extracti64x4_epi64(d, 1));
  const __m256i h = _mm256_hadd_epi32(_mm256_hadd_epi32(a8, b8), _mm256_hadd_epi32(c8, d8));
  return _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
}

static void i8gemm_abt(ThreadPool& pool, int64_t M, int64_t N, int64_t K, const int8_t* A, const int8_t* B,
                       const float* as, const float* bs, int32_t* Ci, float* Cf) {
  const int64_t steps = (K + 63) / 64;
  const __mmask64 tail = K % 64 ? (~0ULL >> (64 - K % 64)) : ~0ULL;  // bytes of the last 64-byte step
  const int64_t lda = steps * 64;
  // A + 128, zero past K (so the tail adds nothing); unique_ptr, not std::vector: no template instance shared
  // with the portable objects is compiled for AVX-512 here
  std::unique_ptr<uint8_t[]> au(new uint8_t[M * lda]());
  for (int64_t i = 0; i < M; i++)
    for (int64_t t = 0; t < K; t++) au[i * lda + t] = (uint8_t)(A[i * K + t] + 128);
  const __m512i ones = _mm512_set1_epi8(1);
  pool.parallel_for((N + 3) / 4, 256, [&](int64_t q0, int64_t q1, int) {
    for (int64_t q = q0; q < q1; q++) {
      const int64_t j0 = q * 4;
      const int nr = (int)std::min<int64_t>(4, N - j0);
      const int8_t* b[4];
      for (int r = 0; r < 4; r++) b[r] = B + (j0 + std::min(r, nr - 1)) * K;  // a short last group repeats a row
      __m512i s0 = _mm512_setzero_si512(), s1 = s0, s2 = s0, s3 = s0;  // sum_t B[j, t]
      for (int64_t st = 0; st < steps; st++) {
        const __mmask64 m = st + 1 == steps ? tail : ~0ULL;
        s0 = _mm512_dpbusd_epi32(s0, ones, _mm512_maskz_loadu_epi8(m, b[0] + st * 64));
        s1 = _mm512_dpbusd_epi32(s1, ones, _mm512_maskz_loadu_epi8(m, b[1] + st * 64));
        s2 = _mm512_dpbusd_epi32(s2, ones, _mm512_maskz_loadu_epi8(m, b[2] + st * 64));
        s3 = _mm512_dpbusd_epi32(s3, ones, _mm512_maskz_loadu_epi8(m, b[3] + st * 64));
      }
      const __m128i corr = _mm_slli_epi32(i8_hsum4(s0, s1, s2, s3), 7);  // 128 sum_t B[j, t]
      for (int64_t i = 0; i < M; i++) {
        const uint8_t* a = au.get() + i * lda;
        __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0;
        for (int64_t st = 0; st < steps; st++) {
          const __mmask64 m = st + 1 == steps ? tail : ~0ULL;
          const __m512i x = _mm512_loadu_si512(a + st * 64);
          c0 = _mm512_dpbusd_epi32(c0, x, _mm512_maskz_loadu_epi8(m, b[0] + st * 64));  // sum (a + 128) b
          c1 = _mm512_dpbusd_epi32(c1, x, _mm512_maskz_loadu_epi8(m, b[1] + st * 64));
          c2 = _mm512_dpbusd_epi32(c2, x, _mm512_maskz_loadu_epi8(m, b[2] + st * 64));
          c3 = _mm512_dpbusd_epi32(c3, x, _mm512_maskz_loadu_epi8(m, b[3] + st * 64));
        }
        alignas(16) int32_t s[4];
        _mm_store_si128((__m128i*)s, _mm_sub_epi32(i8_hsum4(c0, c1, c2, c3), corr));  // sum a b
        i8_store(i, j0, nr, N, s, as, bs, Ci, Cf);
      }
    }
  });
}

#elif defined(__AVX2__)
constexpr const char* I8_KERNEL = "avx2";

// 4 ymm of int32 lanes -> their 4 lane sums
static inline __m128i i8_hsum4(__m256i a, __m256i b, __m256i c, __m256i d) {
  const __m256i h = _mm256_hadd_epi32(_mm256_hadd_epi32(a, b), _mm256_hadd_epi32(c, d));
  return _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
}

static void i8gemm_abt(ThreadPool& pool, int64_t M, int64_t N, int64_t K, const int8_t* A, const int8_t* B,
                       const float* as, const float* bs, int32_t* Ci, float* Cf) {
  const int64_t kv = K - K % 32;  // vector part of each row
  std::unique_ptr<int8_t[]> aabs(new int8_t[M * K]);  // |A| (A's sign moves onto B)
  for (int64_t t = 0; t < M * K; t++) aabs[t] = (int8_t)std::abs((int)A[t]);
  const __m256i ones = _mm256_set1_epi16(1);
  pool.parallel_for((N + 3) / 4, 256, [&](int64_t q0, int64_t q1, int) {
    for (int64_t q = q0; q < q1; q++) {
      const int64_t j0 = q * 4;
      const int nr = (int)std::min<int64_t>(4, N - j0);
      const int8_t* b[4];
      for (int r = 0; r < 4; r++) b[r] = B + (j0 + std::min(r, nr - 1)) * K;
      for (int64_t i = 0; i < M; i++) {
        const int8_t* a = A + i * K;
        const int8_t* aa = aabs.get() + i * K;
        __m256i c[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256()};
        for (int64_t t = 0; t < kv; t += 32) {
          const __m256i x = _mm256_loadu_si256((const __m256i*)(a + t));
          const __m256i ax = _mm256_loadu_si256((const __m256i*)(aa + t));
          for (int r = 0; r < 4; r++) {
            const __m256i y = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i*)(b[r] + t)), x);  // sign(a) b
            c[r] = _mm256_add_epi32(c[r], _mm256_madd_epi16(_mm256_maddubs_epi16(ax, y), ones));  // |a| sign(a) b
          }
        }
        alignas(16) int32_t s[4];
        _mm_store_si128((__m128i*)s, i8_hsum4(c[0], c[1], c[2], c[3]));
        for (int64_t t = kv; t < K; t++)
          for (int r = 0; r < 4; r++) s[r] += (int32_t)a[t] * (int32_t)b[r][t];
        i8_store(i, j0, nr, N, s, as, bs, Ci, Cf);
      }
    }
  });
}

#else
constexpr const char* I8_KERNEL = "portable";

static void i8gemm_abt(ThreadPool& pool, int64_t M, int64_t N, int64_t K, const int8_t* A, const int8_t* B,
                       const float* as, const float* bs, int32_t* Ci, float* Cf) {
  pool.parallel_for((N + 3) / 4, 256, [&](int64_t q0, int64_t q1, int) {
    for (int64_t q = q0; q < q1; q++) {
      const int64_t j0 = q * 4;
      const int nr = (int)std::min<int64_t>(4, N - j0);
      for (int64_t i = 0; i < M; i++) {
        const int8_t* a = A + i * K;
        int32_t s[4] = {0, 0, 0, 0};
        for (int r = 0; r < nr; r++) {
          const int8_t* b = B + (j0 + r) * K;
          int32_t acc = 0;
          for (int64_t t = 0; t < K; t++) acc += (int32_t)a[t] * (int32_t)b[t];  // sum_t a b
          s[r] = acc;
        }
        i8_store(i, j0, nr, N, s, as, bs, Ci, Cf);
      }
    }
  });
}
#endif

}  // namespace MSAE_KERNEL_NS

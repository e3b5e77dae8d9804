// Float vectors through GCC/Clang vector extensions. `vf` is the widest vector of the variant being compiled
// (VW floats: 16 with AVX-512, 8 otherwise: one AVX register, or two SSE/NEON registers in the base build);
// `v8`/`v4` are fixed 8/4-float vectors (horizontal sums). Unaligned loads/stores go through aligned(4) types.
#pragma once
#include <cstddef>

namespace MSAE_KERNEL_NS {

#if defined(__AVX512F__)
constexpr int VW = 16;
#elif defined(__AVX__)
constexpr int VW = 8;
#else
constexpr int VW = 4;
#endif

typedef float vf __attribute__((vector_size(VW * 4)));
typedef float vfu __attribute__((vector_size(VW * 4), aligned(4)));
typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4)));
typedef float v4 __attribute__((vector_size(16)));
typedef float v4u __attribute__((vector_size(16), aligned(4)));

static inline vf loadv(const float* p) { return *(const vfu*)p; }
static inline void storev(float* p, vf v) { *(vfu*)p = v; }
static inline vf splatv(float s) {  // one broadcast
#if defined(__AVX512F__)
  return (vf){s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s};
#elif defined(__AVX__)
  return (vf){s, s, s, s, s, s, s, s};
#else
  return (vf){s, s, s, s};
#endif
}
static inline v8 load8(const float* p) { return *(const v8u*)p; }
static inline void store8(float* p, v8 v) { *(v8u*)p = v; }

// the 8-float sum of a vector's halves (identity at VW = 8)
// (a 4-float vector is zero-extended)
static inline v8 fold8(vf v) {
#if defined(__AVX512F__)
  return __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
#elif defined(__AVX__)
  return v;
#else
  return (v8){v[0], v[1], v[2], v[3], 0.0f, 0.0f, 0.0f, 0.0f};
#endif
}
static inline float hsum8(v8 v) {
  return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}
static inline float hsumv(vf v) { return hsum8(fold8(v)); }

// out[0:n] += sum_e coef[e] * src[e][0:n], accumulated in registers 64 columns at a time
// (each entry: 64 / VW loads + FMAs per slice). Used by the decode() entry point on dense codes.
static inline void accumulate_rows(float* out, int n, int count, const float* const* src, const float* coef) {
  if (count == 0) return;
  constexpr int NA = 64 / VW;
  int d = 0;
  for (; d + 64 <= n; d += 64) {
    vf a[NA];
#pragma GCC unroll 16
    for (int v = 0; v < NA; v++) a[v] = loadv(out + d + VW * v);
    for (int e = 0; e < count; e++) {
      const float* s = src[e] + d;
      if (e + 6 < count) __builtin_prefetch(src[e + 6] + d);
      const vf c = splatv(coef[e]);
#pragma GCC unroll 16
      for (int v = 0; v < NA; v++) a[v] += c * loadv(s + VW * v);
    }
#pragma GCC unroll 16
    for (int v = 0; v < NA; v++) storev(out + d + VW * v, a[v]);
  }
  for (; d + VW <= n; d += VW) {
    vf a = loadv(out + d);
    for (int e = 0; e < count; e++) a += splatv(coef[e]) * loadv(src[e] + d);
    storev(out + d, a);
  }
  for (; d < n; d++) {
    float a = out[d];
    for (int e = 0; e < count; e++) a += coef[e] * src[e][d];
    out[d] = a;
  }
}

}  // namespace MSAE_KERNEL_NS

// 8-wide float vectors through GCC/Clang vector extensions: AVX2 + FMA when built with -march=x86-64-v3,
// SSE or NEON otherwise. Unaligned loads/stores go through the aligned(4) type.
#pragma once
#include <cstddef>

typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4)));
typedef float v4 __attribute__((vector_size(16)));
typedef float v4u __attribute__((vector_size(16), aligned(4)));

static inline v8 load8(const float* p) { return *(const v8u*)p; }
static inline void store8(float* p, v8 v) { *(v8u*)p = v; }
static inline v8 splat8(float s) { return (v8){s, s, s, s, s, s, s, s}; }
static inline float hsum8(v8 v) {
  return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}

// out[0:n] += sum_e coef[e] * src[e][0:n], accumulated in registers 64 columns at a time
// (each entry: 8 loads + 8 FMAs per slice). Used by the decode() entry point on dense codes.
static inline void accumulate_rows(float* out, int n, int count, const float* const* src, const float* coef) {
  if (count == 0) return;
  int d = 0;
  for (; d + 64 <= n; d += 64) {
    v8 a0 = load8(out + d), a1 = load8(out + d + 8), a2 = load8(out + d + 16), a3 = load8(out + d + 24);
    v8 a4 = load8(out + d + 32), a5 = load8(out + d + 40), a6 = load8(out + d + 48), a7 = load8(out + d + 56);
    for (int e = 0; e < count; e++) {
      const float* s = src[e] + d;
      if (e + 6 < count) __builtin_prefetch(src[e + 6] + d);
      v8 c = splat8(coef[e]);
      a0 += c * load8(s);
      a1 += c * load8(s + 8);
      a2 += c * load8(s + 16);
      a3 += c * load8(s + 24);
      a4 += c * load8(s + 32);
      a5 += c * load8(s + 40);
      a6 += c * load8(s + 48);
      a7 += c * load8(s + 56);
    }
    store8(out + d, a0); store8(out + d + 8, a1); store8(out + d + 16, a2); store8(out + d + 24, a3);
    store8(out + d + 32, a4); store8(out + d + 40, a5); store8(out + d + 48, a6); store8(out + d + 56, a7);
  }
  for (; d + 8 <= n; d += 8) {
    v8 a = load8(out + d);
    for (int e = 0; e < count; e++) a += splat8(coef[e]) * load8(src[e] + d);
    store8(out + d, a);
  }
  for (; d < n; d++) {
    float a = out[d];
    for (int e = 0; e < count; e++) a += coef[e] * src[e][d];
    out[d] = a;
  }
}

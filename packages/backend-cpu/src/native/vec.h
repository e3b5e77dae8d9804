// 8-wide float vectors through GCC/Clang vector extensions: AVX2 + FMA when built with -march=x86-64-v3,
// SSE or NEON otherwise. Unaligned loads/stores go through the aligned(4) type.
#pragma once
#include <cstddef>

typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4)));

static inline v8 load8(const float* p) { return *(const v8u*)p; }
static inline void store8(float* p, v8 v) { *(v8u*)p = v; }
static inline v8 splat8(float s) { return (v8){s, s, s, s, s, s, s, s}; }
static inline float hsum8(v8 v) {
  return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}

// sum_d a[d] * b[d]
static inline float dot(const float* a, const float* b, int n) {
  v8 s0 = splat8(0), s1 = splat8(0), s2 = splat8(0), s3 = splat8(0);
  int d = 0;
  for (; d + 32 <= n; d += 32) {
    s0 += load8(a + d) * load8(b + d);
    s1 += load8(a + d + 8) * load8(b + d + 8);
    s2 += load8(a + d + 16) * load8(b + d + 16);
    s3 += load8(a + d + 24) * load8(b + d + 24);
  }
  for (; d + 8 <= n; d += 8) s0 += load8(a + d) * load8(b + d);
  float s = hsum8((s0 + s1) + (s2 + s3));
  for (; d < n; d++) s += a[d] * b[d];
  return s;
}

// out[0:n] += sum_e coef[e] * src[e][0:n], accumulated in registers 64 columns at a time
// (each entry: 8 loads + 8 FMAs per slice). Used by every sparse product (decode, weight gradients).
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

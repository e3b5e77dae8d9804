// The AdamW update of one range of elements (step 5 of training_update), in double precision as
// @msae/core's applyTrainingUpdate computes it:
//   g = clip(g); m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p = p (1 - lr wd) - lr (m/bc1) / (sqrt(v)/sqrt(bc2) + eps)
// With WebAssembly SIMD128 four elements go at a time as two f64x2 halves: the compiler vectorizes the plain loop
// but narrows each double to float one lane at a time (extract / demote / replace); the same IEEE operations in the
// same order, so the results are bit-identical to the scalar loop.
#pragma once
#include <cmath>
#include <cstdint>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

#include "kernel_types.h"

namespace MSAE_KERNEL_NS {

struct AdamWStep {
  double coef;       // gradient clip factor (1: no clipping)
  double b1, b2, eps;
  double decay;      // 1 - lr wd
  double step_size;  // lr / bc1
  double sqrt_bc2;   // sqrt(1 - b2^step)
};

static inline void adamw_scalar(const Tensor& t, int64_t i, const AdamWStep& a) {
  float gf = t.g[i];
  if (a.coef != 1.0) gf = (float)(gf * a.coef);
  const double g = gf;
  const float mf = (float)(a.b1 * t.m[i] + (1 - a.b1) * g);
  const float vf = (float)(a.b2 * t.v[i] + (1 - a.b2) * g * g);
  t.m[i] = mf;
  t.v[i] = vf;
  t.p[i] = (float)(t.p[i] * a.decay - (a.step_size * mf) / (std::sqrt((double)vf) / a.sqrt_bc2 + a.eps));
}

#if defined(__wasm_simd128__)
// float lanes 0-1 / 2-3 of x as doubles, and two f64x2 narrowed back into one f32x4
static inline v128_t lo_f64(v128_t x) { return wasm_f64x2_promote_low_f32x4(x); }
static inline v128_t hi_f64(v128_t x) { return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 2, 3)); }
static inline v128_t to_f32(v128_t lo, v128_t hi) {
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
}
#endif

static void adamw_range(const Tensor& t, int64_t i0, int64_t i1, const AdamWStep& a) {
  int64_t i = i0;
#if defined(__wasm_simd128__)
  const v128_t coef = wasm_f64x2_splat(a.coef), b1 = wasm_f64x2_splat(a.b1), c1 = wasm_f64x2_splat(1 - a.b1),
               b2 = wasm_f64x2_splat(a.b2), c2 = wasm_f64x2_splat(1 - a.b2), eps = wasm_f64x2_splat(a.eps),
               decay = wasm_f64x2_splat(a.decay), step = wasm_f64x2_splat(a.step_size), sbc2 = wasm_f64x2_splat(a.sqrt_bc2);
  const bool clip = a.coef != 1.0;
  for (; i + 4 <= i1; i += 4) {
    v128_t gf = wasm_v128_load(t.g + i);
    if (clip) gf = to_f32(wasm_f64x2_mul(lo_f64(gf), coef), wasm_f64x2_mul(hi_f64(gf), coef));  // (float)(g coef)
    const v128_t m4 = wasm_v128_load(t.m + i), v4 = wasm_v128_load(t.v + i), p4 = wasm_v128_load(t.p + i);
    v128_t mh[2], vh[2], ph[2];
    for (int h = 0; h < 2; h++) {
      const v128_t g = h ? hi_f64(gf) : lo_f64(gf);
      mh[h] = wasm_f64x2_add(wasm_f64x2_mul(b1, h ? hi_f64(m4) : lo_f64(m4)), wasm_f64x2_mul(c1, g));
      vh[h] = wasm_f64x2_add(wasm_f64x2_mul(b2, h ? hi_f64(v4) : lo_f64(v4)), wasm_f64x2_mul(wasm_f64x2_mul(c2, g), g));
    }
    const v128_t mf = to_f32(mh[0], mh[1]), vf = to_f32(vh[0], vh[1]);  // m, v rounded to float, then used as such
    for (int h = 0; h < 2; h++) {
      const v128_t m = h ? hi_f64(mf) : lo_f64(mf), v = h ? hi_f64(vf) : lo_f64(vf), p = h ? hi_f64(p4) : lo_f64(p4);
      const v128_t den = wasm_f64x2_add(wasm_f64x2_div(wasm_f64x2_sqrt(v), sbc2), eps);
      ph[h] = wasm_f64x2_sub(wasm_f64x2_mul(p, decay), wasm_f64x2_div(wasm_f64x2_mul(step, m), den));
    }
    wasm_v128_store(t.m + i, mf);
    wasm_v128_store(t.v + i, vf);
    wasm_v128_store(t.p + i, to_f32(ph[0], ph[1]));
  }
#endif
  for (; i < i1; i++) adamw_scalar(t, i, a);
}

}  // namespace MSAE_KERNEL_NS

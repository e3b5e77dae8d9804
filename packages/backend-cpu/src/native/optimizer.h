// Steps 2-5 of a training step (same order and formulas as @msae/core's applyTrainingUpdate), in place:
// decoder-row renormalization, decoder-gradient projection, global-norm clipping, AdamW (torch semantics).
// Parameters are in the engine's layout (W_enc stored transposed, one row per latent); every step is
// elementwise or per latent, so the layout does not change the numbers.
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "adamw_step.h"
#include "kernel_types.h"
#include "phase_clock.h"
#include "thread_pool.h"

namespace MSAE_KERNEL_NS {

// W_encT/gW_encT [dSae, dIn], W_dec/gW_dec [dSae, dIn], b_enc [dSae]. Returns the norm before clipping.
static double training_update(ThreadPool& pool, int64_t dIn, int64_t dSae, Tensor W_encT, Tensor b_enc, Tensor W_dec,
                              Tensor b_dec, const AdamConfig& cfg, double* timing) {
  PhaseClock t0;
  constexpr int64_t CH = 16;
  // (2) n_j = ||W_dec[j]||: W_dec[j] /= n_j, W_enc[:, j] *= n_j, b_enc[j] *= n_j;
  // (3) G_Wdec[j] -= (G_Wdec[j] . W_dec[j]) W_dec[j]
  pool.parallel_for(dSae, CH, [&](int64_t j0, int64_t j1, int) {
    for (int64_t j = j0; j < j1; j++) {
      float* wd = W_dec.p + j * dIn;
      double sq = 0;
      for (int64_t d = 0; d < dIn; d++) sq += (double)wd[d] * wd[d];
      const double n = std::sqrt(sq);
      if (n != 0) {
        float* we = W_encT.p + j * dIn;
        for (int64_t d = 0; d < dIn; d++) wd[d] = (float)(wd[d] / n);
        for (int64_t d = 0; d < dIn; d++) we[d] = (float)(we[d] * n);
        b_enc.p[j] = (float)(b_enc.p[j] * n);
      }
      float* g = W_dec.g + j * dIn;
      double dt = 0;
      for (int64_t d = 0; d < dIn; d++) dt += (double)g[d] * wd[d];
      if (dt != 0)
        for (int64_t d = 0; d < dIn; d++) g[d] = (float)(g[d] - dt * wd[d]);
    }
  });
  // (4) global norm over all gradients, reduced per fixed chunk (deterministic)
  Tensor ts[4] = {W_encT, b_enc, W_dec, b_dec};
  constexpr int64_t NCH = 1 << 16;
  double sq = 0;
  for (const Tensor& t : ts) {
    const int64_t chunks = (t.n + NCH - 1) / NCH;
    std::vector<double> part(chunks, 0.0);
    pool.parallel_for(chunks, 1, [&](int64_t c0, int64_t c1, int) {
      for (int64_t c = c0; c < c1; c++) {
        double s = 0;
        for (int64_t i = c * NCH; i < std::min(t.n, (c + 1) * NCH); i++) s += (double)t.g[i] * t.g[i];
        part[c] = s;
      }
    });
    for (double s : part) sq += s;
  }
  const double norm = std::sqrt(sq);
  const double coef = norm > cfg.clip ? cfg.clip / (norm + 1e-6) : 1.0;  // coef = clip / (norm + 1e-6)
  // (5) AdamW: p *= 1 - lr wd; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr (m/bc1) / (sqrt(v/bc2) + eps)
  const double bc1 = 1 - std::pow(cfg.beta1, (double)cfg.step);
  const AdamWStep step{coef, cfg.beta1, cfg.beta2, cfg.eps, 1 - cfg.lr * cfg.weight_decay, cfg.lr / bc1,
                       std::sqrt(1 - std::pow(cfg.beta2, (double)cfg.step))};
  for (const Tensor& t : ts)
    pool.parallel_for(t.n, NCH, [&](int64_t i0, int64_t i1, int) { adamw_range(t, i0, i1, step); });
  if (timing) *timing += seconds_since(t0);
  return norm;
}

}  // namespace MSAE_KERNEL_NS

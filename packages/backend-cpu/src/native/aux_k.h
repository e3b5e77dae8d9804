// AuxK (Gao et al. 2024; definitions in @msae/core src/aux-k.ts), run after an SAE pass on the same workspace:
//   fired_j   = some row keeps j at level 0 (band 0) with a > 0
//   aux_b     = the top kAux = min(auxK, #dead) dead latents of row b by a = ReLU(pre) (ties: lower index)
//   e_b       = x_b - recon_0[b] (constant);  e^_b = sum_{j in aux_b} a_bj W_dec[j]
//   L_aux     = scale * mean_b ||e^_b - e_b||^2 / norm_b   (norm_b = ||x_b||^2 nmse, dIn mse), scale = min(#dead/auxK, 1)
//   g_b       = auxWeight * scale * 2 (e^_b - e_b) / (B norm_b);  dpre_bj = W_dec[j] . g_b
//   dW_dec[j] += a_bj g_b;  dW_enc[:, j] += dpre_bj (x_b - b_dec);  db_enc[j] += dpre_bj;  db_dec -= sum dpre_bj W_enc[:, j]
// Portable scalar code (compiled once, with the addon): its cost is rows x kAux x dIn, small next to the encoder GEMM.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernel_types.h"
#include "thread_pool.h"

struct AuxKSpec {
  int32_t aux_k = 0;
  double weight = 0;
  bool mse = false;
  const uint8_t* dead = nullptr;  // [dSae]
};

struct AuxKResult {
  double loss = 0;  // L_aux (unweighted)
  int64_t dead = 0;
};

// fired (optional, [dSae]) receives the level-0 liveness of the batch; grads (when non-null) are accumulated.
static AuxKResult aux_k_pass(ThreadPool& pool, const SaeModel& m, const AuxKSpec& spec, const float* x, int64_t rows,
                             const Workspace& ws, uint8_t* fired, float* gW_encT, float* gb_enc, float* gW_dec,
                             float* gb_dec) {
  const int64_t dIn = m.dIn, dSae = m.dSae;
  const Codes& c = ws.codes;
  const int L = c.levels;
  if (fired) {
    std::fill(fired, fired + dSae, 0);
    for (int64_t b = 0; b < rows; b++) {
      const int64_t rs = c.row_start[b];
      for (int64_t e = rs; e < rs + c.band_end[b * L]; e++)
        if (c.value[e] > 0) fired[c.index[e]] = 1;
    }
  }
  std::vector<int32_t> dead_idx;
  for (int64_t j = 0; j < dSae; j++)
    if (spec.dead[j]) dead_idx.push_back((int32_t)j);
  AuxKResult out;
  out.dead = (int64_t)dead_idx.size();
  const int64_t kAux = std::min<int64_t>(spec.aux_k, out.dead);
  if (kAux == 0) return out;
  const double scale = std::min(1.0, (double)out.dead / spec.aux_k);  // min(#dead / auxK, 1)
  const bool want_grad = gW_encT != nullptr;
  std::vector<int32_t> sel(rows * kAux), count(rows);
  std::vector<float> val(rows * kAux), dpre(want_grad ? rows * kAux : 0), g(want_grad ? rows * dIn : 0);
  std::vector<double> row_loss(rows);
  std::vector<std::vector<int32_t>> cand(pool.size(), std::vector<int32_t>(dead_idx.size()));
  std::vector<std::vector<float>> diff(pool.size(), std::vector<float>(dIn));
  pool.parallel_for(rows, 8, [&](int64_t r0, int64_t r1, int w) {
    int32_t* cb = cand[w].data();
    float* df = diff[w].data();
    for (int64_t b = r0; b < r1; b++) {
      const float* pre = ws.pre.data() + b * dSae;
      int64_t n = 0;
      for (int32_t j : dead_idx)
        if (pre[j] > 0) cb[n++] = j;
      const auto before = [pre](int32_t p, int32_t q) { return pre[p] > pre[q] || (pre[p] == pre[q] && p < q); };
      const int64_t keep = std::min(n, kAux);
      if (n > kAux) std::partial_sort(cb, cb + kAux, cb + n, before);
      count[b] = (int32_t)keep;
      const float* xb = x + b * dIn;
      // -e_b = recon_0[b] - x_b, then + e^_b
      for (int64_t d = 0; d < dIn; d++) df[d] = m.b_dec[d] - xb[d];
      const int64_t rs = c.row_start[b];
      for (int64_t e = rs; e < rs + c.band_end[b * L]; e++) {
        const float z = c.value[e];
        const float* W = m.W_dec + (int64_t)c.index[e] * dIn;
        for (int64_t d = 0; d < dIn; d++) df[d] += z * W[d];
      }
      for (int64_t t = 0; t < keep; t++) {
        const int32_t j = cb[t];
        sel[b * kAux + t] = j;
        val[b * kAux + t] = pre[j];
        const float* W = m.W_dec + (int64_t)j * dIn;
        for (int64_t d = 0; d < dIn; d++) df[d] += pre[j] * W[d];  // e^ - e
      }
      double err = 0, xsq = 0;
      for (int64_t d = 0; d < dIn; d++) {
        err += (double)df[d] * df[d];
        xsq += (double)xb[d] * xb[d];
      }
      const double norm = spec.mse ? (double)dIn : xsq;
      row_loss[b] = err / norm;
      if (!want_grad) continue;
      const float gs = (float)(spec.weight * scale * 2.0 / ((double)rows * norm));
      float* gb = g.data() + b * dIn;
      for (int64_t d = 0; d < dIn; d++) gb[d] = gs * df[d];  // g_b
      for (int64_t t = 0; t < keep; t++) {
        const float* W = m.W_dec + (int64_t)sel[b * kAux + t] * dIn;
        double s = 0;
        for (int64_t d = 0; d < dIn; d++) s += (double)W[d] * gb[d];
        dpre[b * kAux + t] = (float)s;  // W_dec[j] . g_b
      }
    }
  });
  double total = 0;
  for (int64_t b = 0; b < rows; b++) total += row_loss[b];
  out.loss = scale * total / (double)rows;
  if (!want_grad) return out;
  // weight gradients by column blocks: each worker owns columns [d0, d1) of every row it touches
  pool.parallel_for(dIn, 16, [&](int64_t d0, int64_t d1, int) {
    for (int64_t b = 0; b < rows; b++) {
      const float* gb = g.data() + b * dIn;
      const float* xc = ws.xc.data() + b * dIn;
      for (int64_t t = 0; t < count[b]; t++) {
        const int64_t o = (int64_t)sel[b * kAux + t] * dIn;
        const float a = val[b * kAux + t], dp = dpre[b * kAux + t];
        for (int64_t d = d0; d < d1; d++) {
          gW_dec[o + d] += a * gb[d];          // a_bj g_b
          gW_encT[o + d] += dp * xc[d];        // dpre_bj (x_b - b_dec)
          gb_dec[d] -= dp * m.W_encT[o + d];   // pre depends on -b_dec W_enc
        }
      }
    }
  });
  for (int64_t b = 0; b < rows; b++)
    for (int64_t t = 0; t < count[b]; t++) gb_enc[sel[b * kAux + t]] += dpre[b * kAux + t];
  return out;
}

// One SAE pass on a batch: encode (GEMM), select codes into nesting bands, decode every level
// cumulatively (level i = level i-1 + band i), level losses, and (for gradients) the backward pass:
//   G_m[b] = sum_{i >= m} c_i dL_i/drecon_i[b]           (band-summed level gradients, c_i = w_i / sum w)
//   dpre_bj = W_dec[j] . G_{band(b,j)}[b]                 (straight-through on kept entries, pre > 0)
//   dW_dec[j] = sum_b z_bj G_{band(b,j)}[b];  dW_enc[:, j] = sum_b dpre_bj (x_b - b_dec);  db_enc[j] = sum_b dpre_bj
//   db_dec = sum_b G_0[b] - W_enc (sum_b dpre_b)
// (+ l1 / (B ||x_b||) on dpre when the l1 penalty l1 mean_b(sum_j |z_bj| / ||x_b||) is on.)
// Every product with the codes is sparse (only kept entries are touched).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "kernel_types.h"
#include "phase_clock.h"
#include "prefix_bands.h"
#include "selection.h"
#include "slice_kernels.h"
#include "thread_pool.h"
#include "vec.h"

// Fewest rows in a weight-gradient row block: 128 natively (prefetch hides the latency of G rows gathered from L2);
// the wasm build (no prefetch instruction) sets 32, so a row block's G slice (32 x levels x SLICE floats) stays in L1.
#ifndef MSAE_MIN_ROW_BLOCK
#define MSAE_MIN_ROW_BLOCK 128
#endif

namespace MSAE_KERNEL_NS {

// Encode + select. kmax_encode >= 0: evaluation encode (per-row TopK with that k, one band).
static void encode_and_select(ThreadPool& pool, const SaeModel& m, const SaeLossSpec& spec, const float* x, int64_t rows,
                              int64_t kmax_encode, Workspace& ws, double* timings) {
  PhaseClock t0;
  const int64_t dIn = m.dIn, dSae = m.dSae;
  ws.xc.resize(rows * dIn);
  pool.parallel_for(rows, 64, [&](int64_t r0, int64_t r1, int) {
    for (int64_t b = r0; b < r1; b++)
      for (int64_t d = 0; d < dIn; d++) ws.xc[b * dIn + d] = x[b * dIn + d] - m.b_dec[d];  // x - b_dec
  });
  ws.pre.resize(rows * dSae);
  sgemm(pool, rows, dSae, dIn, ws.xc.data(), dIn, m.W_encT, dIn, true, ws.pre.data(), dSae);  // (x - b_dec) W_enc
  add_bias_count_positive(pool, ws.pre.data(), m.b_enc, rows, (int)dSae, ws.positives);          // + b_enc
  if (timings) timings[PHASE_ENCODE] += seconds_since(t0);
  t0 = PhaseClock();
  if (kmax_encode >= 0) {
    int32_t k = (int32_t)std::min<int64_t>(kmax_encode, dSae);
    select_per_row(pool, ws.pre.data(), rows, (int)dSae, &k, 1, ws.positives, ws.codes);
  } else if (spec.arch == ARCH_BATCHTOPK) {
    select_batch(pool, ws.pre.data(), rows, (int)dSae, (int64_t)spec.nesting[0] * rows, ws.positives, ws.codes);
  } else if (spec.arch == ARCH_PREFIX) {
    select_batch(pool, ws.pre.data(), rows, (int)dSae, (int64_t)spec.batch_k * rows, ws.positives, ws.codes);
    prefix_bands(ws.codes, spec.nesting);  // prefix Matryoshka: band g = kept latents of group g
  } else {
    select_per_row(pool, ws.pre.data(), rows, (int)dSae, spec.nesting.data(), (int)spec.nesting.size(), ws.positives,
                   ws.codes);
  }
  if (timings) timings[PHASE_TOPK] += seconds_since(t0);
}

// Dense codes [rows, dSae] of the largest level.
static void scatter_codes(ThreadPool& pool, const Codes& c, int64_t dSae, float* out) {
  pool.parallel_for(c.rows, 64, [&](int64_t r0, int64_t r1, int) {
    for (int64_t b = r0; b < r1; b++) {
      float* o = out + b * dSae;
      std::memset(o, 0, sizeof(float) * dSae);
      for (int64_t e = c.row_start[b]; e < c.row_start[b + 1]; e++) o[c.index[e]] = c.value[e];
    }
  });
}

// Cumulative decode of every level, per-row level losses, and (want_grad) G, slice by slice (see
// slice_kernels.h): per slice and row, band i is added to the running reconstruction, which is then level i's;
// its error gives that slice of L_i and of c_i dL_i/drecon_i; suffix sums give G. dpre starts as the l1 term;
// its W_dec[j] . G_band[b] part is added in weight_gradients, from the same loads of G as dW_dec.
// recons (optional): [levels, rows, dIn].
static void decode_levels(ThreadPool& pool, const SaeModel& m, const SaeLossSpec& spec, const float* x, int64_t rows,
                          Workspace& ws, float* recons, bool want_grad, double* timings) {
  PhaseClock t0;
  const int64_t dIn = m.dIn, dSae = m.dSae, ns = slice_count(dIn);
  const int L = ws.codes.levels;
  const Codes& c = ws.codes;
  ws.row_loss.assign(rows * L, 0.0);
  ws.row_l1.assign(rows, 0.0);
  std::vector<double> xsq(rows), gscale(rows);
  pool.parallel_for(rows, 64, [&](int64_t r0, int64_t r1, int) {
    for (int64_t b = r0; b < r1; b++) {
      double s = 0;
      for (int64_t d = 0; d < dIn; d++) s += (double)x[b * dIn + d] * x[b * dIn + d];
      xsq[b] = s;
      // nmse: L = mean_b sum_d (r-x)^2 / sum_d x^2 ; mse: L = mean_{b,d} (r-x)^2 ; dL/dr = 2 (r - x) / (B denom)
      gscale[b] = 2.0 / ((double)rows * (spec.mse ? (double)dIn : s));
    }
  });
  ws.wdec_s.resize(ns * dSae * SLICE);
  to_slices(pool, m.W_dec, dSae, dIn, ws.wdec_s.data());
  ws.x_s.resize(ns * rows * SLICE);
  to_slices(pool, x, rows, dIn, ws.x_s.data());
  std::vector<float> bdec_s(ns * SLICE, 0.0f);
  std::memcpy(bdec_s.data(), m.b_dec, sizeof(float) * dIn);
  if (want_grad) {
    ws.G_s.resize(ns * rows * L * SLICE);
    ws.dpre.assign(c.nnz(), 0.0f);
  }
  std::vector<float> recon_s(recons ? ns * (int64_t)L * rows * SLICE : 0);
  for (int64_t s = 0; s < ns; s++) {
    const float* W = ws.wdec_s.data() + s * dSae * SLICE;
    pool.parallel_for(rows, 16, [&](int64_t r0, int64_t r1, int) {
      alignas(64) float acc[SLICE];
      for (int64_t b = r0; b < r1; b++) {
        const float* xb = ws.x_s.data() + (s * rows + b) * SLICE;
        std::memcpy(acc, bdec_s.data() + s * SLICE, sizeof(acc));  // recon = z W_dec + b_dec
        const int64_t rs = c.row_start[b];
        const int32_t* be = c.band_end.data() + b * L;
        float* Gb = want_grad ? ws.G_s.data() + (s * rows + b) * L * SLICE : nullptr;
        int start = 0;
        for (int i = 0; i < L; i++) {
          // recon_i = recon_{i-1} + sum_{j in band i} z_bj W_dec[j]
          spmm_slice(acc, be[i] - start, c.index.data() + rs + start, c.value.data() + rs + start, W, SLICE);
          start = be[i];
          float se = 0;
          for (int q = 0; q < SLICE; q++) se += (acc[q] - xb[q]) * (acc[q] - xb[q]);
          ws.row_loss[b * L + i] += se;
          if (recons) std::memcpy(recon_s.data() + ((s * L + i) * rows + b) * SLICE, acc, sizeof(acc));
          if (want_grad) {
            const float cg = (float)(gscale[b] * spec.coef[i]);
            for (int q = 0; q < SLICE; q++) Gb[i * SLICE + q] = cg * (acc[q] - xb[q]);  // c_i dL_i/drecon_i
          }
        }
        if (!want_grad) continue;
        for (int i = L - 2; i >= 0; i--)  // G_m = sum_{i >= m} c_i dL_i/drecon_i
          for (int q = 0; q < SLICE; q++) Gb[i * SLICE + q] += Gb[(i + 1) * SLICE + q];
      }
    });
  }
  if (recons) {
    pool.parallel_for(rows, 64, [&](int64_t r0, int64_t r1, int) {
      for (int i = 0; i < L; i++)
        for (int64_t b = r0; b < r1; b++)
          for (int64_t s = 0; s < ns; s++) {
            const int64_t w = std::min<int64_t>(SLICE, dIn - s * SLICE);
            std::memcpy(recons + ((int64_t)i * rows + b) * dIn + s * SLICE,
                        recon_s.data() + ((s * L + i) * rows + b) * SLICE, sizeof(float) * w);
          }
    });
  }
  pool.parallel_for(rows, 64, [&](int64_t r0, int64_t r1, int) {
    for (int64_t b = r0; b < r1; b++) {
      const double denom = spec.mse ? (double)dIn : xsq[b];
      for (int i = 0; i < L; i++) ws.row_loss[b * L + i] /= denom;
      if (spec.l1 > 0) {
        const double norm = std::sqrt(xsq[b]);
        double l1 = 0;
        for (int64_t e = c.row_start[b]; e < c.row_start[b + 1]; e++) l1 += c.value[e];
        ws.row_l1[b] = l1 / norm;  // sum_j |z_bj| / ||x_b||
        if (want_grad) {
          const float l1g = (float)(spec.l1 / ((double)rows * norm));  // d/dz of l1 mean_b sum|z| / ||x_b||
          for (int64_t e = c.row_start[b]; e < c.row_start[b + 1]; e++) ws.dpre[e] += l1g;
        }
      }
    }
  });
  if (timings) timings[PHASE_DECODE] += seconds_since(t0);
}

// Level losses (mean over rows) and total loss.
static double reduce_losses(const SaeLossSpec& spec, const Workspace& ws, int64_t rows, double* level_losses) {
  const int L = ws.codes.levels;
  double loss = 0;
  for (int i = 0; i < L; i++) {
    double s = 0;
    for (int64_t b = 0; b < rows; b++) s += ws.row_loss[b * L + i];
    level_losses[i] = s / rows;
    loss += spec.coef[i] * level_losses[i];  // sum_i w_i L_i / sum_i w_i
  }
  if (spec.l1 > 0) {
    double s = 0;
    for (int64_t b = 0; b < rows; b++) s += ws.row_l1[b];
    loss += spec.l1 * s / rows;  // + l1 mean_b(sum|z| / ||x||)
  }
  return loss;
}

// Weight gradients from the codes and G (outputs overwritten). The entries are regrouped by row block and
// latent (counting sort per row block); latent blocks run in parallel; within one, pass 1 goes over every
// 64-column slice and row block: each latent's dW_dec slice accumulates in registers over its entries while the
// same G loads give dpre_bj += W_dec[j] . G_band[b]; then db_enc; pass 2 accumulates dW_enc from the finished dpre.
static void weight_gradients(ThreadPool& pool, const SaeModel& m, int64_t rows, Workspace& ws, float* gW_encT,
                             float* gb_enc, float* gW_dec, float* gb_dec, double* timings) {
  PhaseClock t0;
  const int64_t dIn = m.dIn, dSae = m.dSae, ns = slice_count(dIn);
  const Codes& c = ws.codes;
  const int L = c.levels;
  const int64_t nnz = c.nnz();
  ws.xc_s.resize(ns * rows * SLICE);
  to_slices(pool, ws.xc.data(), rows, dIn, ws.xc_s.data());
  // rows per block: enough that a latent has ~32 entries per block, at least MSAE_MIN_ROW_BLOCK
  const double per_row = rows > 0 ? (double)nnz / rows : 0;
  int64_t RB = per_row > 0 ? (int64_t)std::ceil(32.0 * dSae / per_row) : rows;
  RB = std::max<int64_t>(MSAE_MIN_ROW_BLOCK, std::min<int64_t>(RB, rows));
  const int64_t nrb = (rows + RB - 1) / RB;
  ws.col_start.assign(nrb * (dSae + 1), 0);
  ws.col_grow.resize(nnz);
  ws.col_xrow.resize(nnz);
  ws.col_z.resize(nnz);
  ws.col_dpre.resize(nnz);
  pool.parallel_for(nrb, 1, [&](int64_t q0, int64_t q1, int) {
    for (int64_t rb = q0; rb < q1; rb++) {
      const int64_t b0 = rb * RB, b1 = std::min(rows, b0 + RB);
      int64_t* cs = ws.col_start.data() + rb * (dSae + 1);
      for (int64_t e = c.row_start[b0]; e < c.row_start[b1]; e++) cs[c.index[e] + 1]++;
      cs[0] = c.row_start[b0];
      for (int64_t j = 0; j < dSae; j++) cs[j + 1] += cs[j];
      std::vector<int64_t> next(cs, cs + dSae);
      for (int64_t b = b0; b < b1; b++) {
        const int32_t* be = c.band_end.data() + b * L;
        const int64_t rs = c.row_start[b], n = c.row_start[b + 1] - rs;
        int band = 0;
        for (int64_t e = 0; e < n; e++) {
          while (e >= be[band]) band++;
          const int64_t p = next[c.index[rs + e]]++;
          ws.col_grow[p] = (int32_t)(b * L + band);  // G_band[b] within a slice
          ws.col_xrow[p] = (int32_t)b;               // x_b - b_dec within a slice
          ws.col_z[p] = c.value[rs + e];
          ws.col_dpre[p] = ws.dpre[rs + e];
        }
      }
    }
  });
  ws.gwdec_s.resize(ns * dSae * SLICE);
  ws.gwenc_s.resize(ns * dSae * SLICE);
  // latent blocks (one dW_dec and one dW_enc slice of a block, 2 x 128 KiB, stay in L2 while every row
  // block's G and x slices stream by once per latent block)
  constexpr int64_t JB = 512;
  const int64_t jblocks = (dSae + JB - 1) / JB;
  pool.parallel_for(jblocks, 1, [&](int64_t q0, int64_t q1, int) {
    for (int64_t q = q0; q < q1; q++) {
      const int64_t j0 = q * JB, j1 = std::min(dSae, j0 + JB);
      // every latent j of this block, per slice s (this block's part of gradient slice s of grad_s is zeroed first) and
      // row block: fn(j, p, n) for its entries [p, p + n) of that row block
      auto each_entry_run = [&](AlignedFloats& grad_s, int64_t s, auto&& fn) {
        std::memset(grad_s.data() + (s * dSae + j0) * SLICE, 0, sizeof(float) * (j1 - j0) * SLICE);
        for (int64_t rb = 0; rb < nrb; rb++) {
          const int64_t* cs = ws.col_start.data() + rb * (dSae + 1);
          for (int64_t j = j0; j < j1; j++) fn(j, cs[j], cs[j + 1] - cs[j]);
        }
      };
      // pass 1: dW_dec[j] += z_bj G_band[b] and dpre_bj += W_dec[j] . G_band[b] from the same loads of G
      // (col_dpre starts at the l1 term)
      for (int64_t s = 0; s < ns; s++) {
        const float* G = ws.G_s.data() + s * rows * L * SLICE;
        const float* W = ws.wdec_s.data() + s * dSae * SLICE;
        float* gd = ws.gwdec_s.data() + s * dSae * SLICE;
        each_entry_run(ws.gwdec_s, s, [&](int64_t j, int64_t p, int64_t n) {
          gather_dot_slice(gd + j * SLICE, W + j * SLICE, (int)n, ws.col_grow.data() + p, ws.col_z.data() + p,
                           ws.col_dpre.data() + p, G);
        });
      }
      for (int64_t j = j0; j < j1; j++) {
        double sb = 0;
        for (int64_t rb = 0; rb < nrb; rb++) {
          const int64_t* cs = ws.col_start.data() + rb * (dSae + 1);
          for (int64_t p = cs[j]; p < cs[j + 1]; p++) sb += ws.col_dpre[p];
        }
        gb_enc[j] = (float)sb;  // db_enc[j] = sum_b dpre_bj
      }
      // pass 2: dW_enc[:, j] += dpre_bj (x_b - b_dec)
      for (int64_t s = 0; s < ns; s++) {
        const float* X = ws.xc_s.data() + s * rows * SLICE;
        float* ge = ws.gwenc_s.data() + s * dSae * SLICE;
        each_entry_run(ws.gwenc_s, s, [&](int64_t j, int64_t p, int64_t n) {
          spmm_slice(ge + j * SLICE, (int)n, ws.col_xrow.data() + p, ws.col_dpre.data() + p, X, SLICE);
        });
      }
    }
  });
  from_slices(pool, ws.gwdec_s.data(), dSae, dIn, gW_dec);
  from_slices(pool, ws.gwenc_s.data(), dSae, dIn, gW_encT);
  // db_dec = sum_b G_0[b] - sum_j db_enc[j] W_enc[:, j]
  pool.parallel_for(ns, 1, [&](int64_t s0, int64_t s1, int) {
    for (int64_t s = s0; s < s1; s++) {
      const int64_t d0 = s * SLICE, w = std::min<int64_t>(SLICE, dIn - d0);
      double acc[SLICE] = {0};
      for (int64_t b = 0; b < rows; b++) {
        const float* g0 = ws.G_s.data() + (s * rows + b) * L * SLICE;
        for (int64_t q = 0; q < w; q++) acc[q] += g0[q];
      }
      for (int64_t j = 0; j < dSae; j++) {
        const double sj = gb_enc[j];
        if (sj == 0) continue;
        const float* wr = m.W_encT + j * dIn + d0;
        for (int64_t q = 0; q < w; q++) acc[q] -= sj * wr[q];
      }
      for (int64_t q = 0; q < w; q++) gb_dec[d0 + q] = (float)acc[q];
    }
  });
  if (timings) timings[PHASE_BACKWARD] += seconds_since(t0);
}

}  // namespace MSAE_KERNEL_NS

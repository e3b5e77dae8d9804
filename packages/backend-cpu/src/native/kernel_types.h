// Data types shared by addon.cc and every kernel variant (kernels.cc is compiled once per instruction set, each
// copy in its own namespace; these types, plain data, are the same in all of them).
#pragma once
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

// 64-byte aligned storage for the slice-major copies: every 64-float slice row then starts a cache line, so
// no AVX-512 load splits two lines (std::vector's default 16-byte alignment made half the loads split).
template <class T>
struct CacheAligned {
  using value_type = T;
  CacheAligned() = default;
  template <class U>
  CacheAligned(const CacheAligned<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(64))); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t(64)); }
  template <class U>
  bool operator==(const CacheAligned<U>&) const { return true; }
  template <class U>
  bool operator!=(const CacheAligned<U>&) const { return false; }
};
using AlignedFloats = std::vector<float, CacheAligned<float>>;

enum Architecture { ARCH_RELU = 0, ARCH_TOPK = 1, ARCH_BATCHTOPK = 2, ARCH_MSAE = 3, ARCH_PREFIX = 4 };

// Sparse codes per row (CSR), entries grouped by nesting band (see selection.h).
struct Codes {
  int64_t rows = 0;
  int levels = 0;
  std::vector<int64_t> row_start;  // [rows + 1] offset of each row's entries
  std::vector<int32_t> band_end;   // [rows * levels] end offset (relative to row start) of band i
  std::vector<int32_t> index;      // [nnz] latent j
  std::vector<float> value;        // [nnz] a_bj > 0
  int64_t nnz() const { return row_start.empty() ? 0 : row_start[rows]; }
};

struct SaeModel {
  int64_t dIn = 0, dSae = 0;
  const float* W_encT = nullptr;  // [dSae, dIn] (W_enc transposed: one row per latent)
  const float* b_enc = nullptr;
  const float* W_dec = nullptr;  // [dSae, dIn]
  const float* b_dec = nullptr;
};

struct SaeLossSpec {
  int arch = ARCH_MSAE;
  std::vector<int32_t> nesting;  // level budgets k_i (ascending)
  std::vector<double> coef;      // c_i = w_i / sum w
  bool mse = false;              // false: nmse
  int32_t batch_k = 0;           // ARCH_PREFIX: BatchTopK k (nesting holds the group prefix ends)
  double l1 = 0.0;
};

struct Workspace {
  AlignedFloats xc;     // [rows, dIn] x - b_dec
  AlignedFloats pre;    // [rows, dSae] pre-activations (+ b_enc)
  std::vector<int64_t> positives;
  Codes codes;
  AlignedFloats G_s;    // [slices, rows, levels, 64] band-summed level gradients (slice-major)
  AlignedFloats wdec_s, x_s, xc_s, gwdec_s, gwenc_s;  // slice-major copies (see slice_kernels.h)
  std::vector<float> dpre;   // [nnz]
  std::vector<double> row_loss;  // [rows, levels]
  std::vector<double> row_l1;    // [rows]
  // latent-major copy of the codes for the weight gradients
  std::vector<int64_t> col_start;             // [row blocks, dSae + 1]
  std::vector<int32_t> col_grow, col_xrow;    // [nnz] rows b L + band of G and b of x - b_dec (slice rows)
  std::vector<float> col_z, col_dpre;         // [nnz]
};

struct Tensor {
  float* p;  // parameter
  float* g;  // gradient
  float* m;  // first moment
  float* v;  // second moment
  int64_t n;
};

struct AdamConfig {
  double lr, beta1, beta2, eps, weight_decay, clip;
  int64_t step;  // t >= 1 (after incrementing)
};

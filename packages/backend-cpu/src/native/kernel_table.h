// The kernels of one instruction-set variant, as a table of function pointers. kernels.cc is compiled three
// times (base: the compiler's default for the target, SSE2 on x86-64; avx2: AVX2 + FMA; avx512: AVX-512
// F/VL/BW/DQ), each copy in its own namespace exporting one table; dispatch.cc picks a table at load time from
// cpuid (MSAE_CPU_KERNEL overrides).
#pragma once
#include <cstdint>

#include "kernel_types.h"
#include "thread_pool.h"

// int8 x int8 C = A B^T, int32 (Ci) or scaled float (Cf, ascale[i] bscale[j] times the sum) (see int8_gemm.h)
typedef void (*I8GemmFn)(ThreadPool&, int64_t M, int64_t N, int64_t K, const int8_t* A, const int8_t* B,
                         const float* ascale, const float* bscale, int32_t* Ci, float* Cf);

struct KernelTable {
  const char* name;   // "base", "avx2", "avx512"
  int vector_floats;  // floats per vector register in the hot loops (4/8/16)
  // C = A op(B) (see gemm.h)
  void (*sgemm)(ThreadPool&, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb,
                bool transB, float* C, int64_t ldc);
  // C [M,N] = A [M,K] codes^T scaled per row: C[i, j] = scale[j] sum_t A[i, t] codes[j, t] (see gemv.h)
  void (*si8gemv)(ThreadPool&, int64_t M, int64_t N, int64_t K, const float* A, const int8_t* codes, const float* scale,
                  float* C);
  // out [rows, dIn] = z W_dec + b_dec for dense codes z [rows, dSae], skipping zeros
  void (*decode_dense)(ThreadPool&, const float* z, int64_t rows, const float* W_dec, const float* b_dec, int64_t dSae,
                       int64_t dIn, float* out);
  // the SAE pass (see sae_pass.h)
  void (*encode_and_select)(ThreadPool&, const SaeModel&, const SaeLossSpec&, const float* x, int64_t rows,
                            int64_t kmax_encode, Workspace&, double* timings);
  void (*scatter_codes)(ThreadPool&, const Codes&, int64_t dSae, float* out);
  void (*decode_levels)(ThreadPool&, const SaeModel&, const SaeLossSpec&, const float* x, int64_t rows, Workspace&,
                        float* recons, bool want_grad, double* timings);
  double (*reduce_losses)(const SaeLossSpec&, const Workspace&, int64_t rows, double* level_losses);
  void (*weight_gradients)(ThreadPool&, const SaeModel&, int64_t rows, Workspace&, float* gW_encT, float* gb_enc,
                           float* gW_dec, float* gb_dec, double* timings);
  // renormalize / project / clip / AdamW (see optimizer.h); returns the gradient norm before clipping
  double (*training_update)(ThreadPool&, int64_t dIn, int64_t dSae, Tensor W_encT, Tensor b_enc, Tensor W_dec,
                            Tensor b_dec, const AdamConfig&, double* timing);
  I8GemmFn i8gemm;
  const char* i8name;  // "avx2", "portable" (dispatch.cc swaps in "avx512vnni" where cpuid has it)
};

namespace k_base { const KernelTable& kernel_table(); }
#if defined(__x86_64__)
namespace k_avx2 { const KernelTable& kernel_table(); }
namespace k_avx512 { const KernelTable& kernel_table(); }
namespace k_vnni { I8GemmFn i8gemm(); }
#endif

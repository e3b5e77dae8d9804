// One kernel variant: build.mjs compiles this file once per instruction set with -DMSAE_KERNEL_NS=k_<variant>
// and that variant's flags (base: none, avx2: -mavx2 -mfma, avx512: -mavx512f/vl/bw/dq), so every kernel
// below exists once per variant in its own namespace; kernel_table() hands them to dispatch.cc.
// Nothing here runs at load time (no static initializers), so linking the AVX-512 copy is safe on any CPU.
#ifndef MSAE_KERNEL_NS
#error "compile with -DMSAE_KERNEL_NS=k_base|k_avx2|k_avx512"
#endif
#include "glibc_compat.h"

#include <cstring>
#include <vector>

#include "gemm.h"
#include "gemv.h"
#include "int8_gemm.h"
#include "kernel_table.h"
#include "optimizer.h"
#include "sae_pass.h"
#include "vec.h"

namespace MSAE_KERNEL_NS {

// out = z W_dec + b_dec over the nonzero codes of each row
static void decode_dense(ThreadPool& pool, const float* z, int64_t rows, const float* W, const float* bd, int64_t dSae,
                         int64_t dIn, float* out) {
  std::vector<std::vector<const float*>> srcs(pool.size(), std::vector<const float*>(dSae));
  std::vector<std::vector<float>> vals(pool.size(), std::vector<float>(dSae));
  pool.parallel_for(rows, 8, [&](int64_t r0, int64_t r1, int w) {
    for (int64_t b = r0; b < r1; b++) {
      int n = 0;
      for (int64_t j = 0; j < dSae; j++) {
        const float v = z[b * dSae + j];
        if (v != 0.0f) {
          srcs[w][n] = W + j * dIn;
          vals[w][n++] = v;
        }
      }
      float* o = out + b * dIn;
      std::memcpy(o, bd, sizeof(float) * dIn);  // z W_dec + b_dec
      accumulate_rows(o, (int)dIn, n, srcs[w].data(), vals[w].data());
    }
  });
}

#define MSAE_STR2(x) #x
#define MSAE_STR(x) MSAE_STR2(x)

const KernelTable& kernel_table() {
  // constant-initialized (no code runs at load time)
  static constexpr KernelTable table{
      MSAE_STR(MSAE_KERNEL_NS) + 2, VW, sgemm, si8gemv_abt, decode_dense, encode_and_select, scatter_codes, decode_levels,
      reduce_losses, weight_gradients, training_update, i8gemm_abt, I8_KERNEL};
  return table;
}

}  // namespace MSAE_KERNEL_NS

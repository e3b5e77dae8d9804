// The AVX-512 VNNI int8 kernel (int8_gemm.h's vpdpbusd path), compiled on its own with -mavx512vnni by build.mjs
// (x86-64 only) and chosen by dispatch.cc only when cpuid reports avx512vnni. No static initializers.
#define MSAE_KERNEL_NS k_vnni
#include "glibc_compat.h"

#include "int8_gemm.h"
#include "kernel_table.h"

namespace k_vnni {

I8GemmFn i8gemm() { return i8gemm_abt; }

}  // namespace k_vnni

// Runtime choice of the kernel variant: the best one this CPU supports (cpuid through
// __builtin_cpu_supports), or the one requested (the JS loader passes MSAE_CPU_KERNEL=base|avx2|avx512).
#pragma once
#include <string>
#include <vector>

#include "kernel_table.h"

struct KernelChoice {
  const KernelTable* table = nullptr;  // null: the requested variant is unknown or this CPU cannot run it
  std::vector<std::string> supported;  // variants this CPU can run, best first
  std::string cpu_model;               // e.g. "Intel(R) Xeon(R) Processor"
  std::string error;                   // why table is null
  I8GemmFn i8gemm = nullptr;           // the int8 x int8 kernel: the table's, or AVX-512 VNNI where cpuid has it
  const char* i8name = "";
};

// requested: a variant name, or empty for the best one this CPU supports.
KernelChoice kernel_choice(const std::string& requested);

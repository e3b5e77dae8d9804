// Kernel variant selection at load time (see dispatch.h).
#include "dispatch.h"

#include <cstring>
#include <fstream>

namespace {

struct Variant {
  const char* name;
  const KernelTable& (*table)();
  bool (*supported)();
};

#if defined(__x86_64__)
bool has_avx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma");
}
bool has_avx512vnni() {
  __builtin_cpu_init();
  return has_avx512() && __builtin_cpu_supports("avx512vnni");
}
bool has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif
bool always() { return true; }

// best first
const Variant kVariants[] = {
#if defined(__x86_64__)
    {"avx512", k_avx512::kernel_table, has_avx512},
    {"avx2", k_avx2::kernel_table, has_avx2},
#endif
    {"base", k_base::kernel_table, always},
};

// The CPU's brand string (cpuid leaves 0x80000002-4 on x86-64, /proc/cpuinfo elsewhere).
std::string cpu_model() {
#if defined(__x86_64__)
  unsigned regs[12];
  unsigned max_leaf;
  asm volatile("cpuid" : "=a"(max_leaf) : "a"(0x80000000u), "c"(0) : "ebx", "edx");
  if (max_leaf >= 0x80000004u) {
    for (unsigned i = 0; i < 3; i++)
      asm volatile("cpuid" : "=a"(regs[4 * i]), "=b"(regs[4 * i + 1]), "=c"(regs[4 * i + 2]), "=d"(regs[4 * i + 3])
                   : "a"(0x80000002u + i), "c"(0));
    std::string s(reinterpret_cast<const char*>(regs), sizeof(regs));
    s = s.c_str();  // up to the first NUL
    const auto b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
    if (b != std::string::npos) return s.substr(b, e - b + 1);
  }
#endif
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    for (const char* key : {"model name", "Hardware", "Processor", "cpu model"}) {
      if (line.rfind(key, 0) == 0) {
        const auto colon = line.find(':');
        if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
      }
    }
  }
  return "unknown CPU";
}

}  // namespace

KernelChoice kernel_choice(const std::string& requested) {
  static const std::string model = cpu_model();
  KernelChoice c;
  c.cpu_model = model;
  for (const Variant& v : kVariants)
    if (v.supported()) c.supported.push_back(v.name);
  const char* forced = requested.c_str();
  for (const Variant& v : kVariants) {
    if (*forced) {
      if (std::strcmp(forced, v.name) != 0) continue;
      if (!v.supported()) {
        c.error = std::string("MSAE_CPU_KERNEL=") + forced + ": this CPU (" + c.cpu_model + ") does not support it";
        return c;
      }
    } else if (!v.supported()) {
      continue;
    }
    c.table = &v.table();
    c.i8gemm = c.table->i8gemm;
    c.i8name = c.table->i8name;
#if defined(__x86_64__)
    if (std::strcmp(v.name, "avx512") == 0 && has_avx512vnni()) {
      c.i8gemm = k_vnni::i8gemm();
      c.i8name = "avx512vnni";
    }
#endif
    return c;
  }
  std::string names;
  for (const Variant& v : kVariants) names += std::string(names.empty() ? "" : "|") + v.name;
  c.error = std::string("MSAE_CPU_KERNEL=") + forced + ": unknown kernel variant (expected " + names + ")";
  return c;
}

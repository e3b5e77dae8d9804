// Phase timers of the engine (encode, topk, decode, backward, optimizer).
#pragma once
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>

enum Phase { PHASE_ENCODE = 0, PHASE_TOPK = 1, PHASE_DECODE = 2, PHASE_BACKWARD = 3, PHASE_OPTIMIZER = 4 };

// Phase timings use wall-clock time; MSAE_CPU_TIMING=cpu switches them to process CPU time (useful on a
// shared machine, where wall time mostly measures the other tenants).
static inline bool timing_uses_cpu_clock() {
  static const bool cpu = [] {
    const char* v = std::getenv("MSAE_CPU_TIMING");
    return v && std::string(v) == "cpu";
  }();
  return cpu;
}
static inline double clock_now() {
  if (timing_uses_cpu_clock()) {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
struct PhaseClock {
  double t = clock_now();
};
static inline double seconds_since(const PhaseClock& c) { return clock_now() - c.t; }

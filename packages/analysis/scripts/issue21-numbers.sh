#!/usr/bin/env bash
# Issue 21's numbers in one run: exactSearch vs numpy (500k x 512 in memory, 1 and 256 queries), the compact int8
# collection against float32 (recall@10, speed), the wasm engine's training speed in Node (forced) and in headless
# Chromium against the native engine (msae 512 -> 4096, k 64, batch 256), each repeated RUNS times with the
# machine (CPU, kernel variants, load average) printed before every run. Needs `pnpm build`; numpy from
# /usr/bin/python3; chromium for the browser row. LanceDB is separate (benchmark-lance.mjs: its index build is long).
#   packages/analysis/scripts/issue21-numbers.sh [RUNS=3] [OUT=/work/runs/issue21]   (writes OUT/numbers-<time>.txt and
#   the training plots OUT/training-run<r>.svg)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
runs="${1:-${RUNS:-3}}"
out="${2:-${OUT:-/work/runs/issue21}}"
mkdir -p "$out"
log="$out/numbers-$(date -u +%Y%m%dT%H%M%SZ).txt"
machine() {
  echo "## $(date -u +%FT%TZ) $1"
  echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $(nproc); kernel $(uname -r)"
  echo "CPU vector flags: $(grep -m1 -o -w -E 'avx2|avx512f|avx512bw|avx512_vnni|avx_vnni' /proc/cpuinfo | sort -u | tr '\n' ' ' || true)"
  (cd "$root/packages/backend-cpu" && node -e "import('@msae/backend-cpu').then((c) => { const i = c.nativeKernelInfo(); console.log('native kernel: ' + i.variant + ' (' + i.source + '), int8 kernel: ' + i.int8Kernel + ', supported: ' + i.supported.join('/')); })")
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}
{
  for r in $(seq 1 "$runs"); do
    machine "search run $r of $runs"
    (cd "$root/packages/analysis" && node scripts/benchmark-search-numpy.mjs) | grep -v '^{'
  done
  for r in $(seq 1 "$runs"); do
    machine "training run $r of $runs"
    (cd "$root/packages/backend-wasm" && node scripts/bench-training.mjs --plot "$out/training-run$r.svg" 2>&1) | grep -v '^{'
  done
  machine "per-core training (wasm vs native variants, samples per CPU-second)"
  (cd "$root/packages/backend-wasm" && node scripts/bench-per-core.mjs)
  machine "end"
} 2>&1 | tee "$log"
echo "written: $log"

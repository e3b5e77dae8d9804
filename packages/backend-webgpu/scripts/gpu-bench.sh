#!/usr/bin/env bash
# One command for the next person with a GPU (run from anywhere in the checkout):
#   packages/backend-webgpu/scripts/gpu-bench.sh            # configs A-D, batch 4096
#   CONFIGS=A,D STEPS=5 packages/backend-webgpu/scripts/gpu-bench.sh
# Builds what it needs, then in one invocation benchmarks configs A-D on
#   1. the WebGPU engine on the hardware adapter (Dawn via the `webgpu` npm package; fails on a software adapter),
#   2. the native CPU engine (apps/bench's msae-bench),
#   3. PyTorch CUDA (the paper's dense algorithm), when python3 has torch with CUDA,
# and prints one summary table (samples/s, ratios, A/D). Raw JSON goes to $OUT_DIR (default bench-results/).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
PNPM=${PNPM:-"npx --yes pnpm@10.34.8"}
OUT_DIR=${OUT_DIR:-$ROOT/bench-results}
CONFIGS=${CONFIGS:-A,B,C,D}
STEPS=${STEPS:-10}
WARMUP=${WARMUP:-2}
BATCH=${BATCH:-4096}
mkdir -p "$OUT_DIR"
log() { printf '%s\n' "$*" >&2; }

if [ ! -d node_modules ] || [ ! -d packages/backend-webgpu/node_modules/webgpu ]; then
  log "installing (pnpm install)"
  ONNXRUNTIME_NODE_INSTALL=skip $PNPM install >&2 || { log "pnpm install failed"; exit 1; }
fi
log "building"
$PNPM --filter @msae/backend-webgpu... --filter @msae/bench... run build >&2 || { log "build failed"; exit 1; }

log "machine: $(uname -srm), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2

log "== 1/3 webgpu engine (hardware adapter) =="
# no VK_ICD_FILENAMES override: Dawn picks the real driver
env -u VK_ICD_FILENAMES MSAE_WEBGPU_HARDWARE=1 node packages/backend-webgpu/scripts/bench.mjs --require-hardware --json \
  --config "$CONFIGS" --batch "$BATCH" --steps "$STEPS" --warmup "$WARMUP" > "$OUT_DIR/webgpu.json" \
  || log "webgpu bench failed (see above)"

log "== 2/3 native CPU engine =="
CPU_BENCH=apps/bench/dist/cli.js
if [ -f "$CPU_BENCH" ]; then
  node "$CPU_BENCH" --json --config "$CONFIGS" --steps "$(( STEPS < 5 ? STEPS : 5 ))" --warmup 1 > "$OUT_DIR/cpu.json" || log "cpu bench failed"
else
  log "cpu bench skipped: $CPU_BENCH not built"
fi

log "== 3/3 PyTorch CUDA =="
PY=$(command -v python3 || true)
rm -f "$OUT_DIR/torch-cuda.jsonl"
if [ -n "$PY" ] && "$PY" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  for c in ${CONFIGS//,/ }; do
    "$PY" packages/backend-webgpu/scripts/pytorch_cuda_baseline.py --config "$c" --batch "$BATCH" --steps "$STEPS" --warmup "$WARMUP" --json \
      | tail -n 1 >> "$OUT_DIR/torch-cuda.jsonl" || log "pytorch cuda config $c failed"
  done
else
  log "PyTorch CUDA skipped: python3 has no torch with a CUDA device"
fi

node packages/backend-webgpu/scripts/bench-summary.mjs "$OUT_DIR"

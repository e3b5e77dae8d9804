#!/usr/bin/env python3
"""PyTorch CUDA baseline for scripts/gpu-bench.sh: apps/bench's PyTorch baseline (the paper's algorithm: every
nesting level selected with torch.topk and decoded densely, autograd, renormalization / projection / clipping,
torch.optim.AdamW) run on a CUDA device, timed with torch.cuda.synchronize() around each step.

Usage: python3 pytorch_cuda_baseline.py --config A|B|C|D [--batch 4096] [--steps 10] [--warmup 2] --json
Prints progress on stderr and one JSON object as the last stdout line. Exits 2 when torch has no CUDA device.
"""
import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "apps", "bench", "python"))

import torch  # noqa: E402
import pytorch_baseline as pb  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--config", choices=sorted(pb.CONFIGS), required=True)
    p.add_argument("--batch", type=int, default=0)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    if not torch.cuda.is_available():
        print("pytorch cuda baseline: torch.cuda.is_available() is False", file=sys.stderr)
        sys.exit(2)
    dev = torch.device("cuda")
    c = dict(pb.CONFIGS[a.config])
    batch = a.batch or c["batch"]
    torch.manual_seed(0)
    x = torch.randn(batch, c["dIn"], device=dev)
    x = (x - x.mean(0)) / x.norm(dim=1, keepdim=True).mean() * (c["dIn"] ** 0.5)  # mean_b ||x||^2 ~ dIn, like the trainer
    if c["architecture"] == "msae":
        nesting = pb.nesting_list(c["k"], c["dSae"])
        weights = list(range(len(nesting), 0, -1))  # rw: n, n-1, ..., 1
        lr = 1e-4
    else:
        nesting, weights, lr = [c["k"]], [1], 5e-4
    sae = pb.SAE(c["dIn"], c["dSae"], 42).to(dev)
    opt = torch.optim.AdamW(sae.parameters(), lr=lr, betas=(0.9, 0.999), eps=6.25e-10, weight_decay=0.0)
    phases = dict(encode=0.0, topk=0.0, decode=0.0, backward=0.0, optimizer=0.0)  # unsynchronized: not reported
    for s in range(a.warmup):
        loss = pb.train_step(sae, opt, x, nesting, weights, phases)
        print(f"{a.config} pytorch cuda: warm-up {s + 1}/{a.warmup} loss {loss:.4f}", file=sys.stderr)
    times = []
    for s in range(a.steps):
        torch.cuda.synchronize()
        t = time.perf_counter()
        loss = pb.train_step(sae, opt, x, nesting, weights, phases)  # float(loss) synchronizes too
        torch.cuda.synchronize()
        times.append(time.perf_counter() - t)
        print(f"{a.config} pytorch cuda: step {s + 1}/{a.steps} {times[-1]:.4f} s loss {loss:.4f}", file=sys.stderr)
    sps = statistics.median(times)
    out = dict(
        name=a.config,
        engine=f"pytorch {torch.__version__} cuda ({torch.cuda.get_device_name(0)})",
        batch=batch,
        steps=a.steps,
        samplesPerSecond=batch / sps,
        secondsPerStep=sps,
        finalLoss=loss,
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()

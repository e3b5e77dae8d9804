#!/usr/bin/env python3
"""PyTorch baseline for `pnpm bench --baseline`: the Matryoshka SAE training step as the paper's code does it.

Each nesting level is selected with torch.topk on the ReLU'd pre-activations and decoded densely and separately
(z_i @ W_dec + b_dec), the loss is sum_i w_i L_i / sum_i w_i, gradients come from autograd, then: decoder rows
renormalized (W_enc columns and b_enc compensated), decoder-gradient component along each row removed, global
grad-norm clip 1.0, torch.optim.AdamW (betas 0.9/0.999, eps 6.25e-10, weight decay 0).

Install on Debian: apt-get install -y python3-torch python3-numpy libopenblas0-pthread
Usage: /usr/bin/python3 pytorch_baseline.py --config A|B|C|D [--steps 5] [--warmup 1] [--threads N] [--data FILE.f32] --json
Prints progress on stderr and one JSON object as the last stdout line.
"""
import argparse
import json
import math
import os
import resource
import statistics
import sys
import time

import numpy as np
import torch

CONFIGS = {
    "A": dict(architecture="msae", dIn=512, dSae=4096, k=64, batch=4096),
    "B": dict(architecture="topk", dIn=512, dSae=4096, k=64, batch=4096),
    "C": dict(architecture="msae", dIn=768, dSae=6144, k=64, batch=4096),
    # A's largest nesting level alone (k = d_sae: every positive code), the one-level SAE of the same cost class
    "D": dict(architecture="topk", dIn=512, dSae=4096, k=4096, batch=4096),
}


def nesting_list(k0, d_sae):
    """k0, 2k0, 4k0, ... while <= d_sae, then d_sae appended if missing."""
    out, k = [], k0
    while k <= d_sae:
        out.append(k)
        k *= 2
    if out[-1] != d_sae:
        out.append(d_sae)
    return out


class SAE(torch.nn.Module):
    def __init__(self, d_in, d_sae, seed):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        bound = math.sqrt(6.0 / d_in)  # kaiming-uniform, fan_in d_in
        w_dec = (torch.rand(d_sae, d_in, generator=g) * 2 - 1) * bound
        w_dec = 0.1 * w_dec / w_dec.norm(dim=1, keepdim=True)  # rows scaled to norm 0.1
        self.W_dec = torch.nn.Parameter(w_dec)
        self.W_enc = torch.nn.Parameter(w_dec.t().clone())  # W_enc = W_dec^T
        self.b_enc = torch.nn.Parameter(torch.zeros(d_sae))
        self.b_dec = torch.nn.Parameter(torch.zeros(d_in))


def nmse(recon, x):
    """mean_b( sum_d (r - x)^2 / sum_d x^2 )"""
    return (((recon - x) ** 2).sum(-1) / (x**2).sum(-1)).mean()


def train_step(sae, opt, x, nesting, weights, phases):
    t = time.perf_counter()
    pre = (x - sae.b_dec) @ sae.W_enc + sae.b_enc  # pre = (x - b_dec) W_enc + b_enc
    acts = torch.relu(pre)
    t1 = time.perf_counter()
    phases["encode"] += t1 - t
    losses = []
    for k in nesting:
        t = time.perf_counter()
        vals, idx = torch.topk(acts, k, dim=-1, sorted=False)  # level i: z_i = TopK_{k_i}(a)
        z = torch.zeros_like(acts).scatter(-1, idx, vals)
        t1 = time.perf_counter()
        phases["topk"] += t1 - t
        recon = z @ sae.W_dec + sae.b_dec  # recon_i = z_i W_dec + b_dec (dense)
        losses.append(nmse(recon, x))
        phases["decode"] += time.perf_counter() - t1
    t = time.perf_counter()
    loss = sum(w * l for w, l in zip(weights, losses)) / sum(weights)  # sum_i w_i L_i / sum_i w_i
    opt.zero_grad(set_to_none=True)
    loss.backward()
    t1 = time.perf_counter()
    phases["backward"] += t1 - t
    with torch.no_grad():
        n = sae.W_dec.norm(dim=1)  # n_j = ||W_dec[j]||
        sae.W_dec.div_(n[:, None])
        sae.W_enc.mul_(n[None, :])
        sae.b_enc.mul_(n)
        g = sae.W_dec.grad
        g.sub_((g * sae.W_dec).sum(1, keepdim=True) * sae.W_dec)  # G[j] -= (G[j] . W[j]) W[j]
    torch.nn.utils.clip_grad_norm_(sae.parameters(), 1.0)
    opt.step()
    phases["optimizer"] += time.perf_counter() - t1
    return float(loss)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--config", choices=sorted(CONFIGS), required=True)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--data", help="raw float32 file of [batch, dIn] normalized rows (default: Gaussian rows)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    c = CONFIGS[a.config]
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.data:
        x = torch.from_numpy(np.fromfile(a.data, dtype=np.float32).reshape(c["batch"], c["dIn"]))
    else:
        x = torch.randn(c["batch"], c["dIn"])
    if c["architecture"] == "msae":
        nesting = nesting_list(c["k"], c["dSae"])
        weights = list(range(len(nesting), 0, -1))  # rw: n, n-1, ..., 1
        lr = 1e-4
    else:
        nesting, weights, lr = [c["k"]], [1], 5e-4
    sae = SAE(c["dIn"], c["dSae"], 42)
    opt = torch.optim.AdamW(sae.parameters(), lr=lr, betas=(0.9, 0.999), eps=6.25e-10, weight_decay=0.0)
    phases = dict(encode=0.0, topk=0.0, decode=0.0, backward=0.0, optimizer=0.0)
    for s in range(a.warmup):
        loss = train_step(sae, opt, x, nesting, weights, phases)
        print(f"{a.config} pytorch: warm-up step {s + 1}/{a.warmup} loss {loss:.4f}", file=sys.stderr)
    phases = {k: 0.0 for k in phases}
    times = []
    for s in range(a.steps):
        t = time.perf_counter()
        loss = train_step(sae, opt, x, nesting, weights, phases)
        times.append(time.perf_counter() - t)
        print(f"{a.config} pytorch: step {s + 1}/{a.steps} {times[-1]:.3f} s loss {loss:.4f}", file=sys.stderr)
    sps = statistics.median(times)
    with torch.no_grad():  # encoding throughput: x -> top-k codes (dense)
        enc = []
        for s in range(max(3, a.steps) + 1):
            t = time.perf_counter()
            acts = torch.relu((x - sae.b_dec) @ sae.W_enc + sae.b_enc)
            vals, idx = torch.topk(acts, c.get("encodeK", 64), dim=-1, sorted=False)
            torch.zeros_like(acts).scatter_(-1, idx, vals)
            if s > 0:
                enc.append(time.perf_counter() - t)
    out = dict(
        name=a.config,
        architecture=c["architecture"] + ("-rw" if c["architecture"] == "msae" else ""),
        k=c["dSae"] if c["architecture"] == "msae" else c["k"],
        dIn=c["dIn"],
        dSae=c["dSae"],
        batch=c["batch"],
        engine=f"pytorch {torch.__version__} ({torch.get_num_threads()} intra-op threads, BLAS matmuls)",
        threads=torch.get_num_threads(),
        steps=a.steps,
        samplesPerSecond=c["batch"] / sps,
        secondsPerStep=sps,
        peakRssBytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        phases={k: v / a.steps for k, v in phases.items()},
        encodeK=c.get("encodeK", 64),
        encodeSamplesPerSecond=c["batch"] / statistics.median(enc),
        encodeSecondsPerBatch=statistics.median(enc),
        finalLoss=loss,
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()

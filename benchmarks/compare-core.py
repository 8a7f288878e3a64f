#!/usr/bin/env python3
"""Compare `hone-bench core` with PyTorch (CPU) and NumPy on the same shapes, same thread count.

Usage (from the repository root, after `swift build -c release --product hone-bench`):
    /work/venv/bin/python benchmarks/compare-core.py [--threads 1,2] [--quick]
        [--hone-output FILE]   # read hone-bench JSON lines from FILE instead of running it
        [--only gemm,mlp,fma,conv,vector] [--batches N]
        [--cpu-clock]          # process CPU time on both sides (1 thread only; busy machine)
        [--rounds N]           # N alternating rounds of Hone and the anchors, best of each kept

Timing matches hone-bench: one warm-up call, then the best of several timed batches.
GEMM layouts match hone-bench: square sizes are A·B; the MLP shapes (batch 128, 784→256→128→10,
weights stored in×out) are forward X·W, dX = dY·Wᵀ (B transposed view) and dW = Xᵀ·dY
(A transposed view). conv2d = forward + backward w.r.t. input, weight and bias (input
requires grad for both layers, matching hone-bench which runs backwardInput for conv1 too).
Installs nothing; skips torch (or NumPy) with a message when it is missing.
"""
import argparse
import json
import os
import subprocess
import sys
import time

from _common import best_time, run_hone_bench, thread_env



def mlp_shapes():
    out = []
    for i, o in [(784, 256), (256, 128), (128, 10)]:
        out.append((128, o, i, False, False))
        out.append((128, i, o, False, True))
        out.append((i, o, 128, True, False))
    return out


CONV_LAYERS = {"conv1": (128, 1, 28, 28, 32), "conv2": (128, 32, 13, 13, 64)}


def anchor_worker(args):
    """Runs in a child process whose thread env vars are already set; prints JSON lines."""
    threads = args.worker_threads
    min_s, batches = (0.05, 3) if args.quick else (0.25, 5)
    if args.batches:
        batches = args.batches
    clock = time.process_time if args.cpu_clock else time.perf_counter
    parts = set(args.only.split(","))
    try:
        import numpy as np
    except ImportError:
        np = None
        print("# numpy missing: skipping NumPy anchors", file=sys.stderr)
    try:
        import torch
        torch.set_num_threads(threads)
    except ImportError:
        torch = None
        print("# torch missing: skipping PyTorch anchors", file=sys.stderr)

    def emit(**kw):
        print(json.dumps(kw), flush=True)

    gemms = []
    if "gemm" in parts:
        sizes = [128, 512, 1024] if args.quick else [128, 256, 512, 1024, 2048]
        gemms += [(s, s, s, False, False) for s in sizes]
    if "mlp" in parts:
        gemms += mlp_shapes()
    for m, n, k, ta, tb in gemms:
        flops = 2.0 * m * n * k
        if torch is not None:
            a = torch.rand(k, m) if ta else torch.rand(m, k)
            b = torch.rand(n, k) if tb else torch.rand(k, n)
            a_op = a.t() if ta else a
            b_op = b.t() if tb else b
            out = torch.empty(m, n)
            t = best_time(lambda: torch.matmul(a_op, b_op, out=out), min_s, batches, clock)
            emit(src="torch", bench="gemm", m=m, n=n, k=k, threads=threads, gflops=flops / t * 1e-9)
        if np is not None:
            a = np.random.rand(k, m).astype(np.float32) if ta else np.random.rand(m, k).astype(np.float32)
            b = np.random.rand(n, k).astype(np.float32) if tb else np.random.rand(k, n).astype(np.float32)
            a_op = a.T if ta else a
            b_op = b.T if tb else b
            out = np.empty((m, n), dtype=np.float32)
            t = best_time(lambda: np.matmul(a_op, b_op, out=out), min_s, batches, clock)
            emit(src="numpy", bench="gemm", m=m, n=n, k=k, threads=threads, gflops=flops / t * 1e-9)
    if "conv" in parts and torch is not None:
        import torch.nn.functional as F
        for name, (nb, ci, h, w, co) in CONV_LAYERS.items():
            x = torch.rand(nb, ci, h, w, requires_grad=True)
            wt = torch.rand(co, ci, 3, 3, requires_grad=True)
            bias = torch.rand(co, requires_grad=True)
            dy = torch.rand(nb, co, h - 2, w - 2)

            def step():
                x.grad = None
                wt.grad = None
                bias.grad = None
                F.conv2d(x, wt, bias).backward(dy)

            t = best_time(step, min_s, batches, clock)
            emit(src="torch", bench="conv2d", layer=name, threads=threads, fwd_bwd_ms=t * 1e3)
    if "vector" in parts:
        vector_anchors(args, threads, torch, np, emit, min_s, batches, clock)


def vector_anchors(args, threads, torch, np, emit, min_s, batches, clock):
    """softmax / exp / add GB/s in the same configuration as CoreBenchVector.swift."""
    n = 1 << 22 if args.quick else 1 << 24
    rows, cols = 4096, 1000
    if torch is not None:
        x = torch.rand(n) * 20 - 10
        y = torch.empty(n)
        z = torch.rand(n)
        t = best_time(lambda: torch.exp(x, out=y), min_s, batches, clock)
        emit(src="torch", bench="exp", count=n, threads=threads, gbps=8.0 * n / t * 1e-9)
        t = best_time(lambda: torch.add(x, z, out=y), min_s, batches, clock)
        emit(src="torch", bench="add", count=n, threads=threads, gbps=12.0 * n / t * 1e-9)
        s = torch.rand(rows, cols)
        so = torch.empty(rows, cols)
        t = best_time(lambda: torch.softmax(s, dim=1, out=so), min_s, batches, clock)
        emit(src="torch", bench="softmax", rows=rows, cols=cols, threads=threads, gbps=8.0 * rows * cols / t * 1e-9)
    if np is not None:
        x = (np.random.rand(n) * 20 - 10).astype(np.float32)
        y = np.empty(n, dtype=np.float32)
        z = np.random.rand(n).astype(np.float32)
        t = best_time(lambda: np.exp(x, out=y), min_s, batches, clock)
        emit(src="numpy", bench="exp", count=n, threads=threads, gbps=8.0 * n / t * 1e-9)
        t = best_time(lambda: np.add(x, z, out=y), min_s, batches, clock)
        emit(src="numpy", bench="add", count=n, threads=threads, gbps=12.0 * n / t * 1e-9)


def key(rec):
    b = rec["bench"]
    if b == "gemm":
        return (b, rec["m"], rec["n"], rec["k"], rec["threads"])
    if b == "conv2d":
        return (b, rec["layer"], rec["threads"])
    if b == "fma_peak":
        return (b, rec["threads"])
    return (b, rec.get("rows"), rec.get("cols"), rec.get("count"), rec["threads"])


def metric(rec):
    for name in ("gflops", "fwd_bwd_ms", "gbps"):
        if name in rec:
            return name, rec[name]
    return None, None


def run_hone(args):
    return run_hone_bench(["core", "--threads", args.threads, "--only", args.only] + (["--quick"] if args.quick else []) +
                          (["--cpu-clock"] if args.cpu_clock else []) +
                          (["--batches", str(args.batches)] if args.batches else []), args.hone_output)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", default="gemm,mlp,fma,conv,vector")
    p.add_argument("--hone-output")
    p.add_argument("--batches", type=int, help="timed batches per measurement (best reported)")
    p.add_argument("--cpu-clock", action="store_true",
                   help="time with process CPU time on both sides (robust on a busy machine; "
                        "meaningful at 1 thread only)")
    p.add_argument("--rounds", type=int, default=1,
                   help="measure Hone and the anchors this many times in alternation; each keeps its best")
    p.add_argument("--worker-threads", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker_threads:
        anchor_worker(args)
        return

    # Two MLP shapes share (m, n, k) and differ only in layout (forward X·W and dW = Xᵀ·dY of
    # the 128→10 layer), so records are paired by (key, occurrence) in emission order.
    seen = {}

    def occurrence(src, k):
        seen[(src,) + k] = seen.get((src,) + k, -1) + 1
        return k + (seen[(src,) + k],)

    def keep_best(old, new):
        """The better of two records of one measurement (higher GFLOP/s or GB/s, lower ms)."""
        if old is None:
            return new
        name, a = metric(old)
        _, b = metric(new)
        better = b < a if name == "fwd_bwd_ms" else b > a
        return new if better else old

    # With --rounds N, Hone and the anchors are measured N times in alternation and each side
    # keeps its best: a host whose speed drifts over minutes then favours neither side.
    hone, anchors = None, {}
    for rnd in range(args.rounds):
        run = [json.loads(l) for l in run_hone(args) if l.startswith("{")]
        for rec in run:
            print(json.dumps(dict(src="hone", round=rnd, **rec)))
        hone = run if hone is None else [keep_best(o, n) for o, n in zip(hone, run)]
        for t in [int(x) for x in args.threads.split(",")]:
            env = thread_env(t)
            cmd = [sys.executable, os.path.abspath(__file__), "--worker-threads", str(t), "--only", args.only] + \
                  (["--quick"] if args.quick else []) + (["--cpu-clock"] if args.cpu_clock else []) + \
                  (["--batches", str(args.batches)] if args.batches else [])
            res = subprocess.run(cmd, env=env, capture_output=True, text=True)
            sys.stderr.write(res.stderr)
            seen.clear()
            for line in res.stdout.splitlines():
                if line.startswith("{"):
                    rec = json.loads(line)
                    src = rec.pop("src")
                    k = (src,) + occurrence(src, key(rec))
                    anchors[k] = keep_best(anchors.get(k), rec)
                    print(json.dumps(dict(src=src, round=rnd, **rec)))
    seen.clear()
    print()
    print(f"{'benchmark':<34} {'metric':<11} {'hone':>9} {'torch':>9} {'numpy':>9} {'vs torch':>9} {'vs numpy':>9}")
    for rec in hone:
        k = occurrence("hone", key(rec))
        name, value = metric(rec)
        label = " ".join(str(x) for x in key(rec) if x is not None)
        tr = anchors.get(("torch",) + k)
        nr = anchors.get(("numpy",) + k)
        tv = metric(tr)[1] if tr else None
        nv = metric(nr)[1] if nr else None

        def ratio(anchor):
            if anchor is None or value is None:
                return "-"
            r = anchor / value if name == "fwd_bwd_ms" else value / anchor   # >1 means Hone is faster
            return f"{r:.2f}x"
        fmt = lambda v: "-" if v is None else f"{v:.4g}"
        print(f"{label:<34} {name:<11} {fmt(value):>9} {fmt(tv):>9} {fmt(nv):>9} {ratio(tv):>9} {ratio(nv):>9}")


if __name__ == "__main__":
    main()

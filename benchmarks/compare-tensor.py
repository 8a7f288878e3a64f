#!/usr/bin/env python3
"""Compare `hone-bench tensor` with PyTorch (CPU) on the same graphs, same thread count.

Usage (from the repository root, after `swift build -c release --product hone-bench`):
    /work/venv/bin/python benchmarks/compare-tensor.py [--threads 1,2] [--quick] [--only mlp,cnn,lstm,ops]
        [--hone-output FILE]   # read hone-bench JSON lines from FILE instead of running it

A step is forward + mean cross-entropy + backward + a plain SGD update of every parameter
(p -= lr·grad; grads set to None), batch 128, for the networks issue's reference models:
mlp = 784-256-128-10 ReLU; cnn = conv3×3 32 → ReLU → maxpool2 → conv3×3 64 → ReLU → maxpool2 →
dense 128 → ReLU → dense 10; lstm = 28 rows of 28 pixels → LSTM(128) (nn.LSTM) → last hidden
state → dense 10. Inference = forward under no_grad. Timing matches hone-bench
(warm-up, then the best of several batches); `--cpu-clock` uses process CPU time on both sides,
which is robust to a busy machine at 1 thread. Installs nothing; skips with a message when torch
is missing. Ratios > 1 mean Hone is faster.
"""
import argparse
import json
import os
import subprocess
import sys
import time

from _common import best_time, run_hone_bench, thread_env



def anchor_worker(args):
    clock = time.process_time if args.cpu_clock else time.perf_counter
    threads = args.worker_threads
    min_s, batches = (0.2, 3) if args.quick else (1.0, 5)
    parts = set(args.only.split(","))
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print("# torch missing: skipping PyTorch anchors", file=sys.stderr)
        return
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    batch = 128

    def emit(**kw):
        print(json.dumps(dict(threads=threads, **kw)))

    def model_bench(name, params, forward, x, y):
        def step():
            loss = F.cross_entropy(forward(x), y)
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p -= 0.01 * p.grad
                    p.grad = None

        def infer():
            with torch.no_grad():
                forward(x)
        s = best_time(step, min_s, batches, clock)
        i = best_time(infer, min_s, batches, clock)
        emit(bench="tensor_step", model=name, batch=batch, step_ms=s * 1e3, train_samples_per_s=batch / s,
             infer_ms=i * 1e3, infer_samples_per_s=batch / i)

    def dense(i, o):
        b = 1 / i ** 0.5
        return [(torch.rand(o, i) * 2 * b - b).requires_grad_(), (torch.rand(o) * 2 * b - b).requires_grad_()]

    if "mlp" in parts:
        p = dense(784, 256) + dense(256, 128) + dense(128, 10)
        x = torch.rand(batch, 784)
        y = torch.randint(0, 10, (batch,))
        fwd = lambda x: F.linear(F.relu(F.linear(F.relu(F.linear(x, p[0], p[1])), p[2], p[3])), p[4], p[5])
        model_bench("mlp", p, fwd, x, y)
    if "cnn" in parts:
        def conv(i, o):
            b = 1 / (i * 9) ** 0.5
            return [(torch.rand(o, i, 3, 3) * 2 * b - b).requires_grad_(), (torch.rand(o) * 2 * b - b).requires_grad_()]
        p = conv(1, 32) + conv(32, 64) + dense(1600, 128) + dense(128, 10)
        x = torch.rand(batch, 1, 28, 28)
        y = torch.randint(0, 10, (batch,))

        def fwd(x):
            h = F.max_pool2d(F.relu(F.conv2d(x, p[0], p[1])), 2)
            h = F.max_pool2d(F.relu(F.conv2d(h, p[2], p[3])), 2)
            h = F.relu(F.linear(h.flatten(1), p[4], p[5]))
            return F.linear(h, p[6], p[7])
        model_bench("cnn", p, fwd, x, y)
    if "lstm" in parts:
        lstm = torch.nn.LSTM(28, 128, batch_first=True)
        head = dense(128, 10)
        params = list(lstm.parameters()) + head
        x = torch.rand(batch, 28, 28)
        y = torch.randint(0, 10, (batch,))

        def fwd(x):
            out, _ = lstm(x)
            return F.linear(out[:, -1], head[0], head[1])
        model_bench("lstm", params, fwd, x, y)
    if "ops" in parts:
        a = torch.rand(128, 256) * 2 - 1
        bias = torch.rand(256) * 2 - 1
        big = torch.rand(1 << 22) * 2 - 1
        big2 = torch.rand(1 << 22) * 2 - 1
        logits = torch.rand(128, 1000) * 10 - 5
        cases = [
            ("add_bias_128x256", a.numel(), lambda: a + bias),
            ("relu_128x256", a.numel(), lambda: torch.relu(a)),
            ("add_4M", big.numel(), lambda: big + big2),
            ("exp_4M", big.numel(), lambda: torch.exp(big)),
            ("sum_4M", big.numel(), lambda: big.sum()),
            ("softmax_128x1000", logits.numel(), lambda: torch.softmax(logits, -1)),
            ("transpose_copy_128x256", a.numel(), lambda: a.t().contiguous()),
        ]
        for name, n, fn in cases:
            s = best_time(fn, min_s, batches, clock)
            emit(bench="tensor_op", op=name, us=s * 1e6, gelem_per_s=n / s / 1e9)


def key(rec):
    if rec["bench"] == "tensor_step":
        return ("tensor_step", rec["model"], rec["threads"])
    return ("tensor_op", rec["op"], rec["threads"])


def run_hone(args):
    return run_hone_bench(["tensor", "--threads", args.threads, "--only", args.only] + (["--quick"] if args.quick else []) +
                          (["--cpu-clock"] if args.cpu_clock else []), args.hone_output)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", default="mlp,cnn,lstm,ops")
    p.add_argument("--hone-output")
    p.add_argument("--cpu-clock", action="store_true",
                   help="process CPU time on both sides (meaningful at 1 thread on a busy machine)")
    p.add_argument("--worker-threads", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker_threads:
        anchor_worker(args)
        return
    hone = [json.loads(l) for l in run_hone(args) if l.startswith("{")]
    anchors = {}
    for t in [int(x) for x in args.threads.split(",")]:
        env = thread_env(t)
        cmd = [sys.executable, os.path.abspath(__file__), "--worker-threads", str(t), "--only", args.only] + \
              (["--quick"] if args.quick else []) + (["--cpu-clock"] if args.cpu_clock else [])
        res = subprocess.run(cmd, env=env, capture_output=True, text=True)
        sys.stderr.write(res.stderr)
        for line in res.stdout.splitlines():
            if line.startswith("{"):
                rec = json.loads(line)
                anchors[key(rec)] = rec
                print(json.dumps(dict(src="torch", **rec)))
    for rec in hone:
        print(json.dumps(dict(src="hone", **rec)))
    print()
    print(f"{'benchmark':<40} {'metric':<22} {'hone':>10} {'torch':>10} {'ratio':>7}")
    for rec in hone:
        tr = anchors.get(key(rec))
        metrics = ["train_samples_per_s", "infer_samples_per_s"] if rec["bench"] == "tensor_step" else ["us"]
        for m in metrics:
            hv, tv = rec[m], (tr[m] if tr else None)
            ratio = "-" if tv is None else f"{(tv / hv if m == 'us' else hv / tv):.2f}x"
            label = " ".join(str(x) for x in key(rec))
            print(f"{label:<40} {m:<22} {hv:>10.4g} {('-' if tv is None else f'{tv:.4g}'):>10} {ratio:>7}")


if __name__ == "__main__":
    main()

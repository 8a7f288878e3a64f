"""Trains issue 3's reference models on Fashion-MNIST with Hone and with PyTorch, in the same
run and with the same settings, and prints both JSON lines and the Hone/PyTorch ratios.

    swift build -c release --product hone-bench
    /path/to/venv/bin/python benchmarks/compare-train.py --models mlp,cnn,lstm --epochs 1 --threads 2

PyTorch uses the same architectures (its default initialization), Adam lr 1e-3, batch size,
thread count and epochs; inputs scaled to [0, 1]; a fresh shuffle every epoch. Throughput is
training samples / training-loop seconds; inference is the best of three timed passes (after a
warm-up) of the forward pass over the 10k test images in pre-built batches, in eval mode under
no_grad, as `hone-bench train` measures it. Each framework runs in its own process so peak RSS
is its own. Needs torch and numpy; installs nothing.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time


from _common import fashion_mnist


def torch_run(model_name, epochs, threads, batch, directory, seed, schedule="constant"):
    import torch
    import torch.nn as nn

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    xtr, ytr = (torch.from_numpy(a) for a in fashion_mnist(directory, "train", "compare-train"))
    xte, yte = (torch.from_numpy(a) for a in fashion_mnist(directory, "t10k", "compare-train"))

    class LastStep(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(28, 128, batch_first=True)
            self.fc = nn.Linear(128, 10)

        def forward(self, x):
            out, _ = self.lstm(x.reshape(-1, 28, 28))
            return self.fc(out[:, -1])

    if model_name == "mlp":
        model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                              nn.Linear(128, 10))
    elif model_name == "cnn":
        model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                              nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
        xtr, xte = xtr.reshape(-1, 1, 28, 28), xte.reshape(-1, 1, 28, 28)
    elif model_name == "lstm":
        model = LastStep()
    else:
        sys.exit(f"compare-train: unknown model {model_name}")
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = xtr.shape[0]
    steps = epochs * ((n + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps, eta_min=0) if schedule == "cosine" else None
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(seed)
    train_seconds = 0.0
    last_loss = float("nan")
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(n, generator=g)
        total, seen, correct = 0.0, 0, 0
        start = time.perf_counter()
        for s in range(0, n, batch):
            idx = order[s:s + batch]
            x, y = xtr[idx], ytr[idx]
            opt.zero_grad(set_to_none=True)
            out = model(x)
            loss = loss_fn(out, y)
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            total += loss.item() * len(idx)
            seen += len(idx)
            correct += (out.argmax(1) == y).sum().item()
        seconds = time.perf_counter() - start
        train_seconds += seconds
        last_loss = total / seen
        print(f"torch epoch {epoch + 1}/{epochs}  loss {last_loss:.4f}  accuracy {correct / seen:.4f}  "
              f"{seen / seconds / 1000:.1f}k samples/s  {seconds:.1f}s", flush=True)
    model.eval()
    batches = [xte[s:s + batch] for s in range(0, xte.shape[0], batch)]
    best = float("inf")
    with torch.no_grad():
        for p in range(4):
            start = time.perf_counter()
            for x in batches:
                model(x)
            if p > 0:
                best = min(best, time.perf_counter() - start)
        correct = sum((model(x).argmax(1) == yte[i * batch:(i + 1) * batch]).sum().item() for i, x in enumerate(batches))
    return {
        "model": model_name, "framework": "pytorch " + torch.__version__, "schedule": schedule, "epochs": epochs, "threads": threads,
        "batch": batch, "train_samples": n, "train_samples_per_s": round(n * epochs / train_seconds, 1),
        "infer_samples_per_s": round(xte.shape[0] / best, 1), "test_accuracy": round(correct / xte.shape[0], 4),
        "final_loss": round(last_loss, 4), "train_seconds": round(train_seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def hone_run(binary, model_name, epochs, threads, batch, directory, seed, schedule):
    cmd = [binary, "train", "--model", model_name, "--epochs", str(epochs), "--threads", str(threads),
           "--batch", str(batch), "--data", directory, "--seed", str(seed), "--schedule", schedule]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"compare-train: {' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    lines = proc.stdout.strip().splitlines()
    for line in lines[:-1]:
        print("hone " + line, flush=True)
    return json.loads(lines[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="mlp,cnn,lstm")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--schedule", default="constant", choices=["constant", "cosine"],
                    help="constant lr 1e-3 (the reference recipe) or cosine annealing to 0 over all batches")
    ap.add_argument("--hone-bench", default=".build/release/hone-bench")
    ap.add_argument("--torch-only", help=argparse.SUPPRESS)
    args = ap.parse_args()

    try:
        import numpy  # noqa: F401
        import torch  # noqa: F401
    except ImportError as e:
        print(f"compare-train: {e.name} is not installed in {sys.executable}; skipping")
        return

    if args.torch_only:
        print(json.dumps(torch_run(args.torch_only, args.epochs, args.threads, args.batch, args.data, args.seed,
                                   args.schedule)))
        return
    if not os.path.exists(args.hone_bench):
        sys.exit(f"compare-train: {args.hone_bench} not found; run `swift build -c release --product hone-bench` first")

    for model_name in args.models.split(","):
        hone = hone_run(args.hone_bench, model_name, args.epochs, args.threads, args.batch, args.data, args.seed,
                        args.schedule)
        proc = subprocess.run([sys.executable, __file__, "--torch-only", model_name, "--epochs", str(args.epochs),
                               "--threads", str(args.threads), "--batch", str(args.batch), "--data", args.data,
                               "--seed", str(args.seed), "--schedule", args.schedule], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"compare-train: PyTorch run failed:\n{proc.stderr}")
        out = proc.stdout.strip().splitlines()
        for line in out[:-1]:
            print(line, flush=True)
        ref = json.loads(out[-1])
        print(json.dumps(hone))
        print(json.dumps(ref))
        ratios = {
            "model": model_name,
            "train_ratio": round(hone["train_samples_per_s"] / ref["train_samples_per_s"], 2),
            "infer_ratio": round(hone["infer_samples_per_s"] / ref["infer_samples_per_s"], 2),
            "accuracy_delta": round(hone["test_accuracy"] - ref["test_accuracy"], 4),
            "rss_ratio": round(hone["peak_rss_mb"] / ref["peak_rss_mb"], 2),
        }
        print(json.dumps(ratios), flush=True)


if __name__ == "__main__":
    main()

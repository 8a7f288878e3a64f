"""Attacks the same weights with Hone and with PyTorch (same run, same settings) and prints both
robust accuracies, plus attack throughput.

    swift build -c release --product hone
    /path/to/venv/bin/python benchmarks/compare-attacks.py --model runs/cnn/best-model.safetensors \
        --eps 0.1 --pgd-steps 10 --samples 10000 --threads 2

The model is Hone's `cnn` (conv3x3 32 -> ReLU -> maxpool2 -> conv3x3 64 -> ReLU -> maxpool2 ->
dense 128 -> ReLU -> dense 10), saved by `hone train`; its safetensors names (0.weight, 3.weight,
7.weight, 9.weight, ...) are PyTorch's nn.Sequential names, so the weights load unchanged
(the architecture is the torch reference of benchmarks/compare-train.py).

The PyTorch attacks mirror Hone's exactly: FGSM x' = clamp(x + eps*sign(grad CE), 0, 1); PGD (Madry
et al. 2018) from a uniform random start in the eps-ball, `steps` steps of alpha = 2.5*eps/steps
with projection and clamping, keeping per sample the strongest iterate (a misclassified one
first, else the highest loss), as Hone does. Random starts come from different generators, so
PGD figures agree statistically, not bit for bit. Throughput is test images per second of
"attack + accuracy of the adversarial inputs" in batches of --batch, best of --repeats
interleaved runs (Hone, PyTorch, Hone, PyTorch, ...). Needs torch, numpy and safetensors;
installs nothing.
"""
import argparse
import json
import os
import subprocess
import sys
import time


from _common import fashion_mnist


def torch_model(path):
    import torch.nn as nn
    from safetensors.torch import load_file
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
    model.load_state_dict(load_file(path))
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def fgsm(model, x, y, eps):
    import torch
    import torch.nn.functional as F
    x = x.clone().requires_grad_(True)
    g, = torch.autograd.grad(F.cross_entropy(model(x), y, reduction="sum"), x)
    return (x + eps * g.sign()).clamp(0, 1).detach()


def pgd(model, x0, y, eps, steps, alpha, gen):
    import torch
    import torch.nn.functional as F
    x = (x0 + (torch.rand(x0.shape, generator=gen) * 2 - 1) * eps)
    x = torch.min(torch.max(x, x0 - eps), x0 + eps).clamp(0, 1)
    best = x0.clone()
    best_success = torch.zeros(x0.shape[0], dtype=torch.bool)
    best_loss = torch.full((x0.shape[0],), -float("inf"))

    def offer(x, logits):
        nonlocal best, best_success, best_loss
        loss = F.cross_entropy(logits, y, reduction="none")
        success = logits.argmax(1) != y
        better = (success & ~best_success) | ((success == best_success) & (loss > best_loss))
        best[better] = x[better]
        best_success = torch.where(better, success, best_success)
        best_loss = torch.where(better, loss, best_loss)

    for _ in range(steps):
        x.requires_grad_(True)
        logits = model(x)
        g, = torch.autograd.grad(F.cross_entropy(logits, y, reduction="sum"), x)
        with torch.no_grad():
            offer(x.detach(), logits.detach())
            x = x.detach() + alpha * g.sign()
            x = torch.min(torch.max(x, x0 - eps), x0 + eps).clamp(0, 1)
    with torch.no_grad():
        offer(x, model(x))
    return best


def torch_attack(model, x, y, attack, eps, steps, batch, seed):
    import torch
    gen = torch.Generator().manual_seed(seed)
    correct = 0
    start = time.perf_counter()
    for i in range(0, x.shape[0], batch):
        xb, yb = x[i:i + batch], y[i:i + batch]
        adv = fgsm(model, xb, yb, eps) if attack == "fgsm" else pgd(model, xb, yb, eps, steps, 2.5 * eps / steps, gen)
        with torch.no_grad():
            correct += (model(adv).argmax(1) == yb).sum().item()
    return correct / x.shape[0], time.perf_counter() - start


def hone_attack(binary, model, data, attack, eps, steps, samples, batch, threads):
    env = dict(os.environ, HONE_THREADS=str(threads))
    cmd = [binary, "attack", model, "--data", data, "--attack", attack, "--eps", str(eps), "--steps", str(steps),
           "--samples", str(samples), "--batch-size", str(batch), "--no-sanity", "--json"]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"compare-attacks: {' '.join(cmd)} failed:\n{out.stderr[-2000:]}")
    line = json.loads(out.stdout.strip().splitlines()[-1])
    return line["robust_accuracy"], line["results"][0]["seconds"], line["clean_accuracy"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="Hone cnn .safetensors")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--eps", type=float, default=0.1)
    ap.add_argument("--pgd-steps", type=int, default=10)
    ap.add_argument("--samples", type=int, default=10000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hone", default=".build/release/hone")
    args = ap.parse_args()
    try:
        import numpy  # noqa: F401
        import torch
        import safetensors  # noqa: F401
    except ImportError as e:
        print(f"compare-attacks: {e.name} is not installed; skipping (needs torch, numpy, safetensors)")
        return
    torch.set_num_threads(args.threads)
    images, labels = fashion_mnist(args.data, "t10k", "compare-attacks")
    x, y = torch.from_numpy(images), torch.from_numpy(labels)
    x, y = x[:args.samples].reshape(-1, 1, 28, 28), y[:args.samples]
    model = torch_model(args.model)
    with torch.no_grad():
        clean = (model(x).argmax(1) == y).float().mean().item()
    results = []
    for attack, steps in (("fgsm", 1), ("pgd", args.pgd_steps)):
        hone_best = torch_best = float("inf")
        for _ in range(args.repeats):
            h_acc, h_s, h_clean = hone_attack(args.hone, args.model, args.data, attack, args.eps, steps, args.samples,
                                              args.batch, args.threads)
            t_acc, t_s = torch_attack(model, x, y, attack, args.eps, steps, args.batch, args.seed)
            hone_best, torch_best = min(hone_best, h_s), min(torch_best, t_s)
        row = {"attack": attack, "eps": args.eps, "steps": steps, "step_size": args.eps if attack == "fgsm" else 2.5 * args.eps / steps,
               "restarts": 1, "samples": args.samples, "threads": args.threads,
               "clean_accuracy_hone": h_clean, "clean_accuracy_torch": clean,
               "robust_accuracy_hone": h_acc, "robust_accuracy_torch": t_acc,
               "difference_pt": round(100 * (h_acc - t_acc), 2),
               "hone_images_per_s": args.samples / hone_best, "torch_images_per_s": args.samples / torch_best,
               "speedup": torch_best / hone_best}
        results.append(row)
        print(json.dumps(row))
    ok = all(abs(r["difference_pt"]) <= 1.0 for r in results)
    print(f"agreement within 1 pt: {'yes' if ok else 'NO'}; PGD-{args.pgd_steps} throughput Hone/PyTorch: "
          f"{results[1]['speedup']:.2f}x")


if __name__ == "__main__":
    main()

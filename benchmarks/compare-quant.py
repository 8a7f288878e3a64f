"""Int8 quantization side by side: Hone (`hone-bench quant`: static PTQ int8, dynamic int8, fp32)
against PyTorch's own int8 path (torch.ao `quantize_dynamic` of the same trained `mlp`, engine
x86 or fbgemm) in the same run, plus the ONNX checks in onnxruntime (fp32 max |error|, int8
prediction agreement on the Fashion-MNIST test set).

    swift build -c release --product hone-bench
    /path/to/venv/bin/python benchmarks/compare-quant.py --mlp mlp.safetensors --cnn cnn.safetensors --threads 2

The models are Hone model files (`hone train` with `Models.mlp` / `Models.cnn` architectures).
PyTorch loads the same mlp weights (safetensors), quantizes it dynamically, and is timed at
batch 1 and 128 on the same test images as Hone, median of rounds of ≥ 20 ms each after a
warm-up, at the same thread count. Hone and PyTorch alternate (torch, Hone, torch) so machine
load affects both; the torch figure is the median over its two passes. Needs torch, numpy,
safetensors (onnxruntime for the ONNX checks, skipped with a message if missing); installs nothing.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


from _common import fashion_mnist


def median_ms(fn, reps):
    for _ in range(3):
        fn()
    t = time.perf_counter(); fn(); one = max(1e-6, time.perf_counter() - t)
    calls = max(1, int(0.02 / one))
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - t) * 1e3 / calls)
    return sorted(samples)[len(samples) // 2]


def torch_side(mlp_path, images, labels, threads, reps):
    try:
        import torch
        from safetensors.torch import load_file
    except ImportError as e:
        print(f"compare-quant: PyTorch side skipped ({e})")
        return None
    torch.set_num_threads(threads)
    engines = torch.backends.quantized.supported_engines
    engine = "x86" if "x86" in engines else "fbgemm" if "fbgemm" in engines else None
    if engine is None:
        print(f"compare-quant: PyTorch has no x86/fbgemm quantized engine ({engines})")
        return None
    torch.backends.quantized.engine = engine
    sd = load_file(mlp_path)
    lin = sorted({k.split(".")[0] for k in sd if k.endswith(".weight")}, key=int)
    layers = [torch.nn.Flatten()]
    for i, name in enumerate(lin):
        w = sd[name + ".weight"]
        l = torch.nn.Linear(w.shape[1], w.shape[0])
        l.weight.data.copy_(w); l.bias.data.copy_(sd[name + ".bias"])
        layers.append(l)
        if i + 1 < len(lin):
            layers.append(torch.nn.ReLU())
    fp32 = torch.nn.Sequential(*layers).eval()
    q = torch.ao.quantization.quantize_dynamic(fp32, {torch.nn.Linear}, dtype=torch.qint8)
    x = torch.from_numpy(images.reshape(-1, 784))
    out = {"engine": engine, "torch": torch.__version__, "threads": threads}
    with torch.no_grad():
        out["accuracy_fp32"] = float((fp32(x).argmax(1).numpy() == labels).mean())
        out["accuracy_int8_dynamic"] = float((q(x).argmax(1).numpy() == labels).mean())
        for b in (1, 128):
            xb = x[:b].contiguous()
            out[f"latency_ms_b{b}_fp32"] = median_ms(lambda: fp32(xb), reps)
            out[f"latency_ms_b{b}_int8_dynamic"] = median_ms(lambda: q(xb), reps)
    return out


def onnx_side(outdir, images, models):
    try:
        import numpy as np
        import onnxruntime as ort
    except ImportError as e:
        print(f"compare-quant: ONNX checks skipped ({e}; pip install onnxruntime)")
        return {}
    res = {}
    for name in models:
        shape = (-1, 1, 28, 28) if name == "cnn" else (-1, 784)
        for kind in ("fp32", "int8"):
            path = os.path.join(outdir, f"{name}-{kind}.onnx")
            s = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            y = s.run(None, {"input": images.reshape(shape)})[0]
            hone = np.fromfile(os.path.join(outdir, f"{name}-{kind}-logits.f32"), dtype=np.float32).reshape(y.shape)
            res[f"{name}_{kind}"] = {"max_abs_error": float(np.abs(y - hone).max()),
                                     "prediction_agreement": float((y.argmax(1) == hone.argmax(1)).mean())}
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mlp", required=True)
    ap.add_argument("--cnn")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--method", default="percentile")
    ap.add_argument("--qat-epochs", type=int, default=0)
    ap.add_argument("--hone-bench", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "hone-bench"))
    a = ap.parse_args()
    images, labels = fashion_mnist(a.data, "t10k", "compare-quant")
    if not os.path.exists(a.hone_bench):
        sys.exit(f"compare-quant: {a.hone_bench} missing; run `swift build -c release --product hone-bench` first")
    outdir = tempfile.mkdtemp(prefix="hone-compare-quant-")
    models = {"mlp": a.mlp} | ({"cnn": a.cnn} if a.cnn else {})

    torch1 = torch_side(a.mlp, images, labels, a.threads, a.reps)
    cmd = [a.hone_bench, "quant", "--threads", str(a.threads), "--reps", str(a.reps), "--method", a.method,
           "--qat-epochs", str(a.qat_epochs), "--output", outdir, "--data", a.data]
    for k, v in models.items():
        cmd += ["--model", f"{k}={v}"]
    env = dict(os.environ, HONE_THREADS=str(a.threads))
    hone = [json.loads(l) for l in subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout.splitlines()
            if l.startswith("{")]
    torch2 = torch_side(a.mlp, images, labels, a.threads, a.reps)
    for h in hone:
        print(json.dumps(h, sort_keys=True))
    if torch1 and torch2:
        t = dict(torch1)
        for k in torch1:
            if k.startswith("latency"):
                t[k] = (torch1[k] + torch2[k]) / 2
        t["side"] = "torch"
        print(json.dumps(t, sort_keys=True))
        h = next(x for x in hone if x["model"] == "mlp")
        for b in (1, 128):
            print(f"mlp batch {b}: Hone int8 static {h[f'latency_ms_b{b}_int8']:.4f} ms, Hone int8 dynamic "
                  f"{h[f'latency_ms_b{b}_int8_dynamic']:.4f} ms, Hone fp32 {h[f'latency_ms_b{b}_fp32']:.4f} ms | "
                  f"torch int8 dynamic ({t['engine']}) {t[f'latency_ms_b{b}_int8_dynamic']:.4f} ms, torch fp32 "
                  f"{t[f'latency_ms_b{b}_fp32']:.4f} ms | torch dyn / Hone static = "
                  f"{t[f'latency_ms_b{b}_int8_dynamic'] / h[f'latency_ms_b{b}_int8']:.2f}x, torch dyn / Hone dyn = "
                  f"{t[f'latency_ms_b{b}_int8_dynamic'] / h[f'latency_ms_b{b}_int8_dynamic']:.2f}x")
    for h in hone:
        print(f"{h['model']}: accuracy fp32 {h['accuracy_fp32']:.4f} int8 {h['accuracy_int8']:.4f} (drop {h['drop_pt']:.2f} pt)"
              + (f" QAT {h['accuracy_int8_qat']:.4f} (drop {h['drop_qat_pt']:.2f} pt)" if "accuracy_int8_qat" in h else "")
              + f"; file {h['file_ratio']:.2f}x smaller; speed-up b1 {h['speedup_b1']:.2f}x b128 {h['speedup_b128']:.2f}x")
    onnx = onnx_side(outdir, images, models)
    if onnx:
        print(json.dumps({"side": "onnxruntime", **onnx}, sort_keys=True))
    try:
        load = os.getloadavg()
        print(f"load average during the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs")
    except OSError:
        pass


if __name__ == "__main__":
    main()

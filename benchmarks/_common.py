"""Shared pieces of the benchmark compare scripts: Fashion-MNIST from IDX files
(compare-train.py, compare-attacks.py, compare-quant.py), the best-of-batches timer and the
hone-bench launcher (compare-core.py, compare-tensor.py). Imported from the scripts' own
folder (`from _common import fashion_mnist`); needs numpy for the data, installs nothing.
"""
import gzip
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def best_time(fn, min_seconds, batches, clock=time.perf_counter):
    """Seconds per call of FN: best over BATCHES batches after a warm-up call (as BenchTimer in
    Swift). A batch repeats FN as often as it takes to last about min_seconds / batches / 4;
    measuring stops early once it has spent 4 × min_seconds (scaled up past 5 batches)."""
    fn()
    reps = 1
    while True:
        t0 = clock()
        for _ in range(reps):
            fn()
        t = clock() - t0
        if t >= min_seconds / batches / 4 or reps >= 1 << 20:
            break
        reps *= 2
    best, spent = float("inf"), 0.0
    for _ in range(batches):
        t0 = clock()
        for _ in range(reps):
            fn()
        t = clock() - t0
        spent += t
        best = min(best, t / reps)
        if spent > min_seconds * 4 * max(1.0, batches / 5):
            break
    return best


def run_hone_bench(arguments, saved_output=None):
    """The stdout lines of `hone-bench ARGUMENTS` (the release build if it exists, else through
    `swift run -c release`), or of the file SAVED_OUTPUT when given."""
    if saved_output:
        with open(saved_output) as f:
            return f.read().splitlines()
    binary = os.path.join(ROOT, ".build", "release", "hone-bench")
    cmd = [binary] + arguments if os.path.exists(binary) else \
        [shutil.which("swift") or "swift", "run", "-c", "release", "hone-bench"] + arguments
    print("# running: " + " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout.splitlines()


def thread_env(threads):
    """os.environ with OpenMP, MKL and OpenBLAS limited to THREADS threads (for an anchor worker
    process, which must be started with it: these libraries read the variables at import)."""
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(threads)
    return env


def load_idx(path):
    """An IDX file (optionally gzipped) as a uint8 numpy array of its stored shape."""
    import numpy as np
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(directory, name, tool):
    """The path of NAME.gz or NAME in DIRECTORY; exits with a message naming TOOL if neither exists."""
    for candidate in (os.path.join(directory, name + ".gz"), os.path.join(directory, name)):
        if os.path.exists(candidate):
            return candidate
    sys.exit(f"{tool}: {name}[.gz] not found in {directory}")


def fashion_mnist(directory, split, tool):
    """(images float32 in [0, 1] [N, 28, 28], labels int64 [N]) of SPLIT ("train" or "t10k")."""
    import numpy as np
    images = load_idx(find(directory, f"{split}-images-idx3-ubyte", tool)).astype(np.float32) / 255.0
    labels = load_idx(find(directory, f"{split}-labels-idx1-ubyte", tool)).astype(np.int64)
    return images, labels

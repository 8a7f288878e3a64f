"""Shared pieces of the benchmark compare scripts (compare-train.py, compare-attacks.py,
compare-quant.py): Fashion-MNIST from IDX files. Imported from the scripts' own folder
(`from _common import fashion_mnist`); needs numpy, installs nothing.
"""
import gzip
import os
import sys


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

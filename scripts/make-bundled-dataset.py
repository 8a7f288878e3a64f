#!/usr/bin/env python3
"""Build Hone's bundled default dataset: a stratified subset of Fashion-MNIST.

Reproducible and seeded: for every class, the examples of a split are ranked by
SHA-256("hone-fmnist-subset:<seed>:<split>:<index>") and the first N are kept (N = 800 per
class from the training set, 200 per class from the test set); kept examples stay in their
original file order. The output is IDX (LeCun's format), gzip level 9 with mtime 0, written
next to an MIT licence and a README recording the SHA-256 of every uncompressed payload.

Uses only the Python standard library. Usage:

    python3 scripts/make-bundled-dataset.py \
        [--source /usr/share/datasets/fashion-mnist] \
        [--output Sources/HoneData/Resources/fashion-mnist-subset] [--seed 0]

The source is Debian's `dataset-fashion-mnist` package (or the four .gz files from
https://github.com/zalandoresearch/fashion-mnist).
"""
import argparse
import gzip
import hashlib
import os
import struct
import sys

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SPLITS = [("train", 800), ("t10k", 200)]

LICENCE = """The MIT License (MIT)

Copyright (c) 2017 Zalando SE, https://tech.zalando.com

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def read_idx(path, expected_magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic != expected_magic:
        sys.exit(f"{path}: expected IDX magic {expected_magic.hex()}, found {magic.hex()}")
    ndim = magic[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def write_atomic(path, payload):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(payload)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--output", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..",
        "Sources", "HoneData", "Resources", "fashion-mnist-subset"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)

    lines = []
    for split, per_class in SPLITS:
        img_dims, pixels = read_idx(os.path.join(args.source, f"{split}-images-idx3-ubyte.gz"),
                                    b"\x00\x00\x08\x03")
        lab_dims, labels = read_idx(os.path.join(args.source, f"{split}-labels-idx1-ubyte.gz"),
                                    b"\x00\x00\x08\x01")
        count, rows, cols = img_dims
        if lab_dims[0] != count:
            sys.exit(f"{split}: {count} images but {lab_dims[0]} labels")
        by_class = {c: [] for c in range(len(CLASSES))}
        for i in range(count):
            key = hashlib.sha256(f"hone-fmnist-subset:{args.seed}:{split}:{i}".encode()).digest()
            by_class[labels[i]].append((key, i))
        keep = []
        for c, items in by_class.items():
            if len(items) < per_class:
                sys.exit(f"{split}: class {c} has only {len(items)} examples")
            keep.extend(i for _, i in sorted(items)[:per_class])
        keep.sort()
        size = rows * cols
        img_payload = struct.pack(">4sIII", b"\x00\x00\x08\x03", len(keep), rows, cols) + b"".join(
            pixels[i * size:(i + 1) * size] for i in keep)
        lab_payload = struct.pack(">4sI", b"\x00\x00\x08\x01", len(keep)) + bytes(
            labels[i] for i in keep)
        for name, payload in ((f"{split}-images-idx3-ubyte", img_payload),
                              (f"{split}-labels-idx1-ubyte", lab_payload)):
            write_atomic(os.path.join(args.output, name + ".gz"),
                         gzip.compress(payload, compresslevel=9, mtime=0))
            lines.append(f"| `{name}.gz` | {hashlib.sha256(payload).hexdigest()} |")
        print(f"{split}: kept {len(keep)} of {count} ({per_class} per class)")

    write_atomic(os.path.join(args.output, "LICENSE"), LICENCE.encode())
    readme = f"""# Bundled Fashion-MNIST subset

A stratified subset of Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, Zalando SE, MIT licence: see
`LICENSE`): 8,000 training images (800 per class) drawn from the 60,000 training images and 2,000
test images (200 per class) drawn from the 10,000 test images, as gzip-compressed IDX files with
the original names. Classes: {", ".join(f"{i} {n}" for i, n in enumerate(CLASSES))}.

Made by `python3 scripts/make-bundled-dataset.py --seed {args.seed}` from Debian's
`dataset-fashion-mnist`. SHA-256 of each uncompressed payload (the compressed bytes may differ
between zlib versions; the payloads do not):

| File | SHA-256 of the uncompressed IDX |
|---|---|
""" + "\n".join(lines) + "\n"
    write_atomic(os.path.join(args.output, "README.md"), readme.encode())


if __name__ == "__main__":
    main()

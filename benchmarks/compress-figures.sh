#!/bin/sh
# Issue 6 pruning / sparse-kernel / distillation figures (BENCHMARKS.md, "Compression (issue 6)").
# Trains the reference models once, then prunes, sparsifies and distils them on full
# Fashion-MNIST (/usr/share/datasets/fashion-mnist), 2 threads, printing JSON lines.
# Usage: benchmarks/compress-figures.sh [WORKDIR]   (about 1 h on a quiet 2-core machine)
set -e
cd "$(dirname "$0")/.."
swift build -c release --product hone-bench
HB="$(pwd)/.build/release/hone-bench"
W="${1:-/tmp/hone-compress-figures}"
mkdir -p "$W" && cd "$W"
[ -f mlp.safetensors ] || "$HB" compress-train --model mlp --epochs 8 --save mlp.safetensors
[ -f cnn.safetensors ] || "$HB" compress-train --model cnn --epochs 5 --save cnn.safetensors
[ -f widecnn.safetensors ] || "$HB" compress-train --model widecnn --epochs 8 --save widecnn.safetensors
"$HB" compress --task unstructured --model mlp.safetensors --sparsity 0.9 --epochs 8
"$HB" compress --task unstructured --model cnn.safetensors --sparsity 0.9 --epochs 2
"$HB" compress --task structured --model cnn.safetensors --fraction 0.5 --epochs 2
"$HB" compress --task distill --student mlp --teacher widecnn.safetensors --seeds 0,1,2 --epochs 30 --lr 1e-3 --temperature 4 --alpha 0.9
"$HB" compress --task crossover

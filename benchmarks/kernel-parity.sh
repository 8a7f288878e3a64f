#!/bin/sh
# Builds the C kernels of this tree and of REV side by side (REV's renamed old_*) with
# benchmarks/kernel-parity.c and runs it: every output of vector math, LSTM/GRU cells, Adam,
# CSR spmm, the int8 epilogues and uint8 max pooling must be bitwise identical on every ISA path
# this CPU has; prints new/old CPU-time ratios (interleaved, one process). Needs clang and git.
#
#     benchmarks/kernel-parity.sh 8bc9d7f      # from the repository root
set -eu
rev=${1:?usage: benchmarks/kernel-parity.sh REV}
K=Sources/HoneKernels
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/old"
git archive "$rev" "$K" | tar -x -C "$tmp/old"
O="$tmp/old/$K"
ren=""
for s in hone_vexp hone_vlog hone_vtanh hone_vsigmoid hone_vgelu hone_softmax_rows hone_lstm_forward \
         hone_lstm_backward hone_gru_forward hone_gru_backward hone_adam_update hone_spmm_csr hone_transpose_f32 \
         hone_maxpool_u8_nhwc_avx512 hone_qtile_avx512vnni hone_qepilogue_row_avx512 hone_qepilogue_tile_avx512 \
         hone_quantize_u8_avx512 hone_minmax_f32_avx512; do
    ren="$ren -D$s=old_$s"
done
for f in vecmath recurrent optim spmm qgemm_avx512vnni; do
    clang -O2 -c -I"$K/include" "$K/$f.c" -o "$tmp/new_$f.o"
    # shellcheck disable=SC2086
    clang -O2 -c -I"$O/include" $ren "$O/$f.c" -o "$tmp/old_$f.o"
done
for f in qgemm_generic qgemm_avx2 qgemm_avxvnni cpu tls; do
    clang -O2 -c -I"$K/include" "$K/$f.c" -o "$tmp/x_$f.o"
done
clang -O2 -I"$K/include" -I"$K" benchmarks/kernel-parity.c "$tmp"/*.o -o "$tmp/kernel-parity" -lm -lpthread
"$tmp/kernel-parity"

// Bit-for-bit and speed parity of the C kernels of this tree against those of an older
// revision, built side by side in one process (the old ones renamed old_*): vector math,
// LSTM/GRU cells, Adam, CSR spmm, the int8 epilogues and uint8 max pooling, on every ISA path
// this CPU has. Speed is process CPU time, new and old interleaved, so machine load affects
// both alike. Built and run by benchmarks/kernel-parity.sh; not part of the package.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include "HoneKernels.h"
#include "HoneVecMath.h"
#include "HoneRecurrent.h"
#include "HoneOptim.h"
#include "HoneSpmm.h"
#include "qgemm_impl.h"   // the AVX-512 int8 entry points (Sources/HoneKernels)
// The old revision's kernels, renamed at compile time (kernel-parity.sh), with the same types.
extern __typeof__(hone_vexp) old_hone_vexp;
extern __typeof__(hone_vlog) old_hone_vlog;
extern __typeof__(hone_vtanh) old_hone_vtanh;
extern __typeof__(hone_vsigmoid) old_hone_vsigmoid;
extern __typeof__(hone_vgelu) old_hone_vgelu;
extern __typeof__(hone_softmax_rows) old_hone_softmax_rows;
extern __typeof__(hone_lstm_forward) old_hone_lstm_forward;
extern __typeof__(hone_lstm_backward) old_hone_lstm_backward;
extern __typeof__(hone_gru_forward) old_hone_gru_forward;
extern __typeof__(hone_gru_backward) old_hone_gru_backward;
extern __typeof__(hone_adam_update) old_hone_adam_update;
extern __typeof__(hone_spmm_csr) old_hone_spmm_csr;
extern __typeof__(hone_maxpool_u8_nhwc_avx512) old_hone_maxpool_u8_nhwc_avx512;
extern __typeof__(hone_qepilogue_row_avx512) old_hone_qepilogue_row_avx512;
extern __typeof__(hone_qepilogue_tile_avx512) old_hone_qepilogue_tile_avx512;

static uint64_t rs = 88172645463325252ull;
static uint32_t rnd(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return (uint32_t)rs; }
static float rf(float a) { return ((rnd() >> 8) / 16777216.0f * 2 - 1) * a; }
static int fails = 0;
static void cmp(const char *what, int isa, const void *a, const void *b, size_t bytes) {
    if (memcmp(a, b, bytes)) { printf("MISMATCH %s isa %d\n", what, isa); fails++; }
}
static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

int main(void) {
    const int top = hone_detect_isa();   // highest ISA path this CPU runs
    printf("ISA paths 0..%d\n", top);
    const int64_t N = 1 << 22;
    float *x = malloc(N * 4), *y0 = malloc(N * 4), *y1 = malloc(N * 4);
    for (int64_t i = 0; i < N; i++) { uint32_t b = (uint32_t)(i * 1021u + 7u); memcpy(&x[i], &b, 4); }
    for (int64_t i = 0; i < 64; i++) x[i] = rf(100);
    typedef void (*mapf)(int, const float *, float *, int64_t);
    mapf nw[5] = {hone_vexp, hone_vlog, hone_vtanh, hone_vsigmoid, hone_vgelu};
    mapf od[5] = {old_hone_vexp, old_hone_vlog, old_hone_vtanh, old_hone_vsigmoid, old_hone_vgelu};
    const char *names[5] = {"exp", "log", "tanh", "sigmoid", "gelu"};
    for (int isa = 0; isa <= top; isa++) {
        for (int f = 0; f < 5; f++) {
            nw[f](isa, x, y0, N - 3); od[f](isa, x, y1, N - 3);
            cmp(names[f], isa, y0, y1, (N - 3) * 4);
        }
        float *s = malloc(37 * 123 * 4);
        for (int i = 0; i < 37 * 123; i++) s[i] = rf(20);
        for (int lg = 0; lg < 2; lg++) {
            hone_softmax_rows(isa, s, y0, 37, 123, lg); old_hone_softmax_rows(isa, s, y1, 37, 123, lg);
            cmp("softmax", isa, y0, y1, 37 * 123 * 4);
        }
        // recurrent
        const int R = 5, H = 37;
        float xg[5 * 4 * 37], hg[5 * 4 * 37], cp[5 * 37], bias[3 * 37];
        for (int i = 0; i < R * 4 * H; i++) { xg[i] = rf(6); hg[i] = rf(6); }
        for (int i = 0; i < R * H; i++) cp[i] = rf(2);
        for (int i = 0; i < 3 * H; i++) bias[i] = rf(1);
        float a0[5 * 4 * 37], a1[5 * 4 * 37], c0[5 * 37], c1[5 * 37], h0[5 * 37], h1[5 * 37];
        hone_lstm_forward(isa, R, H, xg, 4 * H, hg, a0, cp, c0, h0);
        old_hone_lstm_forward(isa, R, H, xg, 4 * H, hg, a1, cp, c1, h1);
        cmp("lstm_f acts", isa, a0, a1, sizeof a0); cmp("lstm_f c", isa, c0, c1, sizeof c0); cmp("lstm_f h", isa, h0, h1, sizeof h0);
        float dh[5 * 37], dr[5 * 37], dc0[5 * 37], dc1[5 * 37], dg0[5 * 4 * 37], dg1[5 * 4 * 37];
        for (int i = 0; i < R * H; i++) { dh[i] = rf(1); dr[i] = rf(1); dc0[i] = dc1[i] = rf(1); }
        hone_lstm_backward(isa, R, H, a0, c0, cp, dh, dr, dc0, dg0);
        old_hone_lstm_backward(isa, R, H, a0, c0, cp, dh, dr, dc1, dg1);
        cmp("lstm_b dc", isa, dc0, dc1, sizeof dc0); cmp("lstm_b dg", isa, dg0, dg1, sizeof dg0);
        float un0[5 * 37], un1[5 * 37];
        hone_gru_forward(isa, R, H, xg, 3 * H, hg, bias, cp, a0, un0, h0);
        old_hone_gru_forward(isa, R, H, xg, 3 * H, hg, bias, cp, a1, un1, h1);
        cmp("gru_f acts", isa, a0, a1, R * 3 * H * 4); cmp("gru_f un", isa, un0, un1, sizeof un0); cmp("gru_f h", isa, h0, h1, sizeof h0);
        float dhh0[5 * 37], dhh1[5 * 37], dx0[5 * 3 * 37], dx1[5 * 3 * 37], du0[5 * 3 * 37], du1[5 * 3 * 37];
        for (int i = 0; i < R * H; i++) dhh0[i] = dhh1[i] = rf(1);
        hone_gru_backward(isa, R, H, a0, un0, cp, dh, dhh0, dx0, du0);
        old_hone_gru_backward(isa, R, H, a0, un0, cp, dh, dhh1, dx1, du1);
        cmp("gru_b dh", isa, dhh0, dhh1, sizeof dhh0); cmp("gru_b dx", isa, dx0, dx1, sizeof dx0); cmp("gru_b du", isa, du0, du1, sizeof du0);
        // adam
        for (int ams = 0; ams < 2; ams++) {
            enum { A = 1003 };
            float m[2][A], v[2][A], vm[2][A], u[2][A];
            for (int i = 0; i < A; i++) { m[0][i] = m[1][i] = rf(1); v[0][i] = v[1][i] = rf(1) * rf(1); vm[0][i] = vm[1][i] = rf(1) * rf(1); u[0][i] = u[1][i] = rf(1); }
            hone_adam_update(isa, m[0], v[0], ams ? vm[0] : NULL, u[0], A, 0.9f, 0.999f, 0.1f, 0.03f, 1e-8f);
            old_hone_adam_update(isa, m[1], v[1], ams ? vm[1] : NULL, u[1], A, 0.9f, 0.999f, 0.1f, 0.03f, 1e-8f);
            cmp("adam", isa, m[0], m[1], sizeof m[0]); cmp("adam v", isa, v[0], v[1], sizeof v[0]);
            cmp("adam vm", isa, vm[0], vm[1], sizeof vm[0]); cmp("adam u", isa, u[0], u[1], sizeof u[0]);
        }
        free(s);
    }
    // spmm
    {
        const int rows = 256, cols = 784;
        int32_t *rowptr = malloc((rows + 1) * 4), *colidx = malloc(rows * cols * 4);
        float *vals = malloc(rows * cols * 4), *b = malloc(rows * 4);
        int nnz = 0;
        for (int r = 0; r < rows; r++) { rowptr[r] = nnz; for (int c = 0; c < cols; c++) if (rnd() % 10 == 0) { colidx[nnz] = c; vals[nnz++] = rf(1); } b[r] = rf(1); }
        rowptr[rows] = nnz;
        const int ns[] = {1, 7, 64, 100, 128, 200, 257};
        float *X = malloc(cols * 300 * 4), *Y0 = malloc(rows * 300 * 4), *Y1 = malloc(rows * 300 * 4);
        for (int i = 0; i < cols * 300; i++) X[i] = rf(1);
        for (int isa = 0; isa <= top; isa++)
            for (int k = 0; k < 7; k++)
                for (int relu = 0; relu < 2; relu++) for (int hb = 0; hb < 2; hb++) {
                    int n = ns[k];
                    memset(Y0, 0, rows * 300 * 4); memset(Y1, 0, rows * 300 * 4);
                    hone_spmm_csr(isa, 0, rows, rowptr, colidx, vals, X, n, n, hb ? b : NULL, relu, Y0, n);
                    old_hone_spmm_csr(isa, 0, rows, rowptr, colidx, vals, X, n, n, hb ? b : NULL, relu, Y1, n);
                    cmp("spmm", isa, Y0, Y1, rows * 300 * 4);
                }
        for (int isa = 1; isa <= top; isa++) for (int n = 100; n <= 128; n += 28) {
            double tn = 0, to = 0;
            for (int round = 0; round < 20; round++) {
                double t = cpu();
                for (int it = 0; it < 20; it++) hone_spmm_csr(isa, 0, rows, rowptr, colidx, vals, X, n, n, b, 1, Y0, n);
                tn += cpu() - t; t = cpu();
                for (int it = 0; it < 20; it++) old_hone_spmm_csr(isa, 0, rows, rowptr, colidx, vals, X, n, n, b, 1, Y1, n);
                to += cpu() - t;
            }
            printf("spmm isa %d n %d: new/old CPU time %.3f (new %.3f ms, old %.3f ms per call)\n", isa, n, tn / to, tn / 400 * 1e3, to / 400 * 1e3);
        }
    }
    // maxpool u8 (AVX-512 path)
    if (top >= 2) {
        const int cs[] = {1, 16, 37, 64, 100, 129};
        uint8_t *src = malloc(2 * 13 * 13 * 129), *d0 = malloc(2 * 13 * 13 * 129), *d1 = malloc(2 * 13 * 13 * 129);
        for (int i = 0; i < 2 * 13 * 13 * 129; i++) src[i] = (uint8_t)rnd();
        for (int k = 0; k < 6; k++) for (int kk = 2; kk <= 3; kk++) {
            int c = cs[k], o = (13 - kk) / 2 + 1;
            hone_maxpool_u8_nhwc_avx512(src, 2, 13, 13, c, kk, kk, 2, 2, o, o, d0);
            old_hone_maxpool_u8_nhwc_avx512(src, 2, 13, 13, c, kk, kk, 2, 2, o, o, d1);
            cmp("maxpool", 2, d0, d1, 2 * o * o * c);
        }
        for (int c = 16; c <= 112; c += 16) {
            double tn = 0, to = 0;
            for (int round = 0; round < 20; round++) {
                double t = cpu();
                for (int it = 0; it < 2000; it++) hone_maxpool_u8_nhwc_avx512(src, 2, 13, 13, c, 2, 2, 2, 2, 6, 6, d0);
                tn += cpu() - t; t = cpu();
                for (int it = 0; it < 2000; it++) old_hone_maxpool_u8_nhwc_avx512(src, 2, 13, 13, c, 2, 2, 2, 2, 6, 6, d1);
                to += cpu() - t;
            }
            printf("maxpool u8 c %d: new/old CPU time %.3f\n", c, tn / to);
        }
    }
    // vexp/vtanh timing
    for (int isa = 1; isa <= top; isa++) {
        double tn = 0, to = 0;
        for (int round = 0; round < 10; round++) {
            double t = cpu(); hone_vtanh(isa, x, y0, 1 << 20); hone_vexp(isa, x, y0, 1 << 20); tn += cpu() - t;
            t = cpu(); old_hone_vtanh(isa, x, y1, 1 << 20); old_hone_vexp(isa, x, y1, 1 << 20); to += cpu() - t;
        }
        printf("vtanh+vexp isa %d: new/old CPU time %.3f\n", isa, tn / to);
    }
    // int8 epilogues (AVX-512 path)
    if (top >= 2) {
        static int32_t acc[6 * 64] __attribute__((aligned(64)));
        float sc[80], bi[80]; int32_t off[80];
        for (int i = 0; i < 6 * 64; i++) acc[i] = (int32_t)(rnd() % 20001) - 10000;
        for (int i = 0; i < 80; i++) { sc[i] = 1e-3f * (1 + (rnd() % 100)); bi[i] = rf(3); off[i] = (int32_t)(rnd() % 2001) - 1000; }
        static char o0[6 * 256], o1[6 * 256];
        for (int out = 0; out < 3; out++) for (int relu = 0; relu < 2; relu++) for (int hb = 0; hb < 2; hb++)
            for (int count = 1; count <= 64; count += 7) {
                hone_qepilogue ep = {sc, off, hb ? bi : NULL, relu, out, 17.0f, 3};
                memset(o0, 0, sizeof o0); memset(o1, 0, sizeof o1);
                hone_qepilogue_row_avx512(acc, count, 5, &ep, o0); old_hone_qepilogue_row_avx512(acc, count, 5, &ep, o1);
                cmp("qepilogue row", out, o0, o1, sizeof o0);
                memset(o0, 0, sizeof o0); memset(o1, 0, sizeof o1);
                hone_qepilogue_tile_avx512(acc, 6, count, 5, &ep, o0, 256); old_hone_qepilogue_tile_avx512(acc, 6, count, 5, &ep, o1, 256);
                cmp("qepilogue tile", out, o0, o1, sizeof o0);
            }
        hone_qepilogue ep = {sc, off, bi, 1, 1, 17.0f, 3};
        double tn = 0, to = 0;
        for (int round = 0; round < 20; round++) {
            double t = cpu();
            for (int it = 0; it < 20000; it++) hone_qepilogue_tile_avx512(acc, 6, 64, 5, &ep, o0, 256);
            tn += cpu() - t; t = cpu();
            for (int it = 0; it < 20000; it++) old_hone_qepilogue_tile_avx512(acc, 6, 64, 5, &ep, o1, 256);
            to += cpu() - t;
        }
        printf("qepilogue tile: new/old CPU time %.3f\n", tn / to);
    }
    printf("%s (%d mismatches)\n", fails ? "FAIL" : "all bitwise identical", fails);
    return fails != 0;
}

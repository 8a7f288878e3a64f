// Sparse (CSR) × dense kernels for pruned Dense layers (HoneCompress `SparseDense`).
// Each output row r accumulates values[p]·x[colidx[p], j0..j0+B) into B-wide register blocks
// (AVX-512: 8 zmm = 128 columns, AVX2: 8 ymm = 64 columns; written as loops over an array of 8
// accumulators, which the compiler unrolls fully and keeps in registers), so every non-zero costs one
// broadcast and B/16 (B/8) fused multiply-adds over contiguous memory: no gathers except in the
// n == 1 (matrix–vector) case. Paths are compiled with per-function target attributes and
// chosen by the caller from hone_detect_isa() / HONE_ISA, like the GEMM kernels.
#include "HoneSpmm.h"
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define T512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma")))
#define T256 __attribute__((target("avx2,fma")))
#endif

static inline float act(float v, int relu) { return relu && v < 0.0f ? 0.0f : v; }

static void spmm_generic(int64_t r0, int64_t r1, const int32_t *rowptr, const int32_t *colidx, const float *values,
                         const float *x, int64_t ldx, int64_t n, const float *bias, int relu, float *y, int64_t ldy) {
    enum { B = 64 };
    float acc[B];
    for (int64_t r = r0; r < r1; r++) {
        const float b = bias ? bias[r] : 0.0f;
        for (int64_t j0 = 0; j0 < n; j0 += B) {
            const int64_t nb = n - j0 < B ? n - j0 : B;
            for (int64_t j = 0; j < nb; j++) acc[j] = b;
            for (int32_t p = rowptr[r]; p < rowptr[r + 1]; p++) {
                const float w = values[p];
                const float *xp = x + (int64_t)colidx[p] * ldx + j0;
                for (int64_t j = 0; j < nb; j++) acc[j] += w * xp[j];
            }
            float *yp = y + r * ldy + j0;
            for (int64_t j = 0; j < nb; j++) yp[j] = act(acc[j], relu);
        }
    }
}

#if defined(__x86_64__)
T512 static inline __mmask16 mask16(int64_t left) {
    return left >= 16 ? (__mmask16)0xFFFF : left <= 0 ? (__mmask16)0 : (__mmask16)((1u << left) - 1u);
}

T512 static void spmv_avx512(int64_t r0, int64_t r1, const int32_t *rowptr, const int32_t *colidx, const float *values,
                             const float *x, const float *bias, int relu, float *y, int64_t ldy) {
    for (int64_t r = r0; r < r1; r++) {
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        int32_t p = rowptr[r];
        const int32_t e = rowptr[r + 1];
        for (; p + 32 <= e; p += 32) {
            __m512i i0 = _mm512_loadu_si512((const void *)(colidx + p));
            __m512i i1 = _mm512_loadu_si512((const void *)(colidx + p + 16));
            a0 = _mm512_fmadd_ps(_mm512_loadu_ps(values + p), _mm512_i32gather_ps(i0, x, 4), a0);
            a1 = _mm512_fmadd_ps(_mm512_loadu_ps(values + p + 16), _mm512_i32gather_ps(i1, x, 4), a1);
        }
        for (; p < e; p += 16) {
            __mmask16 m = mask16(e - p);
            __m512i i0 = _mm512_maskz_loadu_epi32(m, colidx + p);
            a0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, values + p),
                                 _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, i0, x, 4), a0);
        }
        float v = _mm512_reduce_add_ps(_mm512_add_ps(a0, a1)) + (bias ? bias[r] : 0.0f);
        y[r * ldy] = act(v, relu);
    }
}

T512 static void spmm_avx512(int64_t r0, int64_t r1, const int32_t *rowptr, const int32_t *colidx, const float *values,
                             const float *x, int64_t ldx, int64_t n, const float *bias, int relu, float *y, int64_t ldy) {
    const __m512 zero = _mm512_setzero_ps();
    for (int64_t j0 = 0; j0 < n; j0 += 128) {
        const int64_t left = n - j0;
        __mmask16 m[8];
        for (int k = 0; k < 8; k++) m[k] = mask16(left - 16 * k);
        const int full = left >= 128;
        for (int64_t r = r0; r < r1; r++) {
            __m512 c[8];
            for (int k = 0; k < 8; k++) c[k] = _mm512_set1_ps(bias ? bias[r] : 0.0f);
            const int32_t e = rowptr[r + 1];
            if (full) {
                for (int32_t p = rowptr[r]; p < e; p++) {
                    const __m512 w = _mm512_set1_ps(values[p]);
                    const float *xp = x + (int64_t)colidx[p] * ldx + j0;
                    for (int k = 0; k < 8; k++) c[k] = _mm512_fmadd_ps(w, _mm512_loadu_ps(xp + 16 * k), c[k]);
                }
            } else {
                for (int32_t p = rowptr[r]; p < e; p++) {
                    const __m512 w = _mm512_set1_ps(values[p]);
                    const float *xp = x + (int64_t)colidx[p] * ldx + j0;
                    c[0] = _mm512_fmadd_ps(w, _mm512_maskz_loadu_ps(m[0], xp), c[0]);   // m[0] is never empty
                    for (int k = 1; k < 8; k++)
                        if (m[k]) c[k] = _mm512_fmadd_ps(w, _mm512_maskz_loadu_ps(m[k], xp + 16 * k), c[k]);
                }
            }
            float *yp = y + r * ldy + j0;
            for (int k = 0; k < 8; k++) _mm512_mask_storeu_ps(yp + 16 * k, m[k], relu ? _mm512_max_ps(c[k], zero) : c[k]);
        }
    }
}

T256 static void spmm_avx2(int64_t r0, int64_t r1, const int32_t *rowptr, const int32_t *colidx, const float *values,
                           const float *x, int64_t ldx, int64_t n, const float *bias, int relu, float *y, int64_t ldy) {
    const int64_t full = n / 64 * 64;
    const __m256 zero = _mm256_setzero_ps();
    for (int64_t j0 = 0; j0 < full; j0 += 64) {
        for (int64_t r = r0; r < r1; r++) {
            __m256 c[8];
            for (int k = 0; k < 8; k++) c[k] = _mm256_set1_ps(bias ? bias[r] : 0.0f);
            for (int32_t p = rowptr[r]; p < rowptr[r + 1]; p++) {
                const __m256 w = _mm256_set1_ps(values[p]);
                const float *xp = x + (int64_t)colidx[p] * ldx + j0;
                for (int k = 0; k < 8; k++) c[k] = _mm256_fmadd_ps(w, _mm256_loadu_ps(xp + 8 * k), c[k]);
            }
            float *yp = y + r * ldy + j0;
            for (int k = 0; k < 8; k++) _mm256_storeu_ps(yp + 8 * k, relu ? _mm256_max_ps(c[k], zero) : c[k]);
        }
    }
    if (full < n) spmm_generic(r0, r1, rowptr, colidx, values, x + full, ldx, n - full, bias, relu, y + full, ldy);
}
#endif

void hone_spmm_csr(int isa, int64_t row_begin, int64_t row_end, const int32_t *rowptr, const int32_t *colidx,
                   const float *values, const float *x, int64_t ldx, int64_t n, const float *bias, int relu,
                   float *y, int64_t ldy) {
    if (row_begin >= row_end || n <= 0) return;
#if defined(__x86_64__)
    if (isa >= 2) {
        if (n == 1 && ldx == 1) spmv_avx512(row_begin, row_end, rowptr, colidx, values, x, bias, relu, y, ldy);
        else spmm_avx512(row_begin, row_end, rowptr, colidx, values, x, ldx, n, bias, relu, y, ldy);
        return;
    }
    if (isa == 1) {
        spmm_avx2(row_begin, row_end, rowptr, colidx, values, x, ldx, n, bias, relu, y, ldy);
        return;
    }
#endif
    (void)isa;
    spmm_generic(row_begin, row_end, rowptr, colidx, values, x, ldx, n, bias, relu, y, ldy);
}

#if defined(__x86_64__)
/// 8×8 block transpose in ymm registers (unpack / shuffle / permute2f128).
T256 static inline void transpose8x8(const float *src, int64_t lds, float *dst, int64_t ldd) {
    __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + lds), r2 = _mm256_loadu_ps(src + 2 * lds),
           r3 = _mm256_loadu_ps(src + 3 * lds), r4 = _mm256_loadu_ps(src + 4 * lds), r5 = _mm256_loadu_ps(src + 5 * lds),
           r6 = _mm256_loadu_ps(src + 6 * lds), r7 = _mm256_loadu_ps(src + 7 * lds);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
           t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
           t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE), u2 = _mm256_shuffle_ps(t1, t3, 0x44),
           u3 = _mm256_shuffle_ps(t1, t3, 0xEE), u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE),
           u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(dst, _mm256_permute2f128_ps(u0, u4, 0x20));
    _mm256_storeu_ps(dst + ldd, _mm256_permute2f128_ps(u1, u5, 0x20));
    _mm256_storeu_ps(dst + 2 * ldd, _mm256_permute2f128_ps(u2, u6, 0x20));
    _mm256_storeu_ps(dst + 3 * ldd, _mm256_permute2f128_ps(u3, u7, 0x20));
    _mm256_storeu_ps(dst + 4 * ldd, _mm256_permute2f128_ps(u0, u4, 0x31));
    _mm256_storeu_ps(dst + 5 * ldd, _mm256_permute2f128_ps(u1, u5, 0x31));
    _mm256_storeu_ps(dst + 6 * ldd, _mm256_permute2f128_ps(u2, u6, 0x31));
    _mm256_storeu_ps(dst + 7 * ldd, _mm256_permute2f128_ps(u3, u7, 0x31));
}

T256 static void transpose_avx2(const float *src, int64_t rows, int64_t cols, int64_t lds, float *dst, int64_t ldd) {
    const int64_t r8 = rows / 8 * 8, c8 = cols / 8 * 8;
    for (int64_t i = 0; i < r8; i += 8)
        for (int64_t j = 0; j < c8; j += 8) transpose8x8(src + i * lds + j, lds, dst + j * ldd + i, ldd);
    for (int64_t i = 0; i < rows; i++)                   // right edge (all rows) and bottom edge
        for (int64_t j = (i < r8 ? c8 : 0); j < cols; j++) dst[j * ldd + i] = src[i * lds + j];
}
#endif

void hone_transpose_f32(int isa, const float *src, int64_t rows, int64_t cols, int64_t lds, float *dst, int64_t ldd) {
#if defined(__x86_64__)
    if (isa >= 1) { transpose_avx2(src, rows, cols, lds, dst, ldd); return; }
#endif
    (void)isa;
    enum { T = 16 };
    for (int64_t i0 = 0; i0 < rows; i0 += T) {
        const int64_t i1 = i0 + T < rows ? i0 + T : rows;
        for (int64_t j0 = 0; j0 < cols; j0 += T) {
            const int64_t j1 = j0 + T < cols ? j0 + T : cols;
            for (int64_t j = j0; j < j1; j++)
                for (int64_t i = i0; i < i1; i++) dst[j * ldd + i] = src[i * lds + j];
        }
    }
}

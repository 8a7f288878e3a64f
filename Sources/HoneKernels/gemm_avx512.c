// AVX-512 SGEMM micro-kernel, 12 × 32 (24 zmm accumulators, 2 B loads + 12 broadcasts per k).
// Compiled for AVX-512 with a per-function target attribute and only called when
// hone_detect_isa() reports AVX-512, so the rest of the library stays baseline x86-64.
#include "HoneGemm.h"
#if defined(__x86_64__)
#include <immintrin.h>

#define T512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma")))
#define MR 12

T512 static inline void store_row(float *c, __m512 v0, __m512 v1, float beta, __mmask16 m0, __mmask16 m1) {
    if (beta == 0.0f) {
        _mm512_mask_storeu_ps(c, m0, v0);
        _mm512_mask_storeu_ps(c + 16, m1, v1);
    } else if (beta == 1.0f) {
        _mm512_mask_storeu_ps(c, m0, _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, c)));
        _mm512_mask_storeu_ps(c + 16, m1, _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, c + 16)));
    } else {
        __m512 b = _mm512_set1_ps(beta);
        _mm512_mask_storeu_ps(c, m0, _mm512_fmadd_ps(b, _mm512_maskz_loadu_ps(m0, c), v0));
        _mm512_mask_storeu_ps(c + 16, m1, _mm512_fmadd_ps(b, _mm512_maskz_loadu_ps(m1, c + 16), v1));
    }
}

// Stores the first `mr` rows and `nr` columns of the 12 × 32 accumulator tile c0a…cBb
// (`c ← acc + beta·c` row by row through store_row); shared by both 12 × 32 micro-kernels.
#define STORE_TILE_12x32()                                                                         \
    do {                                                                                           \
        __mmask16 m0 = nr >= 16 ? 0xFFFF : (__mmask16)((1u << nr) - 1);                            \
        __mmask16 m1 = nr >= 32 ? 0xFFFF : (nr <= 16 ? 0 : (__mmask16)((1u << (nr - 16)) - 1));    \
        switch (mr) {                                                                              \
        default:                                                                                   \
        case 12: store_row(c + 11 * ldc, cBa, cBb, beta, m0, m1); /* fallthrough */                \
        case 11: store_row(c + 10 * ldc, cAa, cAb, beta, m0, m1); /* fallthrough */                \
        case 10: store_row(c + 9 * ldc, c9a, c9b, beta, m0, m1); /* fallthrough */                 \
        case 9: store_row(c + 8 * ldc, c8a, c8b, beta, m0, m1); /* fallthrough */                  \
        case 8: store_row(c + 7 * ldc, c7a, c7b, beta, m0, m1); /* fallthrough */                  \
        case 7: store_row(c + 6 * ldc, c6a, c6b, beta, m0, m1); /* fallthrough */                  \
        case 6: store_row(c + 5 * ldc, c5a, c5b, beta, m0, m1); /* fallthrough */                  \
        case 5: store_row(c + 4 * ldc, c4a, c4b, beta, m0, m1); /* fallthrough */                  \
        case 4: store_row(c + 3 * ldc, c3a, c3b, beta, m0, m1); /* fallthrough */                  \
        case 3: store_row(c + 2 * ldc, c2a, c2b, beta, m0, m1); /* fallthrough */                  \
        case 2: store_row(c + 1 * ldc, c1a, c1b, beta, m0, m1); /* fallthrough */                  \
        case 1: store_row(c, c0a, c0b, beta, m0, m1); /* fallthrough */                            \
        case 0: break;                                                                             \
        }                                                                                          \
    } while (0)


#define STEP(off)                                                                    \
    do {                                                                             \
        __m512 b0 = _mm512_loadu_ps(b + (off) * 32), b1 = _mm512_loadu_ps(b + (off) * 32 + 16); \
        const float *ap = a + (off) * MR;                                            \
        __m512 x;                                                                    \
        x = _mm512_set1_ps(ap[0]);  c0a = _mm512_fmadd_ps(x, b0, c0a);  c0b = _mm512_fmadd_ps(x, b1, c0b);  \
        x = _mm512_set1_ps(ap[1]);  c1a = _mm512_fmadd_ps(x, b0, c1a);  c1b = _mm512_fmadd_ps(x, b1, c1b);  \
        x = _mm512_set1_ps(ap[2]);  c2a = _mm512_fmadd_ps(x, b0, c2a);  c2b = _mm512_fmadd_ps(x, b1, c2b);  \
        x = _mm512_set1_ps(ap[3]);  c3a = _mm512_fmadd_ps(x, b0, c3a);  c3b = _mm512_fmadd_ps(x, b1, c3b);  \
        x = _mm512_set1_ps(ap[4]);  c4a = _mm512_fmadd_ps(x, b0, c4a);  c4b = _mm512_fmadd_ps(x, b1, c4b);  \
        x = _mm512_set1_ps(ap[5]);  c5a = _mm512_fmadd_ps(x, b0, c5a);  c5b = _mm512_fmadd_ps(x, b1, c5b);  \
        x = _mm512_set1_ps(ap[6]);  c6a = _mm512_fmadd_ps(x, b0, c6a);  c6b = _mm512_fmadd_ps(x, b1, c6b);  \
        x = _mm512_set1_ps(ap[7]);  c7a = _mm512_fmadd_ps(x, b0, c7a);  c7b = _mm512_fmadd_ps(x, b1, c7b);  \
        x = _mm512_set1_ps(ap[8]);  c8a = _mm512_fmadd_ps(x, b0, c8a);  c8b = _mm512_fmadd_ps(x, b1, c8b);  \
        x = _mm512_set1_ps(ap[9]);  c9a = _mm512_fmadd_ps(x, b0, c9a);  c9b = _mm512_fmadd_ps(x, b1, c9b);  \
        x = _mm512_set1_ps(ap[10]); cAa = _mm512_fmadd_ps(x, b0, cAa);  cAb = _mm512_fmadd_ps(x, b1, cAb);  \
        x = _mm512_set1_ps(ap[11]); cBa = _mm512_fmadd_ps(x, b0, cBa);  cBb = _mm512_fmadd_ps(x, b1, cBb);  \
    } while (0)

// Edge tiles of at most R (4 or 8) rows: the same packed A panel (stride MR) and the same
// per-element FMA order as the full kernel (identical results), without the FMAs of the
// missing rows — a 64-row product spends 64/72 of the 12-row kernel's work instead of 72/72.
#define HONE_UKERNEL_ROWS(R)                                                                      \
T512 static void ukernel_rows##R(int64_t kc, const float *restrict a, const float *restrict b,   \
                                 float *restrict c, int64_t ldc, float beta, int64_t mr, int64_t nr) { \
    __m512 lo[R], hi[R];                                                                          \
    for (int i = 0; i < R; i++) lo[i] = hi[i] = _mm512_setzero_ps();                              \
    for (int64_t p = 0; p < kc; p++) {                                                            \
        __m512 b0 = _mm512_loadu_ps(b + p * 32), b1 = _mm512_loadu_ps(b + p * 32 + 16);           \
        for (int i = 0; i < R; i++) {                                                             \
            __m512 x = _mm512_set1_ps(a[p * MR + i]);                                             \
            lo[i] = _mm512_fmadd_ps(x, b0, lo[i]);                                                \
            hi[i] = _mm512_fmadd_ps(x, b1, hi[i]);                                                \
        }                                                                                         \
    }                                                                                             \
    __mmask16 m0 = nr >= 16 ? 0xFFFF : (__mmask16)((1u << nr) - 1);                               \
    __mmask16 m1 = nr >= 32 ? 0xFFFF : (nr <= 16 ? 0 : (__mmask16)((1u << (nr - 16)) - 1));      \
    for (int i = 0; i < R; i++)                                                                   \
        if (i < mr) store_row(c + i * ldc, lo[i], hi[i], beta, m0, m1);                           \
}
HONE_UKERNEL_ROWS(4)
HONE_UKERNEL_ROWS(8)

T512 void hone_sgemm_ukernel_avx512(int64_t kc, const float *restrict a, const float *restrict b,
                                    float *restrict c, int64_t ldc, float beta, int64_t mr, int64_t nr) {
    if (mr <= 4) { ukernel_rows4(kc, a, b, c, ldc, beta, mr, nr); return; }
    if (mr <= 8) { ukernel_rows8(kc, a, b, c, ldc, beta, mr, nr); return; }
    __m512 c0a = _mm512_setzero_ps(), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a,
           c3a = c0a, c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a, c6b = c0a,
           c7a = c0a, c7b = c0a, c8a = c0a, c8b = c0a, c9a = c0a, c9b = c0a, cAa = c0a, cAb = c0a,
           cBa = c0a, cBb = c0a;
    // The tile's rows of C (read back and written after the k loop): 32 floats touch two cache
    // lines when C is 64-byte aligned and three otherwise, so prefetch the first, middle and last.
    for (int64_t i = 0; i < mr; i++) {
        _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * ldc + 16), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * ldc + 31), _MM_HINT_T0);
    }
    int64_t p = 0;
    for (; p + 4 <= kc; p += 4) {
        _mm_prefetch((const char *)(b + 512), _MM_HINT_T0);
        _mm_prefetch((const char *)(b + 528), _MM_HINT_T0);
        STEP(0);
        _mm_prefetch((const char *)(b + 544), _MM_HINT_T0);
        _mm_prefetch((const char *)(b + 560), _MM_HINT_T0);
        STEP(1);
        _mm_prefetch((const char *)(b + 576), _MM_HINT_T0);
        _mm_prefetch((const char *)(b + 592), _MM_HINT_T0);
        STEP(2);
        _mm_prefetch((const char *)(b + 608), _MM_HINT_T0);
        _mm_prefetch((const char *)(b + 624), _MM_HINT_T0);
        STEP(3);
        a += 4 * MR;
        b += 4 * 32;
    }
    for (; p < kc; p++) {
        STEP(0);
        a += MR;
        b += 32;
    }
    STORE_TILE_12x32();
}

// 12 × 32 tile (rows ≥ mr computed but not stored; all 12 rows of A must be readable)
// with A read in place (row i at a + i·lda, k contiguous) instead of from a packed
// micro-panel: for products whose A rows are already contiguous in k (a convolution's im2col
// rows against ∂Y for the weight gradient) this skips the transposing pack. Broadcasts read
// 12 rows through 4 bumped pointers and the row stride (base + index·{1,2} addressing).
// With PACK_B, B is read from its rows in place (row p at b + p·ldb, the tile's nr ≤ 32
// columns contiguous) and each k step's 32 values are also stored to the packed panel `bp`
// (zeros past nr, as hone_sgemm_pack_b_avx512 writes them): the first row panel's sweep packs
// B for the others. The FMAs are the same either way.
#define PACK_B_PREFETCH_ROWS 16
T512 static inline __attribute__((always_inline)) void arows_tile(
        int64_t kc, const float *restrict a, int64_t lda, const float *restrict b, int64_t ldb, float *restrict bp,
        float *restrict c, int64_t ldc, float beta, int64_t mr, int64_t nr, const int packB) {
    __m512 c0a = _mm512_setzero_ps(), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a,
           c3a = c0a, c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a, c6a = c0a, c6b = c0a,
           c7a = c0a, c7b = c0a, c8a = c0a, c8b = c0a, c9a = c0a, c9b = c0a, cAa = c0a, cAb = c0a,
           cBa = c0a, cBb = c0a;
    const __mmask16 l0 = nr >= 16 ? 0xFFFF : (__mmask16)((1u << nr) - 1);
    const __mmask16 l1 = nr >= 32 ? 0xFFFF : (nr <= 16 ? 0 : (__mmask16)((1u << (nr - 16)) - 1));
    const float *q0 = a, *q3 = a + 3 * lda, *q6 = a + 6 * lda, *q9 = a + 9 * lda;
    for (int64_t p = 0; p < kc; p++) {
        __m512 b0, b1;
        if (packB) {
            _mm_prefetch((const char *)(b + PACK_B_PREFETCH_ROWS * ldb), _MM_HINT_T0);
            _mm_prefetch((const char *)(b + PACK_B_PREFETCH_ROWS * ldb + 31), _MM_HINT_T0);
            b0 = _mm512_maskz_loadu_ps(l0, b);
            b1 = _mm512_maskz_loadu_ps(l1, b + 16);
            _mm512_storeu_ps(bp, b0);
            _mm512_storeu_ps(bp + 16, b1);
            b += ldb;
            bp += 32;
        } else {
            b0 = _mm512_loadu_ps(b);
            b1 = _mm512_loadu_ps(b + 16);
            b += 32;
        }
        __m512 x;
        x = _mm512_set1_ps(q0[0]);       c0a = _mm512_fmadd_ps(x, b0, c0a); c0b = _mm512_fmadd_ps(x, b1, c0b);
        x = _mm512_set1_ps(q0[lda]);     c1a = _mm512_fmadd_ps(x, b0, c1a); c1b = _mm512_fmadd_ps(x, b1, c1b);
        x = _mm512_set1_ps(q0[2 * lda]); c2a = _mm512_fmadd_ps(x, b0, c2a); c2b = _mm512_fmadd_ps(x, b1, c2b);
        x = _mm512_set1_ps(q3[0]);       c3a = _mm512_fmadd_ps(x, b0, c3a); c3b = _mm512_fmadd_ps(x, b1, c3b);
        x = _mm512_set1_ps(q3[lda]);     c4a = _mm512_fmadd_ps(x, b0, c4a); c4b = _mm512_fmadd_ps(x, b1, c4b);
        x = _mm512_set1_ps(q3[2 * lda]); c5a = _mm512_fmadd_ps(x, b0, c5a); c5b = _mm512_fmadd_ps(x, b1, c5b);
        x = _mm512_set1_ps(q6[0]);       c6a = _mm512_fmadd_ps(x, b0, c6a); c6b = _mm512_fmadd_ps(x, b1, c6b);
        x = _mm512_set1_ps(q6[lda]);     c7a = _mm512_fmadd_ps(x, b0, c7a); c7b = _mm512_fmadd_ps(x, b1, c7b);
        x = _mm512_set1_ps(q6[2 * lda]); c8a = _mm512_fmadd_ps(x, b0, c8a); c8b = _mm512_fmadd_ps(x, b1, c8b);
        x = _mm512_set1_ps(q9[0]);       c9a = _mm512_fmadd_ps(x, b0, c9a); c9b = _mm512_fmadd_ps(x, b1, c9b);
        x = _mm512_set1_ps(q9[lda]);     cAa = _mm512_fmadd_ps(x, b0, cAa); cAb = _mm512_fmadd_ps(x, b1, cAb);
        x = _mm512_set1_ps(q9[2 * lda]); cBa = _mm512_fmadd_ps(x, b0, cBa); cBb = _mm512_fmadd_ps(x, b1, cBb);
        q0++; q3++; q6++; q9++;
    }
    STORE_TILE_12x32();
}

T512 void hone_sgemm_ukernel_arows_avx512(int64_t kc, const float *restrict a, int64_t lda, const float *restrict b,
                                          float *restrict c, int64_t ldc, float beta, int64_t mr, int64_t nr) {
    arows_tile(kc, a, lda, b, 0, NULL, c, ldc, beta, mr, nr, 0);
}

T512 void hone_sgemm_ukernel_arows_packb_avx512(int64_t kc, const float *restrict a, int64_t lda,
                                                const float *restrict b, int64_t ldb, float *restrict bp,
                                                float *restrict c, int64_t ldc, float beta, int64_t mr, int64_t nr) {
    arows_tile(kc, a, lda, b, ldb, bp, c, ldc, beta, mr, nr, 1);
}

// dst[p*R + i] = alpha * src[i*stride + p] for i < rows (rows ≤ R, R a multiple of 4),
// p < kc; rows rows..<R are zero. 4 source rows × 16 columns are transposed in registers per
// step (4×4 transposes within each 128-bit lane), then each lane is one 16-byte store. Each
// step also prefetches the same columns of the next 4 rows: a row's kc floats are too short a
// stream for the hardware prefetcher to ramp up, and reading A from L3 without it cost ≈ 5 %
// of the time at n = 1024 (session 4; past the last row the prefetch is harmless).
T512 static void pack_transpose(int64_t R, int64_t rows, int64_t kc, const float *restrict src,
                                int64_t stride, float alpha, float *restrict dst) {
    const __m512 va = _mm512_set1_ps(alpha);
    const int scale = alpha != 1.0f;
    int64_t i = 0;
    for (; i + 4 <= rows; i += 4) {
        const float *s0 = src + i * stride, *s1 = s0 + stride, *s2 = s1 + stride, *s3 = s2 + stride;
        float *d = dst + i;
        int64_t p = 0;
        for (; p + 16 <= kc; p += 16) {
            _mm_prefetch((const char *)(s0 + 4 * stride + p), _MM_HINT_T0);
            _mm_prefetch((const char *)(s1 + 4 * stride + p), _MM_HINT_T0);
            _mm_prefetch((const char *)(s2 + 4 * stride + p), _MM_HINT_T0);
            _mm_prefetch((const char *)(s3 + 4 * stride + p), _MM_HINT_T0);
            __m512 r0 = _mm512_loadu_ps(s0 + p), r1 = _mm512_loadu_ps(s1 + p);
            __m512 r2 = _mm512_loadu_ps(s2 + p), r3 = _mm512_loadu_ps(s3 + p);
            if (scale) {
                r0 = _mm512_mul_ps(r0, va); r1 = _mm512_mul_ps(r1, va);
                r2 = _mm512_mul_ps(r2, va); r3 = _mm512_mul_ps(r3, va);
            }
            __m512 t0 = _mm512_unpacklo_ps(r0, r1), t1 = _mm512_unpackhi_ps(r0, r1);
            __m512 t2 = _mm512_unpacklo_ps(r2, r3), t3 = _mm512_unpackhi_ps(r2, r3);
            __m512 u0 = _mm512_shuffle_ps(t0, t2, 0x44), u1 = _mm512_shuffle_ps(t0, t2, 0xEE);
            __m512 u2 = _mm512_shuffle_ps(t1, t3, 0x44), u3 = _mm512_shuffle_ps(t1, t3, 0xEE);
            float *dp = d + p * R;
#define LANE(L)                                                                 \
            _mm_storeu_ps(dp + (4 * L + 0) * R, _mm512_extractf32x4_ps(u0, L)); \
            _mm_storeu_ps(dp + (4 * L + 1) * R, _mm512_extractf32x4_ps(u1, L)); \
            _mm_storeu_ps(dp + (4 * L + 2) * R, _mm512_extractf32x4_ps(u2, L)); \
            _mm_storeu_ps(dp + (4 * L + 3) * R, _mm512_extractf32x4_ps(u3, L));
            LANE(0) LANE(1) LANE(2) LANE(3)
#undef LANE
        }
        for (; p < kc; p++) {
            float *dp = d + p * R;
            dp[0] = alpha * s0[p]; dp[1] = alpha * s1[p]; dp[2] = alpha * s2[p]; dp[3] = alpha * s3[p];
        }
    }
    for (; i < rows; i++) {
        const float *s0 = src + i * stride;
        for (int64_t p = 0; p < kc; p++) dst[p * R + i] = alpha * s0[p];
    }
    for (; i < R; i++)
        for (int64_t p = 0; p < kc; p++) dst[p * R + i] = 0;
}

T512 void hone_sgemm_pack_a_avx512(int64_t panel, int64_t rows, int64_t kc, const float *a, int64_t rs,
                                   int64_t cs, float alpha, float *dst) {
    if (cs == 1 && panel % 4 == 0) {
        pack_transpose(panel, rows, kc, a, rs, alpha, dst);
    } else if (rs == 1 && panel <= 16) {
        // A transposed in memory (e.g. Xᵀ·dY): each k step is `rows` contiguous values, one
        // masked load (zeros past `rows`) and one masked store of the panel's width.
        const __mmask16 load = (__mmask16)((1u << rows) - 1), store = (__mmask16)((1u << panel) - 1);
        const __m512 va = _mm512_set1_ps(alpha);
        for (int64_t p = 0; p < kc; p++)
            _mm512_mask_storeu_ps(dst + p * panel, store, _mm512_mul_ps(_mm512_maskz_loadu_ps(load, a + p * cs), va));
    } else {
        hone_sgemm_pack_a(panel, rows, kc, a, rs, cs, alpha, dst);
    }
}

T512 void hone_sgemm_pack_b_avx512(int64_t panel, int64_t kc, int64_t cols, const float *b, int64_t rs,
                                   int64_t cs, float *dst) {
    if (cs == 1 && panel == 32) {
        // Rows of B are contiguous: copy 32 floats per k step into each panel. Walk B row by
        // row (k outer, panels inner) so reads are sequential; panel by panel would read a
        // 128-byte strip of every row at stride rs, and when rs is a multiple of 1024 floats
        // all those rows fall in the same L1 sets (session 4: B's packing took ≈ 5 % of the
        // kernel's time at n = 1024 before, ≈ 3 % after).
        const int64_t full = cols / 32, w = cols - full * 32;
        const __mmask16 m0 = w >= 16 ? 0xFFFF : (__mmask16)((1u << w) - 1);
        const __mmask16 m1 = w <= 16 ? 0 : (__mmask16)((1u << (w - 16)) - 1);
        for (int64_t p = 0; p < kc; p++) {
            const float *src = b + p * rs;
            float *d = dst + p * 32;
            for (int64_t j = 0; j < full; j++) {
                _mm512_storeu_ps(d + j * 32 * kc, _mm512_loadu_ps(src + j * 32));
                _mm512_storeu_ps(d + j * 32 * kc + 16, _mm512_loadu_ps(src + j * 32 + 16));
            }
            if (w > 0) {
                _mm512_storeu_ps(d + full * 32 * kc, _mm512_maskz_loadu_ps(m0, src + full * 32));
                _mm512_storeu_ps(d + full * 32 * kc + 16, _mm512_maskz_loadu_ps(m1, src + full * 32 + 16));
            }
        }
        return;
    }
    if (rs != 1 || panel % 4 != 0) {
        hone_sgemm_pack_b(panel, kc, cols, b, rs, cs, dst);
        return;
    }
    for (int64_t j0 = 0; j0 < cols; j0 += panel) {
        int64_t w = cols - j0 < panel ? cols - j0 : panel;
        pack_transpose(panel, w, kc, b + j0 * cs, cs, 1.0f, dst + j0 * kc);
    }
}

#else
// Not x86-64: hone_detect_isa() never reports AVX-512 here, so this is unreachable.
void hone_sgemm_ukernel_avx512(int64_t kc, const float *a, const float *b, float *c,
                               int64_t ldc, float beta, int64_t mr, int64_t nr) {
    (void)kc; (void)a; (void)b; (void)c; (void)ldc; (void)beta; (void)mr; (void)nr;
    __builtin_trap();
}
void hone_sgemm_pack_a_avx512(int64_t MR, int64_t rows, int64_t kc, const float *a, int64_t rs,
                              int64_t cs, float alpha, float *dst) {
    hone_sgemm_pack_a(MR, rows, kc, a, rs, cs, alpha, dst);
}
void hone_sgemm_ukernel_arows_avx512(int64_t kc, const float *a, int64_t lda, const float *b, float *c,
                                     int64_t ldc, float beta, int64_t mr, int64_t nr) {
    (void)kc; (void)a; (void)lda; (void)b; (void)c; (void)ldc; (void)beta; (void)mr; (void)nr;
    __builtin_trap();
}
void hone_sgemm_ukernel_arows_packb_avx512(int64_t kc, const float *a, int64_t lda, const float *b, int64_t ldb,
                                           float *bp, float *c, int64_t ldc, float beta, int64_t mr, int64_t nr) {
    (void)kc; (void)a; (void)lda; (void)b; (void)ldb; (void)bp; (void)c; (void)ldc; (void)beta; (void)mr; (void)nr;
    __builtin_trap();
}
void hone_sgemm_pack_b_avx512(int64_t NR, int64_t kc, int64_t cols, const float *b, int64_t rs,
                              int64_t cs, float *dst) {
    hone_sgemm_pack_b(NR, kc, cols, b, rs, cs, dst);
}
#endif

// Out-of-place 2-d transpose: d[r·ld + c] = s[c·ls + r] for r < rows, c < cols (the copy behind
// Tensor.contiguous() of a transposed view). AVX-512 moves 16 × 16 blocks through registers
// (unpack pairs, unpack quads, two 128-bit lane shuffles); the rest is a tiled scalar loop.
#include <stdint.h>
#include "HoneKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define T512 __attribute__((target("avx512f,avx512dq")))

// One 16 × 16 block: input rows i = 0‥15 at s + i·ls (16 floats each), output rows k at d + k·ld.
T512 static inline void block16(const float *s, int64_t ls, float *d, int64_t ld) {
    __m512 r[16], t[16];
    for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(s + i * ls);
    for (int i = 0; i < 16; i += 2) {   // per 128-bit lane: pairs of rows interleaved
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int g = 0; g < 16; g += 4) {   // per lane: four rows of one column
        __m512d a = _mm512_castps_pd(t[g]), b = _mm512_castps_pd(t[g + 1]);
        __m512d c = _mm512_castps_pd(t[g + 2]), e = _mm512_castps_pd(t[g + 3]);
        r[g] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        r[g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        r[g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, e));
        r[g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, e));
    }
    // r[4g + j] lane L holds rows 4g‥4g+3 of column 4L + j; gather the four groups per column.
    for (int j = 0; j < 4; j++) {
        __m512 a = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x88), b = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xDD);
        __m512 c = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x88), e = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xDD);
        _mm512_storeu_ps(d + (0 + j) * ld, _mm512_shuffle_f32x4(a, c, 0x88));
        _mm512_storeu_ps(d + (8 + j) * ld, _mm512_shuffle_f32x4(a, c, 0xDD));
        _mm512_storeu_ps(d + (4 + j) * ld, _mm512_shuffle_f32x4(b, e, 0x88));
        _mm512_storeu_ps(d + (12 + j) * ld, _mm512_shuffle_f32x4(b, e, 0xDD));
    }
}

T512 static void transpose_avx512(const float *s, int64_t ls, float *d, int64_t ld, int64_t rows, int64_t cols) {
    int64_t r0 = 0;
    for (; r0 + 16 <= rows; r0 += 16) {
        int64_t c0 = 0;
        for (; c0 + 16 <= cols; c0 += 16) block16(s + c0 * ls + r0, ls, d + r0 * ld + c0, ld);
        for (int64_t r = r0; r < r0 + 16; r++)
            for (int64_t c = c0; c < cols; c++) d[r * ld + c] = s[c * ls + r];
    }
    for (int64_t r = r0; r < rows; r++)
        for (int64_t c = 0; c < cols; c++) d[r * ld + c] = s[c * ls + r];
}
#endif

// 32 × 32 tiles, so both the reads and the writes of a tile stay within a few cache lines.
static void transpose_generic(const float *s, int64_t ls, float *d, int64_t ld, int64_t rows, int64_t cols) {
    for (int64_t r0 = 0; r0 < rows; r0 += 32) {
        int64_t r1 = r0 + 32 < rows ? r0 + 32 : rows;
        for (int64_t c0 = 0; c0 < cols; c0 += 32) {
            int64_t c1 = c0 + 32 < cols ? c0 + 32 : cols;
            for (int64_t c = c0; c < c1; c++)
                for (int64_t r = r0; r < r1; r++) d[r * ld + c] = s[c * ls + r];
        }
    }
}

void hone_transpose(int isa, const float *s, int64_t ls, float *d, int64_t ld, int64_t rows, int64_t cols) {
    if (rows <= 0 || cols <= 0) return;
#if defined(__x86_64__)
    if (isa >= HONE_ISA_AVX512) { transpose_avx512(s, ls, d, ld, rows, cols); return; }
#endif
    transpose_generic(s, ls, d, ld, rows, cols);
}

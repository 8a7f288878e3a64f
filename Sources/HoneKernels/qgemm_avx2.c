// AVX2 int8 tile without VNNI: activations are zero-extended and weights sign-extended to
// int16, and vpmaddwd sums adjacent products into int32. Unlike vpmaddubsw (u8 × s8 with
// int16 saturation: 255·127·2 overflows int16), this is exact for every input. Up to 2 rows ×
// 1 panel: per 4-deep k group, 4 weight loads widened to 16 int16 each (4 columns × 4 k), and
// 4 vpmaddwd per row; each accumulator lane holds half a column's sum, added pairwise at the end.
#include "qgemm_impl.h"
#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define T2 __attribute__((target("avx2,fma")))

T2 static inline __attribute__((always_inline)) void tile2(const int MR, int64_t kpad, const uint8_t *a, int64_t lda,
                                                           const int8_t *b, int32_t *acc) {
    __m256i c[2][4];
    for (int r = 0; r < MR; r++)
        for (int q = 0; q < 4; q++) c[r][q] = _mm256_setzero_si256();
    int64_t k4 = kpad / 4;
    for (int64_t g = 0; g < k4; g++) {
        __m256i bw[4];
        for (int q = 0; q < 4; q++)
            bw[q] = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + g * 64 + q * 16)));
        for (int r = 0; r < MR; r++) {
            int32_t word;
            memcpy(&word, a + r * lda + g * 4, 4);
            __m128i a16 = _mm_cvtepu8_epi16(_mm_cvtsi32_si128(word));       // 4 int16 in the low 64 bits
            __m256i av = _mm256_broadcastq_epi64(a16);
            for (int q = 0; q < 4; q++) c[r][q] = _mm256_add_epi32(c[r][q], _mm256_madd_epi16(av, bw[q]));
        }
    }
    for (int r = 0; r < MR; r++) {
        for (int h = 0; h < 2; h++) {
            // c[r][2h] holds columns 8h..8h+3 as (lo, hi) pairs, c[r][2h+1] columns 8h+4..8h+7.
            __m256i s = _mm256_hadd_epi32(c[r][2 * h], c[r][2 * h + 1]);
            s = _mm256_permute4x64_epi64(s, _MM_SHUFFLE(3, 1, 2, 0));
            _mm256_storeu_si256((__m256i *)(acc + r * HONE_QTILE_LD + h * 8), s);
        }
    }
}

T2 void hone_qtile_avx2(int64_t mr, int64_t np, int64_t kpad, const uint8_t *a, int64_t lda,
                        const int8_t *b, int64_t ps, int32_t *acc) {
    for (int64_t p = 0; p < np; p++) {
        int32_t *accp = acc + p * 16;
        const int8_t *bp = b + p * ps;
        int64_t r = 0;
        for (; r + 2 <= mr; r += 2) tile2(2, kpad, a + r * lda, lda, bp, accp + r * HONE_QTILE_LD);
        if (r < mr) tile2(1, kpad, a + r * lda, lda, bp, accp + r * HONE_QTILE_LD);
    }
}
#endif

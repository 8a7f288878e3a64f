// AVX-VNNI int8 tile (VEX-encoded vpdpbusd on ymm, e.g. Alder Lake and later): up to 6 rows ×
// 1 panel (16 columns = 2 ymm) in 12 accumulators; per 4-deep k group, 2 weight loads, one
// 32-bit broadcast per row and 2 vpdpbusd per row.
#include "qgemm_impl.h"
#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define TVV __attribute__((target("avx2,avxvnni")))

TVV static inline __attribute__((always_inline)) void tilev(const int MR, int64_t kpad, const uint8_t *a, int64_t lda,
                                                            const int8_t *b, int32_t *acc) {
    __m256i c[6][2];
    for (int r = 0; r < MR; r++) c[r][0] = c[r][1] = _mm256_setzero_si256();
    int64_t k4 = kpad / 4;
    for (int64_t g = 0; g < k4; g++) {
        __m256i b0 = _mm256_loadu_si256((const __m256i *)(b + g * 64));
        __m256i b1 = _mm256_loadu_si256((const __m256i *)(b + g * 64 + 32));
        for (int r = 0; r < MR; r++) {
            int32_t word;
            memcpy(&word, a + r * lda + g * 4, 4);
            __m256i av = _mm256_set1_epi32(word);
            c[r][0] = _mm256_dpbusd_avx_epi32(c[r][0], av, b0);
            c[r][1] = _mm256_dpbusd_avx_epi32(c[r][1], av, b1);
        }
    }
    for (int r = 0; r < MR; r++) {
        _mm256_storeu_si256((__m256i *)(acc + r * HONE_QTILE_LD), c[r][0]);
        _mm256_storeu_si256((__m256i *)(acc + r * HONE_QTILE_LD + 8), c[r][1]);
    }
}

TVV void hone_qtile_avxvnni(int64_t mr, int64_t np, int64_t kpad, const uint8_t *a, int64_t lda,
                            const int8_t *b, int64_t ps, int32_t *acc) {
    for (int64_t p = 0; p < np; p++) {
        int32_t *accp = acc + p * 16;
        const int8_t *bp = b + p * ps;
        switch (mr) {
        case 1: tilev(1, kpad, a, lda, bp, accp); break;
        case 2: tilev(2, kpad, a, lda, bp, accp); break;
        case 3: tilev(3, kpad, a, lda, bp, accp); break;
        case 4: tilev(4, kpad, a, lda, bp, accp); break;
        case 5: tilev(5, kpad, a, lda, bp, accp); break;
        default: tilev(6, kpad, a, lda, bp, accp); break;
        }
    }
}
#endif

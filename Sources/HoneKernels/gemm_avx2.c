// AVX2 + FMA SGEMM micro-kernel, 6 × 16 (12 ymm accumulators, 2 B loads + 6 broadcasts per k).
#include "HoneGemm.h"
#if defined(__x86_64__)
#include <immintrin.h>

#define T256 __attribute__((target("avx2,fma")))
#define MR 6

T256 static inline __m256i tail_mask(int64_t n) {
    const int32_t idx[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int32_t)n), _mm256_loadu_si256((const __m256i *)idx));
}

T256 static inline void store_row(float *c, __m256 v0, __m256 v1, float beta, int64_t nr) {
    if (nr == 16) {
        if (beta == 0.0f) {
            _mm256_storeu_ps(c, v0);
            _mm256_storeu_ps(c + 8, v1);
        } else {
            __m256 bb = _mm256_set1_ps(beta);
            _mm256_storeu_ps(c, _mm256_fmadd_ps(bb, _mm256_loadu_ps(c), v0));
            _mm256_storeu_ps(c + 8, _mm256_fmadd_ps(bb, _mm256_loadu_ps(c + 8), v1));
        }
        return;
    }
    __m256i m0 = tail_mask(nr), m1 = tail_mask(nr - 8);
    if (beta != 0.0f) {
        __m256 bb = _mm256_set1_ps(beta);
        v0 = _mm256_fmadd_ps(bb, _mm256_maskload_ps(c, m0), v0);
        v1 = _mm256_fmadd_ps(bb, _mm256_maskload_ps(c + 8, m1), v1);
    }
    _mm256_maskstore_ps(c, m0, v0);
    _mm256_maskstore_ps(c + 8, m1, v1);
}

T256 void hone_sgemm_ukernel_avx2(int64_t kc, const float *restrict a, const float *restrict b,
                                  float *restrict c, int64_t ldc, float beta, int64_t mr, int64_t nr) {
    __m256 c0a = _mm256_setzero_ps(), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a,
           c3a = c0a, c3b = c0a, c4a = c0a, c4b = c0a, c5a = c0a, c5b = c0a;
    for (int64_t p = 0; p < kc; p++) {
        __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8), x;
        x = _mm256_broadcast_ss(a + 0); c0a = _mm256_fmadd_ps(x, b0, c0a); c0b = _mm256_fmadd_ps(x, b1, c0b);
        x = _mm256_broadcast_ss(a + 1); c1a = _mm256_fmadd_ps(x, b0, c1a); c1b = _mm256_fmadd_ps(x, b1, c1b);
        x = _mm256_broadcast_ss(a + 2); c2a = _mm256_fmadd_ps(x, b0, c2a); c2b = _mm256_fmadd_ps(x, b1, c2b);
        x = _mm256_broadcast_ss(a + 3); c3a = _mm256_fmadd_ps(x, b0, c3a); c3b = _mm256_fmadd_ps(x, b1, c3b);
        x = _mm256_broadcast_ss(a + 4); c4a = _mm256_fmadd_ps(x, b0, c4a); c4b = _mm256_fmadd_ps(x, b1, c4b);
        x = _mm256_broadcast_ss(a + 5); c5a = _mm256_fmadd_ps(x, b0, c5a); c5b = _mm256_fmadd_ps(x, b1, c5b);
        a += MR;
        b += 16;
    }
    switch (mr) {
    default:
    case 6: store_row(c + 5 * ldc, c5a, c5b, beta, nr); /* fallthrough */
    case 5: store_row(c + 4 * ldc, c4a, c4b, beta, nr); /* fallthrough */
    case 4: store_row(c + 3 * ldc, c3a, c3b, beta, nr); /* fallthrough */
    case 3: store_row(c + 2 * ldc, c2a, c2b, beta, nr); /* fallthrough */
    case 2: store_row(c + 1 * ldc, c1a, c1b, beta, nr); /* fallthrough */
    case 1: store_row(c, c0a, c0b, beta, nr); /* fallthrough */
    case 0: break;
    }
}

#else
// Not x86-64: hone_detect_isa() never reports AVX2 here, so this is unreachable.
void hone_sgemm_ukernel_avx2(int64_t kc, const float *a, const float *b, float *c,
                             int64_t ldc, float beta, int64_t mr, int64_t nr) {
    (void)kc; (void)a; (void)b; (void)c; (void)ldc; (void)beta; (void)mr; (void)nr;
    __builtin_trap();
}
#endif

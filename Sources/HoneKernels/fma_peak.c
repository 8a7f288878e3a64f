// Register-only FMA loop for measuring the core's floating-point peak (hone-bench fma_peak).
#include "HoneGemm.h"
#include "HoneKernels.h"
#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f,fma"))) static double peak512(int64_t iters) {
    __m512 acc[12];
    for (int i = 0; i < 12; i++) acc[i] = _mm512_set1_ps((float)i * 1e-3f);
    __m512 x = _mm512_set1_ps(0.999f), y = _mm512_set1_ps(1e-6f);
    for (int64_t t = 0; t < iters; t++) {
        for (int i = 0; i < 12; i++) acc[i] = _mm512_fmadd_ps(acc[i], x, y);
        __asm__ volatile("" : "+v"(acc[0]), "+v"(acc[1]), "+v"(acc[2]), "+v"(acc[3]), "+v"(acc[4]), "+v"(acc[5]),
                              "+v"(acc[6]), "+v"(acc[7]), "+v"(acc[8]), "+v"(acc[9]), "+v"(acc[10]), "+v"(acc[11]));
    }
    float sink = 0;
    for (int i = 0; i < 12; i++) sink += _mm512_reduce_add_ps(acc[i]);
    __asm__ volatile("" : : "x"(sink));
    return (double)iters * 12 * 16 * 2;
}

__attribute__((target("avx2,fma"))) static double peak256(int64_t iters) {
    __m256 acc[12];
    for (int i = 0; i < 12; i++) acc[i] = _mm256_set1_ps((float)i * 1e-3f);
    __m256 x = _mm256_set1_ps(0.999f), y = _mm256_set1_ps(1e-6f);
    for (int64_t t = 0; t < iters; t++) {
        for (int i = 0; i < 12; i++) acc[i] = _mm256_fmadd_ps(acc[i], x, y);
        __asm__ volatile("" : "+x"(acc[0]), "+x"(acc[1]), "+x"(acc[2]), "+x"(acc[3]), "+x"(acc[4]), "+x"(acc[5]),
                              "+x"(acc[6]), "+x"(acc[7]), "+x"(acc[8]), "+x"(acc[9]), "+x"(acc[10]), "+x"(acc[11]));
    }
    float sink = 0;
    float tmp[8];
    for (int i = 0; i < 12; i++) { _mm256_storeu_ps(tmp, acc[i]); sink += tmp[0]; }
    __asm__ volatile("" : : "x"(sink));
    return (double)iters * 12 * 8 * 2;
}
#endif

double hone_fma_peak_loop(int64_t iters, int isa) {
#if defined(__x86_64__)
    if (isa >= HONE_ISA_AVX512) return peak512(iters);
    if (isa >= HONE_ISA_AVX2) return peak256(iters);
#endif
    float acc[16];
    for (int i = 0; i < 16; i++) acc[i] = (float)i * 1e-3f;
    for (int64_t t = 0; t < iters; t++) {
        for (int i = 0; i < 16; i++) acc[i] = acc[i] * 0.999f + 1e-6f;
        __asm__ volatile("" : : "r"(acc) : "memory");
    }
    return (double)iters * 16 * 2;
}

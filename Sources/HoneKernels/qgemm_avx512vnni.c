// AVX-512 VNNI int8 tile: up to 6 rows × 4 panels (64 columns) in 24 zmm accumulators; per
// 4-deep k group, 4 panel loads, one 32-bit broadcast of 4 activation bytes per row and one
// vpdpbusd (u8 × s8 → s32, 64 multiply-adds) per accumulator. Also the AVX-512 epilogue
// (dequantize / requantize per output channel, bias, ReLU), activation quantization and min/max.
// Only called when the CPU reports AVX-512 VNNI (per-function target attribute).
#include "qgemm_impl.h"
#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define TV __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")))

TV static inline __attribute__((always_inline)) void tile(const int MR, const int NP, int64_t kpad,
                                                          const uint8_t *a, int64_t lda, const int8_t *b,
                                                          int64_t ps, int32_t *acc) {
    __m512i c[6][4];
    for (int r = 0; r < MR; r++)
        for (int p = 0; p < NP; p++) c[r][p] = _mm512_setzero_si512();
    int64_t k4 = kpad / 4;
    for (int64_t g = 0; g < k4; g++) {
        __m512i bv[4];
        for (int p = 0; p < NP; p++) bv[p] = _mm512_loadu_si512((const void *)(b + p * ps + g * 64));
        for (int r = 0; r < MR; r++) {
            int32_t word;
            memcpy(&word, a + r * lda + g * 4, 4);
            __m512i av = _mm512_set1_epi32(word);
            for (int p = 0; p < NP; p++) c[r][p] = _mm512_dpbusd_epi32(c[r][p], av, bv[p]);
        }
    }
    for (int r = 0; r < MR; r++)
        for (int p = 0; p < NP; p++) _mm512_store_si512((void *)(acc + r * HONE_QTILE_LD + p * 16), c[r][p]);
}

#define CASE(R, P) case (R) * 8 + (P): tile(R, P, kpad, a, lda, b, ps, acc); break;
#define ROWS(R) CASE(R, 1) CASE(R, 2) CASE(R, 3) CASE(R, 4)

TV void hone_qtile_avx512vnni(int64_t mr, int64_t np, int64_t kpad, const uint8_t *a, int64_t lda,
                              const int8_t *b, int64_t ps, int32_t *acc) {
    switch (mr * 8 + np) {
        ROWS(1) ROWS(2) ROWS(3) ROWS(4) ROWS(5) ROWS(6)
    default: hone_qtile_generic(mr, np, kpad, a, lda, b, ps, acc); break;
    }
}

TV static inline __m512 requant_ps(__m512 v, __m512 inv, __m512 zp) {
    __m512 q = _mm512_add_ps(_mm512_mul_ps(v, inv), zp);
    return _mm512_min_ps(_mm512_max_ps(q, _mm512_setzero_ps()), _mm512_set1_ps(255.0f));
}

// The epilogue over mr rows × count columns of int32 accumulators (row r at acc + r·ld, read 16
// at a time): per-column scale, offset and bias are loaded once per 16 columns and reused for
// every row; row r's output starts at out + r·row_bytes.
TV static inline __attribute__((always_inline)) void epilogue(const int32_t *acc, int64_t ld, int64_t mr, int64_t count,
                                                              int64_t col0, const hone_qepilogue *ep, char *out,
                                                              int64_t row_bytes) {
    const int32_t *off = ep->offset + col0;
    const float *sc = ep->scale + col0;
    const float *bias = ep->bias ? ep->bias + col0 : NULL;
    __m512 inv = _mm512_set1_ps(ep->out_inv_scale), zp = _mm512_set1_ps((float)ep->out_zero_point);
    for (int64_t j = 0; j < count; j += 16) {
        int64_t left = count - j;
        __mmask16 m = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        __m512i o = _mm512_maskz_loadu_epi32(m, off + j);
        __m512 s = _mm512_maskz_loadu_ps(m, sc + j);
        __m512 b = bias ? _mm512_maskz_loadu_ps(m, bias + j) : _mm512_setzero_ps();
        for (int64_t r = 0; r < mr; r++) {
            __m512i a = _mm512_add_epi32(_mm512_loadu_si512((const void *)(acc + r * ld + j)), o);
            char *row = out + r * row_bytes;
            if (ep->output == 2) { _mm512_mask_storeu_epi32((int32_t *)row + j, m, a); continue; }
            __m512 v = _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(a), s), b);
            if (ep->relu) v = _mm512_max_ps(v, _mm512_setzero_ps());
            if (ep->output == 0) { _mm512_mask_storeu_ps((float *)row + j, m, v); continue; }
            __m128i q = _mm512_cvtusepi32_epi8(_mm512_cvtps_epi32(requant_ps(v, inv, zp)));
            if (left >= 16) _mm_storeu_si128((__m128i *)((uint8_t *)row + j), q);
            else _mm_mask_storeu_epi8((uint8_t *)row + j, m, q);
        }
    }
}

TV void hone_qepilogue_row_avx512(const int32_t *acc, int64_t count, int64_t col0, const hone_qepilogue *ep, void *out) {
    epilogue(acc, 0, 1, count, col0, ep, (char *)out, 0);
}

TV void hone_qepilogue_tile_avx512(const int32_t *acc, int64_t mr, int64_t count, int64_t col0, const hone_qepilogue *ep,
                                   char *out, int64_t row_bytes) {
    epilogue(acc, HONE_QTILE_LD, mr, count, col0, ep, out, row_bytes);
}

static inline uint8_t max_u8(uint8_t a, uint8_t b) { return a > b ? a : b; }
static inline uint8_t load_u8(const void *p) { return *(const uint8_t *)p; }
static inline void store_u8(void *p, uint8_t v) { *(uint8_t *)p = v; }

// Channels [q, q + W) of one output pixel while W more remain: the max over the kh×kw window of
// W-byte vectors of type T (zero, max, load and store named by the caller); advances q.
#define MAXPOOL_CHANNELS(W, T, ZERO, MAX, LOAD, STORE)                                          \
    for (; q + (W) <= c; q += (W)) {                                                         \
        T v = ZERO;                                                                          \
        for (int64_t i = 0; i < kh; i++)                                                     \
            for (int64_t j = 0; j < kw; j++)                                                 \
                v = MAX(v, LOAD((const void *)(im + ((y * sh + i) * w + x * sw + j) * c + q))); \
        STORE((void *)(d + q), v);                                                           \
    }

TV void hone_maxpool_u8_nhwc_avx512(const uint8_t *src, int64_t n, int64_t h, int64_t w, int64_t c, int64_t kh,
                                    int64_t kw, int64_t sh, int64_t sw, int64_t oh, int64_t ow, uint8_t *dst) {
    for (int64_t b = 0; b < n; b++) {
        const uint8_t *im = src + b * h * w * c;
        for (int64_t y = 0; y < oh; y++) {
            for (int64_t x = 0; x < ow; x++) {
                uint8_t *d = dst + ((b * oh + y) * ow + x) * c;
                // Unmasked 64/32/16-byte steps, then bytes (masked byte stores are slow on some CPUs).
                int64_t q = 0;
                MAXPOOL_CHANNELS(64, __m512i, _mm512_setzero_si512(), _mm512_max_epu8, _mm512_loadu_si512, _mm512_storeu_si512)
                MAXPOOL_CHANNELS(32, __m256i, _mm256_setzero_si256(), _mm256_max_epu8, _mm256_loadu_si256, _mm256_storeu_si256)
                MAXPOOL_CHANNELS(16, __m128i, _mm_setzero_si128(), _mm_max_epu8, _mm_loadu_si128, _mm_storeu_si128)
                MAXPOOL_CHANNELS(1, uint8_t, 0, max_u8, load_u8, store_u8)
            }
        }
    }
}

TV void hone_quantize_u8_avx512(const float *x, int64_t count, float inv_scale, int32_t zero_point, uint8_t *dst) {
    __m512 inv = _mm512_set1_ps(inv_scale), zp = _mm512_set1_ps((float)zero_point);
    int64_t i = 0;
    for (; i + 64 <= count; i += 64) {
        __m512i q0 = _mm512_cvtps_epi32(requant_ps(_mm512_loadu_ps(x + i), inv, zp));
        __m512i q1 = _mm512_cvtps_epi32(requant_ps(_mm512_loadu_ps(x + i + 16), inv, zp));
        __m512i q2 = _mm512_cvtps_epi32(requant_ps(_mm512_loadu_ps(x + i + 32), inv, zp));
        __m512i q3 = _mm512_cvtps_epi32(requant_ps(_mm512_loadu_ps(x + i + 48), inv, zp));
        _mm_storeu_si128((__m128i *)(dst + i), _mm512_cvtusepi32_epi8(q0));
        _mm_storeu_si128((__m128i *)(dst + i + 16), _mm512_cvtusepi32_epi8(q1));
        _mm_storeu_si128((__m128i *)(dst + i + 32), _mm512_cvtusepi32_epi8(q2));
        _mm_storeu_si128((__m128i *)(dst + i + 48), _mm512_cvtusepi32_epi8(q3));
    }
    for (; i < count; i += 16) {
        int64_t left = count - i;
        __mmask16 m = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        __m512i q = _mm512_cvtps_epi32(requant_ps(_mm512_maskz_loadu_ps(m, x + i), inv, zp));
        _mm_mask_storeu_epi8(dst + i, m, _mm512_cvtusepi32_epi8(q));
    }
}

TV void hone_minmax_f32_avx512(const float *x, int64_t count, float *out) {
    if (count <= 0) { out[0] = 0; out[1] = 0; return; }
    __m512 lo = _mm512_set1_ps(x[0]), hi = lo;
    int64_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m512 v = _mm512_loadu_ps(x + i);
        lo = _mm512_min_ps(lo, v); hi = _mm512_max_ps(hi, v);
    }
    if (i < count) {
        __mmask16 m = (__mmask16)((1u << (count - i)) - 1);
        __m512 v = _mm512_mask_loadu_ps(_mm512_set1_ps(x[0]), m, x + i);
        lo = _mm512_min_ps(lo, v); hi = _mm512_max_ps(hi, v);
    }
    out[0] = _mm512_reduce_min_ps(lo);
    out[1] = _mm512_reduce_max_ps(hi);
}
#endif

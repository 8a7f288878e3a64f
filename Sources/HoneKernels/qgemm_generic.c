// Int8 GEMM (uint8 activations × int8 weights → int32), portable parts: weight packing, the
// generic tile, the driver that walks tiles and applies the fused epilogue, quantization,
// im2row and max pooling for uint8 NHWC activations. Per-ISA tiles live in qgemm_avx2.c,
// qgemm_avxvnni.c and qgemm_avx512vnni.c; all read the vpdpbusd operand layout
// (Intel® 64 and IA-32 Architectures Software Developer's Manual, VPDPBUSD).
#include "qgemm_impl.h"
#include "HoneKernels.h"
#include <math.h>
#include <string.h>

int64_t hone_qgemm_packed_size(int64_t n, int64_t k) {
    return ((n + 15) / 16) * 16 * ((k + 3) / 4) * 4;
}

void hone_qgemm_pack_b(int64_t n, int64_t k, const int8_t *w, int64_t ldw, int8_t *dst) {
    int64_t k4 = (k + 3) / 4, panels = (n + 15) / 16;
    for (int64_t p = 0; p < panels; p++) {
        for (int64_t g = 0; g < k4; g++) {
            int8_t *d = dst + (p * k4 + g) * 64;
            for (int64_t j = 0; j < 16; j++) {
                int64_t row = p * 16 + j;
                for (int64_t t = 0; t < 4; t++) {
                    int64_t col = g * 4 + t;
                    d[j * 4 + t] = (row < n && col < k) ? w[row * ldw + col] : 0;
                }
            }
        }
    }
}

void hone_qtile_generic(int64_t mr, int64_t np, int64_t kpad, const uint8_t *a, int64_t lda,
                        const int8_t *b, int64_t panel_stride, int32_t *acc) {
    int64_t k4 = kpad / 4;
    for (int64_t r = 0; r < mr; r++) {
        const uint8_t *ar = a + r * lda;
        for (int64_t p = 0; p < np; p++) {
            const int8_t *bp = b + p * panel_stride;
            int32_t s[16] = {0};
            for (int64_t g = 0; g < k4; g++) {
                const uint8_t *ag = ar + g * 4;
                const int8_t *bg = bp + g * 64;
                for (int j = 0; j < 16; j++) {
                    s[j] += (int32_t)ag[0] * bg[j * 4] + (int32_t)ag[1] * bg[j * 4 + 1]
                          + (int32_t)ag[2] * bg[j * 4 + 2] + (int32_t)ag[3] * bg[j * 4 + 3];
                }
            }
            memcpy(acc + r * HONE_QTILE_LD + p * 16, s, sizeof s);
        }
    }
}

static inline uint8_t requant(float v, float inv, float zp) {
    float q = v * inv;
    q = q + zp;
    q = fminf(fmaxf(q, 0.0f), 255.0f);
    return (uint8_t)nearbyintf(q);
}

void hone_qepilogue_row_generic(const int32_t *acc, int64_t count, int64_t col0, const hone_qepilogue *ep, void *out) {
    const int32_t *off = ep->offset + col0;
    if (ep->output == 2) {
        int32_t *o = (int32_t *)out;
        for (int64_t j = 0; j < count; j++) o[j] = acc[j] + off[j];
        return;
    }
    const float *sc = ep->scale + col0;
    const float *bias = ep->bias ? ep->bias + col0 : NULL;
    if (ep->output == 0) {
        float *o = (float *)out;
        for (int64_t j = 0; j < count; j++) {
            float v = (float)(acc[j] + off[j]) * sc[j];
            if (bias) v += bias[j];
            if (ep->relu) v = fmaxf(v, 0.0f);
            o[j] = v;
        }
    } else {
        uint8_t *o = (uint8_t *)out;
        float zp = (float)ep->out_zero_point;
        for (int64_t j = 0; j < count; j++) {
            float v = (float)(acc[j] + off[j]) * sc[j];
            if (bias) v += bias[j];
            if (ep->relu) v = fmaxf(v, 0.0f);
            o[j] = requant(v, ep->out_inv_scale, zp);
        }
    }
}

void hone_qgemm_u8s8(int path, int64_t m, int64_t n, int64_t kpad, const uint8_t *a, int64_t lda,
                     const int8_t *b, const hone_qepilogue *ep, void *c, int64_t ldc) {
    hone_qtile_fn tile = hone_qtile_generic;
    int64_t MR = 4, NP = 1;
    void (*epi)(const int32_t *, int64_t, int64_t, const hone_qepilogue *, void *) = hone_qepilogue_row_generic;
#if defined(__x86_64__)
    switch (path) {
    case HONE_QPATH_AVX2: tile = hone_qtile_avx2; MR = 2; NP = 1; break;
    case HONE_QPATH_AVXVNNI: tile = hone_qtile_avxvnni; MR = 6; NP = 1; break;
    case HONE_QPATH_AVX512VNNI: tile = hone_qtile_avx512vnni; MR = 6; NP = 4; epi = hone_qepilogue_row_avx512; break;
    default: break;
    }
#else
    (void)path;
#endif
    int64_t elem = ep->output == 1 ? 1 : 4;
    int64_t panels = (n + 15) / 16, panel_stride = kpad * 16;
    int32_t acc[6 * HONE_QTILE_LD] __attribute__((aligned(64)));
    for (int64_t p0 = 0; p0 < panels; p0 += NP) {
        int64_t np = panels - p0 < NP ? panels - p0 : NP;
        int64_t col0 = p0 * 16, cols = n - col0 < np * 16 ? n - col0 : np * 16;
        for (int64_t i0 = 0; i0 < m; i0 += MR) {
            int64_t mr = m - i0 < MR ? m - i0 : MR;
            tile(mr, np, kpad, a + i0 * lda, lda, b + p0 * panel_stride, panel_stride, acc);
#if defined(__x86_64__)
            if (path == HONE_QPATH_AVX512VNNI) {
                hone_qepilogue_tile_avx512(acc, mr, cols, col0, ep, (char *)c + (i0 * ldc + col0) * elem, ldc * elem);
                continue;
            }
#endif
            for (int64_t r = 0; r < mr; r++) {
                char *row = (char *)c + ((i0 + r) * ldc + col0) * elem;
                epi(acc + r * HONE_QTILE_LD, cols, col0, ep, row);
            }
        }
    }
}

void hone_quantize_u8(int path, const float *x, int64_t count, float inv_scale, int32_t zero_point, uint8_t *dst) {
#if defined(__x86_64__)
    if (path == HONE_QPATH_AVX512VNNI) { hone_quantize_u8_avx512(x, count, inv_scale, zero_point, dst); return; }
#else
    (void)path;
#endif
    float zp = (float)zero_point;
    for (int64_t i = 0; i < count; i++) dst[i] = requant(x[i], inv_scale, zp);
}

void hone_minmax_f32(int path, const float *x, int64_t count, float *out) {
#if defined(__x86_64__)
    if (path == HONE_QPATH_AVX512VNNI) { hone_minmax_f32_avx512(x, count, out); return; }
#else
    (void)path;
#endif
    float lo = count > 0 ? x[0] : 0.0f, hi = lo;
    for (int64_t i = 0; i < count; i++) { lo = fminf(lo, x[i]); hi = fmaxf(hi, x[i]); }
    out[0] = lo; out[1] = hi;
}

void hone_dequantize_u8(const uint8_t *q, int64_t count, float scale, int32_t zero_point, float *dst) {
    for (int64_t i = 0; i < count; i++) dst[i] = (float)((int32_t)q[i] - zero_point) * scale;
}

// Copies n bytes with fixed-size moves (n is small here: a memcpy call per tap would dominate).
static inline void copy_small(uint8_t *d, const uint8_t *s, int64_t n) {
    while (n >= 8) { memcpy(d, s, 8); d += 8; s += 8; n -= 8; }
    if (n >= 4) { memcpy(d, s, 4); d += 4; s += 4; n -= 4; }
    while (n > 0) { *d++ = *s++; n--; }
}

static inline void fill_small(uint8_t *d, uint8_t v, int64_t n) {
    while (n > 0) { *d++ = v; n--; }
}

void hone_im2row_u8(const uint8_t *src, int64_t h, int64_t w, int64_t c, int64_t kh, int64_t kw,
                    int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t oh, int64_t ow,
                    int64_t first, int64_t rows, uint8_t pad, uint8_t *dst, int64_t ldd) {
    int64_t plen = kh * kw * c, per_image = oh * ow, seg = kw * c;
    int64_t img = first / per_image, pix = first % per_image;
    int64_t oy = pix / ow, ox = pix % ow;
    for (int64_t r = 0; r < rows; r++) {
        int64_t y0 = oy * sh - ph, x0 = ox * sw - pw;
        const uint8_t *im = src + img * h * w * c;
        uint8_t *d = dst + r * ldd;
        if (y0 >= 0 && y0 + kh <= h && x0 >= 0 && x0 + kw <= w) {
            // Interior pixel: kh contiguous segments of kw·c bytes.
            const uint8_t *s = im + (y0 * w + x0) * c;
            if (seg == 3) {
                for (int64_t i = 0; i < kh; i++) { memcpy(d + i * 3, s + i * w * c, 3); }
            } else {
                for (int64_t i = 0; i < kh; i++) copy_small(d + i * seg, s + i * w * c, seg);
            }
        } else {
            for (int64_t i = 0; i < kh; i++) {
                int64_t y = y0 + i;
                uint8_t *di = d + i * seg;
                if (y < 0 || y >= h) { fill_small(di, pad, seg); continue; }
                for (int64_t j = 0; j < kw; j++) {
                    int64_t xx = x0 + j;
                    if (xx < 0 || xx >= w) fill_small(di + j * c, pad, c);
                    else copy_small(di + j * c, im + (y * w + xx) * c, c);
                }
            }
        }
        for (int64_t t = plen; t < ldd; t++) d[t] = 0;
        if (++ox == ow) { ox = 0; if (++oy == oh) { oy = 0; img++; } }
    }
}

void hone_maxpool_u8_nhwc(int path, const uint8_t *src, int64_t n, int64_t h, int64_t w, int64_t c, int64_t kh,
                          int64_t kw, int64_t sh, int64_t sw, int64_t oh, int64_t ow, uint8_t *dst) {
#if defined(__x86_64__)
    if (path == HONE_QPATH_AVX512VNNI) { hone_maxpool_u8_nhwc_avx512(src, n, h, w, c, kh, kw, sh, sw, oh, ow, dst); return; }
#else
    (void)path;
#endif
    for (int64_t b = 0; b < n; b++) {
        const uint8_t *im = src + b * h * w * c;
        for (int64_t y = 0; y < oh; y++) {
            for (int64_t x = 0; x < ow; x++) {
                uint8_t *d = dst + ((b * oh + y) * ow + x) * c;
                const uint8_t *s0 = im + ((y * sh) * w + x * sw) * c;
                memcpy(d, s0, (size_t)c);
                for (int64_t i = 0; i < kh; i++) {
                    for (int64_t j = 0; j < kw; j++) {
                        const uint8_t *s = im + ((y * sh + i) * w + x * sw + j) * c;
                        for (int64_t q = 0; q < c; q++) d[q] = s[q] > d[q] ? s[q] : d[q];
                    }
                }
            }
        }
    }
}

void hone_quantize_nchw_to_nhwc_u8(const float *x, int64_t n, int64_t c, int64_t hw, float inv_scale,
                                   int32_t zero_point, uint8_t *dst) {
    float zp = (float)zero_point;
    for (int64_t b = 0; b < n; b++)
        for (int64_t ch = 0; ch < c; ch++) {
            const float *s = x + (b * c + ch) * hw;
            uint8_t *d = dst + b * hw * c + ch;
            for (int64_t i = 0; i < hw; i++) d[i * c] = requant(s[i], inv_scale, zp);
        }
}

void hone_nhwc_to_nchw_u8(const uint8_t *src, int64_t n, int64_t hw, int64_t c, uint8_t *dst) {
    for (int64_t b = 0; b < n; b++)
        for (int64_t i = 0; i < hw; i++)
            for (int64_t ch = 0; ch < c; ch++)
                dst[(b * c + ch) * hw + i] = src[(b * hw + i) * c + ch];
}

// im2col / col2im for one image and one channel group (Chellapilla et al., 2006).
// col row (c*kh + r)*kw + s, column oh*ow_n + ow holds
// image[c, oh*sh - ph + r*dh, ow*sw - pw + s*dw] (0 outside the image).
// Row k of col starts at col + k*ldcol (ldcol ≥ oh_n*ow_n lets several images sit side by
// side in one matrix). Each output row splits into a zero prefix, an in-bounds middle and a zero suffix, so the
// inner loops are branch-free copies (memcpy when the stride is 1).
#include "HoneConv.h"
#include "HoneKernels.h"
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

typedef float hone_v8u __attribute__((vector_size(32), aligned(4)));

// Copies n floats; rows here are short (often < 32), where a libc memcpy call costs more
// than the copy. Two overlapping 8-float moves cover 8 ≤ n ≤ 16.
static inline void copy_floats(float *restrict d, const float *restrict s, int64_t n) {
    if (n >= 8 && n <= 16) {
        hone_v8u a = *(const hone_v8u *)s, b = *(const hone_v8u *)(s + n - 8);
        *(hone_v8u *)d = a;
        *(hone_v8u *)(d + n - 8) = b;
    } else if (n > 16) {
        int64_t j = 0;
        for (; j + 8 <= n; j += 8) *(hone_v8u *)(d + j) = *(const hone_v8u *)(s + j);
        if (j < n) *(hone_v8u *)(d + n - 8) = *(const hone_v8u *)(s + n - 8);
    } else {
        for (int64_t j = 0; j < n; j++) d[j] = s[j];
    }
}

// Output columns [lo, hi) whose input column ow*sw + off lies in [0, W).
static void valid_range(int64_t ow_n, int64_t W, int64_t sw, int64_t off, int64_t *lo, int64_t *hi) {
    int64_t a = off >= 0 ? 0 : (-off + sw - 1) / sw;               // first ow with iw ≥ 0
    int64_t b = (W - 1 - off) < 0 ? 0 : (W - 1 - off) / sw + 1;    // first ow with iw ≥ W
    if (off > W - 1) b = 0;
    if (a > ow_n) a = ow_n;
    if (b > ow_n) b = ow_n;
    if (b < a) b = a;
    *lo = a;
    *hi = b;
}

static void im2col_generic(const float *restrict image, int64_t channels, int64_t H, int64_t W,
                 int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw,
                 int64_t dh, int64_t dw, int64_t oh_n, int64_t ow_n, float *restrict col, int64_t ldcol) {
    for (int64_t c = 0; c < channels; c++) {
        const float *plane = image + c * H * W;
        for (int64_t r = 0; r < kh; r++) {
            for (int64_t s = 0; s < kw; s++) {
                int64_t offw = s * dw - pw, lo, hi;
                valid_range(ow_n, W, sw, offw, &lo, &hi);
                for (int64_t oh = 0; oh < oh_n; oh++) {
                    float *d = col + oh * ow_n;
                    int64_t ih = oh * sh - ph + r * dh;
                    if (ih < 0 || ih >= H) {
                        for (int64_t ow = 0; ow < ow_n; ow++) d[ow] = 0;
                        continue;
                    }
                    const float *src = plane + ih * W + offw;
                    for (int64_t ow = 0; ow < lo; ow++) d[ow] = 0;
                    if (sw == 1) {
                        if (hi > lo) copy_floats(d + lo, src + lo, hi - lo);
                    } else {
                        for (int64_t ow = lo; ow < hi; ow++) d[ow] = src[ow * sw];
                    }
                    for (int64_t ow = hi; ow < ow_n; ow++) d[ow] = 0;
                }
                col += ldcol;
            }
        }
    }
}

static void col2im_generic(const float *restrict col, int64_t channels, int64_t H, int64_t W,
                     int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw,
                     int64_t dh, int64_t dw, int64_t oh_n, int64_t ow_n, float *restrict image, int64_t ldcol) {
    for (int64_t c = 0; c < channels; c++) {
        float *plane = image + c * H * W;
        for (int64_t r = 0; r < kh; r++) {
            for (int64_t s = 0; s < kw; s++) {
                int64_t offw = s * dw - pw, lo, hi;
                valid_range(ow_n, W, sw, offw, &lo, &hi);
                for (int64_t oh = 0; oh < oh_n; oh++) {
                    int64_t ih = oh * sh - ph + r * dh;
                    if (ih < 0 || ih >= H) continue;
                    const float *srow = col + oh * ow_n;
                    float *dst = plane + ih * W + offw;
                    if (sw == 1) {
                        for (int64_t ow = lo; ow < hi; ow++) dst[ow] += srow[ow];
                    } else {
                        for (int64_t ow = lo; ow < hi; ow++) dst[ow * sw] += srow[ow];
                    }
                }
                col += ldcol;
            }
        }
    }
}

#if defined(__x86_64__)
#define T512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))

// Bits [lo, hi) of a 16-bit mask (0 ≤ lo ≤ hi ≤ 16).
T512 static inline __mmask16 range_mask(int64_t lo, int64_t hi) {
    if (hi <= lo) return 0;
    uint32_t upto = hi >= 16 ? 0xFFFFu : ((1u << hi) - 1);
    uint32_t below = (1u << lo) - 1;
    return (__mmask16)(upto & ~below);
}

// Stride-1 AVX-512 im2col: each output row segment is one masked load (zeros outside the
// image, faults suppressed) and one masked store per 16 pixels.
T512 static void im2col_avx512(const float *restrict image, int64_t channels, int64_t H, int64_t W,
                               int64_t kh, int64_t kw, int64_t ph, int64_t pw, int64_t dh, int64_t dw,
                               int64_t oh_n, int64_t ow_n, float *restrict col, int64_t ldcol) {
    if (ow_n + (kw - 1) * dw <= 16) {   // implies W + 2·pw ≤ 16
        // Narrow images: load each input row once (lane t ↔ image column t − pw, zeros
        // outside) and produce every tap's output row with a lane permute.
        __mmask16 rowvalid = range_mask(pw, pw + W > 16 ? 16 : pw + W);
        __mmask16 out = range_mask(0, ow_n);
        __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        for (int64_t c = 0; c < channels; c++) {
            const float *plane = image + c * H * W;
            for (int64_t r = 0; r < kh; r++) {
                float *colr = col + (c * kh + r) * kw * ldcol;
                for (int64_t oh = 0; oh < oh_n; oh++) {
                    int64_t ih = oh - ph + r * dh;
                    __m512 row = (ih >= 0 && ih < H) ? _mm512_maskz_loadu_ps(rowvalid, plane + ih * W - pw)
                                                     : _mm512_setzero_ps();
                    int full = (oh_n - 1 - oh) * ow_n >= 16 - ow_n;
                    for (int64_t s = 0; s < kw; s++) {
                        __m512 v = _mm512_permutexvar_ps(_mm512_add_epi32(lane, _mm512_set1_epi32((int)(s * dw))), row);
                        v = _mm512_maskz_mov_ps(out, v);
                        float *d = colr + s * ldcol + oh * ow_n;
                        if (full) _mm512_storeu_ps(d, v);
                        else _mm512_mask_storeu_ps(d, out, v);
                    }
                }
            }
        }
        return;
    }
    for (int64_t c = 0; c < channels; c++) {
        const float *plane = image + c * H * W;
        for (int64_t r = 0; r < kh; r++) {
            for (int64_t s = 0; s < kw; s++) {
                int64_t offw = s * dw - pw, lo, hi;
                valid_range(ow_n, W, 1, offw, &lo, &hi);
                if (ow_n <= 16) {   // one masked move per output row, masks fixed per (c, r, s)
                    __mmask16 valid = range_mask(lo, hi), out = range_mask(0, ow_n);
                    const float *src = plane + offw + (r * dh - ph) * W;
                    // Full 16-lane stores spill into the following output rows, which are
                    // written right after; stores whose spill would pass the last row are masked.
                    for (int64_t oh = 0; oh < oh_n; oh++) {
                        int64_t ih = oh - ph + r * dh;
                        __mmask16 m = (ih >= 0 && ih < H) ? valid : 0;
                        __m512 v = _mm512_maskz_loadu_ps(m, src + oh * W);
                        if ((oh_n - 1 - oh) * ow_n >= 16 - ow_n) _mm512_storeu_ps(col + oh * ow_n, v);
                        else _mm512_mask_storeu_ps(col + oh * ow_n, out, v);
                    }
                    col += ldcol;
                    continue;
                }
                for (int64_t oh = 0; oh < oh_n; oh++) {
                    float *d = col + oh * ow_n;
                    int64_t ih = oh - ph + r * dh;
                    int inside = ih >= 0 && ih < H;
                    const float *src = plane + (inside ? ih : 0) * W + offw;
                    for (int64_t j = 0; j < ow_n; j += 16) {
                        __mmask16 valid = inside ? range_mask(lo - j < 0 ? 0 : lo - j, hi - j > 16 ? 16 : (hi - j < 0 ? 0 : hi - j)) : 0;
                        __mmask16 out = range_mask(0, ow_n - j > 16 ? 16 : ow_n - j);
                        _mm512_mask_storeu_ps(d + j, out, _mm512_maskz_loadu_ps(valid, src + j));
                    }
                }
                col += ldcol;
            }
        }
    }
}

// Stride-1 AVX-512 col2im. For each destination row chunk of 16 pixels the kw taps are
// summed in a register (one masked load per tap from col, shifted by the tap's column
// offset) and the row is loaded and stored once: no store→load of overlapping, shifted
// addresses (which defeats store forwarding).
T512 static void col2im_avx512(const float *restrict col, int64_t channels, int64_t H, int64_t W,
                               int64_t kh, int64_t kw, int64_t ph, int64_t pw, int64_t dh, int64_t dw,
                               int64_t oh_n, int64_t ow_n, float *restrict image, int64_t ldcol) {
    enum { MAXTAPS = 16, MAXCHUNKS = 8 };
    if (kw > MAXTAPS || W > 16 * MAXCHUNKS) {
        col2im_generic(col, channels, H, W, kh, kw, 1, 1, ph, pw, dh, dw, oh_n, ow_n, image, ldcol);
        return;
    }
    int64_t chunks = (W + 15) / 16;
    __mmask16 masks[MAXTAPS][MAXCHUNKS];
    int64_t offs[MAXTAPS];
    for (int64_t s = 0; s < kw; s++) {
        int64_t offw = s * dw - pw, lo, hi;
        valid_range(ow_n, W, 1, offw, &lo, &hi);
        offs[s] = offw;
        for (int64_t q = 0; q < chunks; q++) {
            // lane l ↔ image column j = 16q + l ↔ output column ow = j − offw ∈ [lo, hi)
            int64_t a = lo + offw - 16 * q, b = hi + offw - 16 * q;
            if (a < 0) a = 0;
            if (b > 16) b = 16;
            if (W - 16 * q < b) b = W - 16 * q;
            masks[s][q] = range_mask(a, b);
        }
    }
    for (int64_t c = 0; c < channels; c++) {
        float *plane = image + c * H * W;
        for (int64_t r = 0; r < kh; r++) {
            const float *colr = col + (c * kh + r) * kw * ldcol;
            for (int64_t oh = 0; oh < oh_n; oh++) {
                int64_t ih = oh - ph + r * dh;
                if (ih < 0 || ih >= H) continue;
                float *dst = plane + ih * W;
                for (int64_t q = 0; q < chunks; q++) {
                    __mmask16 rowmask = range_mask(0, W - 16 * q > 16 ? 16 : W - 16 * q);
                    __m512 acc = _mm512_maskz_loadu_ps(rowmask, dst + 16 * q);
                    for (int64_t s = 0; s < kw; s++) {
                        const float *src = colr + s * ldcol + oh * ow_n + 16 * q - offs[s];
                        acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(masks[s][q], src));
                    }
                    _mm512_mask_storeu_ps(dst + 16 * q, rowmask, acc);
                }
            }
        }
    }
}
#endif

void hone_im2col(int isa, const float *image, int64_t channels, int64_t H, int64_t W, int64_t kh, int64_t kw,
                 int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t dh, int64_t dw,
                 int64_t oh_n, int64_t ow_n, float *col, int64_t ldcol) {
#if defined(__x86_64__)
    if (isa >= HONE_ISA_AVX512 && sh == 1 && sw == 1) {
        im2col_avx512(image, channels, H, W, kh, kw, ph, pw, dh, dw, oh_n, ow_n, col, ldcol);
        return;
    }
#endif
    (void)isa;
    im2col_generic(image, channels, H, W, kh, kw, sh, sw, ph, pw, dh, dw, oh_n, ow_n, col, ldcol);
}

void hone_col2im_add(int isa, const float *col, int64_t channels, int64_t H, int64_t W, int64_t kh, int64_t kw,
                     int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t dh, int64_t dw,
                     int64_t oh_n, int64_t ow_n, float *image, int64_t ldcol) {
#if defined(__x86_64__)
    if (isa >= HONE_ISA_AVX512 && sh == 1 && sw == 1) {
        col2im_avx512(col, channels, H, W, kh, kw, ph, pw, dh, dw, oh_n, ow_n, image, ldcol);
        return;
    }
#endif
    (void)isa;
    col2im_generic(col, channels, H, W, kh, kw, sh, sw, ph, pw, dh, dw, oh_n, ow_n, image, ldcol);
}

typedef float hone_v8 __attribute__((vector_size(32)));

void hone_row_sums_add(const float *restrict x, int64_t rows, int64_t cols, float *restrict out) {
    for (int64_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        hone_v8 a0 = {0}, a1 = {0};
        int64_t j = 0;
        for (; j + 16 <= cols; j += 16) {
            hone_v8 u, v;
            memcpy(&u, row + j, sizeof u);
            memcpy(&v, row + j + 8, sizeof v);
            a0 += u;
            a1 += v;
        }
        a0 += a1;
        float s = ((a0[0] + a0[4]) + (a0[1] + a0[5])) + ((a0[2] + a0[6]) + (a0[3] + a0[7]));
        for (; j < cols; j++) s += row[j];
        out[r] += s;
    }
}

void hone_copy_rows_bias(const float *restrict src, int64_t lds, float *restrict dst, int64_t ldd,
                         int64_t rows, int64_t cols, const float *restrict bias) {
    for (int64_t r = 0; r < rows; r++) {
        const float *s = src + r * lds;
        float *d = dst + r * ldd;
        if (bias) {
            float b = bias[r];
            for (int64_t j = 0; j < cols; j++) d[j] = s[j] + b;
        } else {
            copy_floats(d, s, cols);
        }
    }
}

// im2col / col2im for one image and one channel group (Chellapilla et al., 2006).
// col row (c*kh + r)*kw + s, column oh*ow_n + ow holds
// image[c, oh*sh - ph + r*dh, ow*sw - pw + s*dw] (0 outside the image).
// Each output row splits into a zero prefix, an in-bounds middle and a zero suffix, so the
// inner loops are branch-free copies (memcpy when the stride is 1).
#include "HoneConv.h"
#include <string.h>

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

void hone_im2col(const float *restrict image, int64_t channels, int64_t H, int64_t W,
                 int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw,
                 int64_t dh, int64_t dw, int64_t oh_n, int64_t ow_n, float *restrict col) {
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
                        memset(d, 0, (size_t)ow_n * sizeof(float));
                        continue;
                    }
                    const float *src = plane + ih * W + offw;
                    for (int64_t ow = 0; ow < lo; ow++) d[ow] = 0;
                    if (sw == 1) {
                        if (hi > lo) memcpy(d + lo, src + lo, (size_t)(hi - lo) * sizeof(float));
                    } else {
                        for (int64_t ow = lo; ow < hi; ow++) d[ow] = src[ow * sw];
                    }
                    for (int64_t ow = hi; ow < ow_n; ow++) d[ow] = 0;
                }
                col += oh_n * ow_n;
            }
        }
    }
}

void hone_col2im_add(const float *restrict col, int64_t channels, int64_t H, int64_t W,
                     int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw,
                     int64_t dh, int64_t dw, int64_t oh_n, int64_t ow_n, float *restrict image) {
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
                col += oh_n * ow_n;
            }
        }
    }
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

#ifndef HONE_CONV_H
#define HONE_CONV_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// im2col for one image's channel group on ISA path `isa` (AVX-512: masked row copies): `col` (channels·kh·kw × oh_n·ow_n) row
/// (c·kh + r)·kw + s, column oh·ow_n + ow = image[c, oh·sh − ph + r·dh, ow·sw − pw + s·dw],
/// zero outside the H × W plane; row k starts at col + k·ldcol (ldcol ≥ oh_n·ow_n).
void hone_im2col(int isa, const float *image, int64_t channels, int64_t H, int64_t W, int64_t kh, int64_t kw,
                 int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t dh, int64_t dw,
                 int64_t oh_n, int64_t ow_n, float *col, int64_t ldcol);

/// Adjoint of hone_im2col: adds every `col` entry into the image element it was read from.
void hone_col2im_add(int isa, const float *col, int64_t channels, int64_t H, int64_t W, int64_t kh, int64_t kw,
                     int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t dh, int64_t dw,
                     int64_t oh_n, int64_t ow_n, float *image, int64_t ldcol);

/// dst[r·ldd + j] = src[r·lds + j] (+ bias[r] when bias is non-null), r < rows, j < cols.
void hone_copy_rows_bias(const float *src, int64_t lds, float *dst, int64_t ldd, int64_t rows,
                         int64_t cols, const float *bias);

/// out[r] += Σ_j x[r·cols + j] for r in 0..<rows (fixed summation order: 16 lanes, then a tree).
void hone_row_sums_add(const float *x, int64_t rows, int64_t cols, float *out);

#ifdef __cplusplus
}
#endif
#endif

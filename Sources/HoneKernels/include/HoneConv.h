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


/// A stride-1 convolution's per-group shape for the implicit-GEMM helpers: `channels` input
/// channels of H × W, a kh × kw kernel with padding (ph, pw) and dilation (dh, dw), output
/// oh_n × ow_n. Patch row p = (c·kh + r)·kw + s, output pixel j = oh·ow_n + ow.
typedef struct {
    int64_t channels, H, W, kh, kw, ph, pw, dh, dw, oh_n, ow_n;
} hone_conv_shape;

/// Largest kernel height or width the implicit helpers take.
#define HONE_CONV_MAXTAPS 32

/// Lane plan of one B panel (output pixels j0 ..< j0+cols, cols ≤ 32, in two 16-lane halves),
/// the same for every image and channel: made once per panel by `hone_conv_panel_init`.
typedef struct {
    int64_t j0, cols, halves;
    int64_t base[2], span[2];              // window start (before tap offsets) and width − 1
    int32_t rel[2][16];                    // lane → position in its window
    uint16_t live[2];                      // lanes holding a pixel
    uint16_t rowok[2][HONE_CONV_MAXTAPS];  // lanes inside the image for kernel row r
    uint16_t colok[2][HONE_CONV_MAXTAPS];  // ... and kernel column s
} hone_conv_panel;

/// Fills `pl` for pixels j0 ..< j0+cols; returns 0 when the shape is not supported there.
int hone_conv_panel_init(const hone_conv_shape *g, int64_t j0, int64_t cols, hone_conv_panel *pl);

/// 1 when the implicit helpers handle this shape: every 16 consecutive output pixels read
/// windows of at most 32 floats per tap, and the kernel is at most 32 × 32 taps.
int hone_conv_implicit_supported(const hone_conv_shape *g);

/// Packs rows p0 ..< p0+kc of the im2col matrix (channels·kh·kw rows, plus one row of ones
/// at index channels·kh·kw for a bias) and the panel's columns from `image` (the group's
/// first channel) as one SGEMM B panel: dst[(p − p0)·ldd + jj] for jj < 32 (ldd = 32 for the
/// micro-kernel's panel layout; a larger ldd lays panels side by side as im2col rows), columns
/// past `cols` zero. AVX-512 only.
void hone_conv_pack_b_avx512(const float *image, const hone_conv_shape *g, const hone_conv_panel *pl,
                             int64_t p0, int64_t kc, float *dst, int64_t ldd);

/// Prefetches `bytes` bytes from `p` towards the cache (L2 or closer; for writing when
/// `write` is non-zero), e.g. the next image while the current one is being multiplied.
void hone_prefetch(const void *p, int64_t bytes, int write);

/// Adjoint of the packing for all channels·kh·kw rows: image[...] += dcol[p·ldd + jj] for
/// the panel's pixels (jj < cols). AVX-512 only.
void hone_conv_col2im_panel_avx512(const float *dcol, int64_t ldd, const hone_conv_shape *g,
                                   const hone_conv_panel *pl, float *image);

#ifdef __cplusplus
}
#endif
#endif

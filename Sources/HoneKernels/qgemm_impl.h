// Internal declarations shared by the int8 GEMM files (not part of the public header).
#ifndef HONE_QGEMM_IMPL_H
#define HONE_QGEMM_IMPL_H
#include "HoneQGemm.h"

/// Accumulator tile row stride (int32 elements): up to 4 panels of 16 columns.
#define HONE_QTILE_LD 64

/// Computes the int32 tile acc[r·64 + j] = Σ_k a[r·lda + k] · Wpanel(j)[k] for r < mr rows and
/// j < np·16 columns of `np` consecutive panels (`panel_stride` bytes apart).
typedef void (*hone_qtile_fn)(int64_t mr, int64_t np, int64_t kpad, const uint8_t *a, int64_t lda,
                              const int8_t *b, int64_t panel_stride, int32_t *acc);

void hone_qtile_generic(int64_t mr, int64_t np, int64_t kpad, const uint8_t *a, int64_t lda,
                        const int8_t *b, int64_t panel_stride, int32_t *acc);
void hone_qtile_avx2(int64_t mr, int64_t np, int64_t kpad, const uint8_t *a, int64_t lda,
                     const int8_t *b, int64_t panel_stride, int32_t *acc);
void hone_qtile_avxvnni(int64_t mr, int64_t np, int64_t kpad, const uint8_t *a, int64_t lda,
                        const int8_t *b, int64_t panel_stride, int32_t *acc);
void hone_qtile_avx512vnni(int64_t mr, int64_t np, int64_t kpad, const uint8_t *a, int64_t lda,
                           const int8_t *b, int64_t panel_stride, int32_t *acc);

/// Applies the epilogue to `count` accumulators of one row, columns col0 ..< col0 + count;
/// `out` points at the row's column col0 (element type chosen by ep->output).
void hone_qepilogue_row_generic(const int32_t *acc, int64_t count, int64_t col0, const hone_qepilogue *ep, void *out);
void hone_qepilogue_row_avx512(const int32_t *acc, int64_t count, int64_t col0, const hone_qepilogue *ep, void *out);

void hone_qepilogue_tile_avx512(const int32_t *acc, int64_t mr, int64_t count, int64_t col0, const hone_qepilogue *ep,
                                 char *out, int64_t row_bytes);
void hone_maxpool_u8_nhwc_avx512(const uint8_t *src, int64_t n, int64_t h, int64_t w, int64_t c, int64_t kh,
                                 int64_t kw, int64_t sh, int64_t sw, int64_t oh, int64_t ow, uint8_t *dst);
void hone_quantize_u8_avx512(const float *x, int64_t count, float inv_scale, int32_t zero_point, uint8_t *dst);
void hone_minmax_f32_avx512(const float *x, int64_t count, float *out);
#endif

#ifndef HONE_QGEMM_H
#define HONE_QGEMM_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Int8 GEMM paths, best last. Chosen at run time from CPU detection (see QGEMM.swift).
typedef enum {
    HONE_QPATH_GENERIC = 0,     // portable C
    HONE_QPATH_AVX2 = 1,        // vpmovzx/sx to int16 + vpmaddwd (exact: no int16 saturation)
    HONE_QPATH_AVXVNNI = 2,     // VEX vpdpbusd on ymm (AVX-VNNI)
    HONE_QPATH_AVX512VNNI = 3,  // EVEX vpdpbusd on zmm (AVX-512 VNNI)
} hone_qpath;

/// 1 when the CPU (and OS) support AVX-VNNI (VEX-encoded vpdpbusd on ymm), else 0.
int hone_has_avx_vnni(void);

/// Columns per packed weight panel.
#define HONE_QGEMM_NR 16

/// What the GEMM does with each int32 accumulator `acc[m, n]` (column n of the output):
///   v = float(acc + offset[n]) · scale[n] + bias[n]; v = max(v, 0) if relu;
/// then stores v as float (`output == 0`), as uint8 `clamp(round_half_even(v · out_inv_scale)
/// + out_zero_point, 0, 255)` (`output == 1`, requantization for the next int8 layer), or
/// stores the raw `acc + offset[n]` as int32 (`output == 2`, for exact tests).
/// `offset` is where the activation zero point is folded in: offset[n] = −z_a · Σ_k W[n, k].
/// `scale`, `offset` and `bias` (NULL: no bias) are indexed by the output column.
typedef struct {
    const float *scale;
    const int32_t *offset;
    const float *bias;
    int32_t relu;
    int32_t output;
    float out_inv_scale;
    int32_t out_zero_point;
} hone_qepilogue;

/// Bytes of the packed form of an n × k int8 weight matrix: ceil(n/16)·16 × roundup(k, 4).
int64_t hone_qgemm_packed_size(int64_t n, int64_t k);

/// Packs W (n × k, int8, row-major with row stride ldw: row = output column of the GEMM) into
/// 16-column panels of 4-deep k groups: panel p, group g holds 64 bytes
/// `dst[(p·K4 + g)·64 + j·4 + t] = W[16p + j, 4g + t]` (K4 = roundup(k,4)/4), zero-padded.
/// This is the vpdpbusd operand layout; every path reads the same layout.
void hone_qgemm_pack_b(int64_t n, int64_t k, const int8_t *w, int64_t ldw, int8_t *dst);

/// C[m × n] = epilogue(A · Wᵀ): A is uint8 (m × k, row stride lda ≥ roundup(k, 4); bytes
/// k..<roundup(k,4) of each row must be readable, their values do not matter), W is packed by
/// hone_qgemm_pack_b with `kpad` = roundup(k, 4) (`b` may point at any panel: columns are then
/// counted from that panel, and the epilogue arrays must be offset to match). C row stride ldc
/// is in elements of the output type. Single-threaded; callers split rows or panels.
void hone_qgemm_u8s8(int path, int64_t m, int64_t n, int64_t kpad, const uint8_t *a, int64_t lda,
                     const int8_t *b, const hone_qepilogue *ep, void *c, int64_t ldc);

/// dst[i] = clamp(round_half_even(x[i] · inv_scale) + zero_point, 0, 255).
void hone_quantize_u8(int path, const float *x, int64_t count, float inv_scale, int32_t zero_point,
                      uint8_t *dst);

/// Minimum and maximum of x[0..<count] (NaN-free input), written to out[0], out[1].
void hone_minmax_f32(int path, const float *x, int64_t count, float *out);

/// Dequantizes: dst[i] = (q[i] − zero_point) · scale.
void hone_dequantize_u8(const uint8_t *q, int64_t count, float scale, int32_t zero_point, float *dst);

/// im2row for uint8 NHWC images: for output pixels `first ..< first + rows` of the flattened
/// (image, oh, ow) index, writes row r of `dst` (stride ldd) as the patch
/// `[kh][kw][c]` (c fastest) of `src` (N × H × W × C), `pad` outside the image, then zero
/// bytes up to ldd. The patch length is kh·kw·c ≤ ldd.
void hone_im2row_u8(const uint8_t *src, int64_t h, int64_t w, int64_t c, int64_t kh, int64_t kw,
                    int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t oh, int64_t ow,
                    int64_t first, int64_t rows, uint8_t pad, uint8_t *dst, int64_t ldd);

/// Max pooling of uint8 NHWC images (n × h × w × c) → (n × oh × ow × c), window kh × kw,
/// strides sh, sw, no padding. `path` as hone_qgemm_u8s8 (AVX-512 for HONE_QPATH_AVX512VNNI).
void hone_maxpool_u8_nhwc(int path, const uint8_t *src, int64_t n, int64_t h, int64_t w, int64_t c, int64_t kh,
                          int64_t kw, int64_t sh, int64_t sw, int64_t oh, int64_t ow, uint8_t *dst);

/// Quantizes float NCHW images to uint8 NHWC in one pass (scale and zero point as hone_quantize_u8).
void hone_quantize_nchw_to_nhwc_u8(const float *x, int64_t n, int64_t c, int64_t hw, float inv_scale,
                                   int32_t zero_point, uint8_t *dst);

/// Reorders uint8 NHWC images (n × hw × c) to NCHW (n × c × hw): the flatten order of PyTorch.
void hone_nhwc_to_nchw_u8(const uint8_t *src, int64_t n, int64_t hw, int64_t c, uint8_t *dst);

#ifdef __cplusplus
}
#endif
#endif

#ifndef HONE_SPMM_H
#define HONE_SPMM_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Sparse (CSR) × dense product on ISA path `isa` (0 generic, 1 AVX2, 2 AVX-512), for output
/// rows r in [row_begin, row_end):
///   y[r·ldy + j] = act(bias[r] + Σ_{p = rowptr[r]}^{rowptr[r+1]−1} values[p] · x[colidx[p]·ldx + j]),  j < n,
/// where act is max(0, ·) when `relu` is non-zero (bias may be null). x is the dense right-hand
/// side [in, n] (row-major, stride ldx), y is [out, n] (stride ldy). With n == 1 and ldx == 1
/// this is a sparse matrix–vector product (AVX-512: 16-wide gathers).
void hone_spmm_csr(int isa, int64_t row_begin, int64_t row_end, const int32_t *rowptr, const int32_t *colidx,
                   const float *values, const float *x, int64_t ldx, int64_t n, const float *bias, int relu,
                   float *y, int64_t ldy);

/// dst[j·ldd + i] = src[i·lds + j] for i < rows, j < cols (AVX2: 8×8 register blocks; generic: 16×16 tiles).
void hone_transpose_f32(int isa, const float *src, int64_t rows, int64_t cols, int64_t lds, float *dst, int64_t ldd);

#ifdef __cplusplus
}
#endif
#endif

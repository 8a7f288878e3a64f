#ifndef HONE_VECMATH_H
#define HONE_VECMATH_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// y[i] = f(x[i]) for i < n on ISA path `isa` (a hone_isa value; never above the CPU's).
/// x and y may be the same buffer. See vecmath_impl.h for the algorithms and error bounds.
void hone_vexp(int isa, const float *x, float *y, int64_t n);
void hone_vlog(int isa, const float *x, float *y, int64_t n);
void hone_vtanh(int isa, const float *x, float *y, int64_t n);
void hone_vsigmoid(int isa, const float *x, float *y, int64_t n);
/// GELU, erf form: 0.5·x·(1 + erf(x/√2)).
void hone_vgelu(int isa, const float *x, float *y, int64_t n);
/// ReLU: x where x > 0, else +0 (NaN gives +0).
void hone_vrelu(int isa, const float *x, float *y, int64_t n);
/// Row-wise softmax (log_softmax = 0) or log-softmax (1) of a rows × cols row-major matrix.
void hone_softmax_rows(int isa, const float *x, float *y, int64_t rows, int64_t cols, int log_softmax);

#ifdef __cplusplus
}
#endif
#endif

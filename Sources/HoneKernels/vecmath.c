// Vector math entry points: one implementation (vecmath_impl.h) instantiated per ISA.
#include "HoneKernels.h"

#define HONE_ISA_IMPL "vecmath_impl.h"
#include "isa_instances.h"
#include "isa_dispatch.h"

void hone_vexp(int isa, const float *x, float *y, int64_t n) { DISPATCH(isa, map_exp, x, y, n); }
void hone_vlog(int isa, const float *x, float *y, int64_t n) { DISPATCH(isa, map_log, x, y, n); }
void hone_vtanh(int isa, const float *x, float *y, int64_t n) { DISPATCH(isa, map_tanh, x, y, n); }
void hone_vsigmoid(int isa, const float *x, float *y, int64_t n) { DISPATCH(isa, map_sigmoid, x, y, n); }
void hone_vgelu(int isa, const float *x, float *y, int64_t n) { DISPATCH(isa, map_gelu, x, y, n); }
void hone_vrelu(int isa, const float *x, float *y, int64_t n) { DISPATCH(isa, map_relu, x, y, n); }
void hone_softmax_rows(int isa, const float *x, float *y, int64_t rows, int64_t cols, int log_softmax) {
    DISPATCH(isa, softmax_rows, x, y, rows, cols, log_softmax);
}

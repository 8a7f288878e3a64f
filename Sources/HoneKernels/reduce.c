// Reduction entry points: one implementation (reduce_impl.h) instantiated per ISA.
#include <math.h>
#include "HoneKernels.h"

#define HONE_ISA_IMPL "reduce_impl.h"
#include "isa_instances.h"
#include "isa_dispatch.h"

float hone_reduce_row(int isa, int op, const float *x, int64_t n) {
#if defined(__x86_64__)
    if (isa >= HONE_ISA_AVX512) return reduce_row_avx512(op, x, n);
    if (isa >= HONE_ISA_AVX2) return reduce_row_avx2(op, x, n);
#endif
    return reduce_row_generic(op, x, n);
}

void hone_reduce_cols(int isa, int op, const float *x, float *y, int64_t rows, int64_t cols, int64_t ld) {
    if (rows <= 0 || cols <= 0) return;
    DISPATCH(isa, reduce_cols, op, x, y, rows, cols, ld);
}

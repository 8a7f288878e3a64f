// Elementwise arithmetic entry point: one implementation (binary_impl.h) instantiated per ISA.
#include "HoneKernels.h"

#define HONE_ISA_IMPL "binary_impl.h"
#include "isa_instances.h"
#include "isa_dispatch.h"

void hone_binary(int isa, int op, const float *a, int64_t a_stride, const float *b, int64_t b_stride, float *y,
                 int64_t n) {
    if (n <= 0) return;
    DISPATCH(isa, binary, op, a, a_stride ? 1 : 0, b, b_stride ? 1 : 0, y, n);
}

// Optimizer update entry points: one implementation (optim_impl.h) instantiated per ISA.
// No contraction into FMA: the paths must agree bit for bit with each other and with the
// scalar definition.
#pragma clang fp contract(off)
#include "HoneKernels.h"

// (The AVX-512 and AVX2 instances are compiled with FMA available; with contraction off no
// operation is fused.)
#define HONE_ISA_IMPL "optim_impl.h"
#include "isa_instances.h"
#include "isa_dispatch.h"

void hone_adam_update(int isa, float *m, float *v, float *vmax, float *u, int64_t n, float beta1, float beta2,
                      float c1, float c2, float eps) {
    DISPATCH(isa, adam, m, v, vmax, u, n, beta1, beta2, c1, c2, eps);
}

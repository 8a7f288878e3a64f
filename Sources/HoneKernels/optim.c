// Optimizer update entry points: one implementation (optim_impl.h) instantiated per ISA.
// No contraction into FMA: the paths must agree bit for bit with each other and with the
// scalar definition.
#pragma clang fp contract(off)
#include "HoneKernels.h"

#if defined(__x86_64__)
#define VW 16
#define SFX _avx512
#define TGT __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))
#include "optim_impl.h"
#undef VW
#undef SFX
#undef TGT

#define VW 8
#define SFX _avx2
#define TGT __attribute__((target("avx2")))
#include "optim_impl.h"
#undef VW
#undef SFX
#undef TGT
#endif

#define VW 4
#define SFX _generic
#define TGT
#include "optim_impl.h"

void hone_adam_update(int isa, float *m, float *v, float *vmax, float *u, int64_t n, float beta1, float beta2,
                      float c1, float c2, float eps) {
#if defined(__x86_64__)
    if (isa >= HONE_ISA_AVX512) { adam_avx512(m, v, vmax, u, n, beta1, beta2, c1, c2, eps); return; }
    if (isa >= HONE_ISA_AVX2) { adam_avx2(m, v, vmax, u, n, beta1, beta2, c1, c2, eps); return; }
#endif
    adam_generic(m, v, vmax, u, n, beta1, beta2, c1, c2, eps);
}

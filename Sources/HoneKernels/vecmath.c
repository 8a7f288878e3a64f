// Vector math entry points: one implementation (vecmath_impl.h) instantiated per ISA.
#include "HoneKernels.h"

#if defined(__x86_64__)
#define VW 16
#define SFX _avx512
#define TGT __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma")))
#define VFMA(a, b, c) __builtin_elementwise_fma(a, b, c)
#include "vecmath_impl.h"
#undef VW
#undef SFX
#undef TGT
#undef VFMA

#define VW 8
#define SFX _avx2
#define TGT __attribute__((target("avx2,fma")))
#define VFMA(a, b, c) __builtin_elementwise_fma(a, b, c)
#include "vecmath_impl.h"
#undef VW
#undef SFX
#undef TGT
#undef VFMA
#endif

// Baseline: no FMA instruction is assumed, so multiply-add is two roundings (a libm fmaf
// call would be far slower).
#define VW 4
#define SFX _generic
#define TGT
#define VFMA(a, b, c) ((a) * (b) + (c))
#include "vecmath_impl.h"

#include "isa_dispatch.h"

void hone_vexp(int isa, const float *x, float *y, int64_t n) { DISPATCH(isa, map_exp, x, y, n); }
void hone_vlog(int isa, const float *x, float *y, int64_t n) { DISPATCH(isa, map_log, x, y, n); }
void hone_vtanh(int isa, const float *x, float *y, int64_t n) { DISPATCH(isa, map_tanh, x, y, n); }
void hone_vsigmoid(int isa, const float *x, float *y, int64_t n) { DISPATCH(isa, map_sigmoid, x, y, n); }
void hone_vgelu(int isa, const float *x, float *y, int64_t n) { DISPATCH(isa, map_gelu, x, y, n); }
void hone_softmax_rows(int isa, const float *x, float *y, int64_t rows, int64_t cols, int log_softmax) {
    DISPATCH(isa, softmax_rows, x, y, rows, cols, log_softmax);
}

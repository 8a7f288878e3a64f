#ifndef HONE_OPTIM_H
#define HONE_OPTIM_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One Adam step over n elements on ISA path `isa` (Kingma & Ba 2014; amsgrad when vmax is
/// non-NULL): with g = u[i], m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g·g, vmax ← (v > vmax ? v : vmax),
/// u[i] ← (m·c1) / (√d·c2 + eps) where d is v (or vmax) and c1 = 1/(1−β₁ᵗ), c2 = 1/√(1−β₂ᵗ).
/// Plain IEEE float operations in that order (no fused multiply-add) on every path.
void hone_adam_update(int isa, float *m, float *v, float *vmax, float *u, int64_t n, float beta1, float beta2,
                      float c1, float c2, float eps);

#ifdef __cplusplus
}
#endif
#endif

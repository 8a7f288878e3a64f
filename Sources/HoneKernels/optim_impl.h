// Optimizer update kernels, compiled per ISA by optim.c (through isa_instances.h).
// Floating-point contraction is off in optim.c, so every path performs exactly the same
// IEEE single-precision operations in the same order as the scalar definition (results are
// bitwise identical across paths and chunk boundaries).
#include "isa_vector.h"

// One Adam step on VW lanes (see include/HoneOptim.h); vmax: v > vmax ? v : vmax.
TGT static inline void FN(adam_lanes)(V *m, V *v, V *vmax, V *u, V b1, V a1, V b2, V a2, V c1, V c2, V eps, int ams) {
    V g = *u;
    V mi = b1 * *m + a1 * g, vi = b2 * *v + a2 * g * g;
    *m = mi; *v = vi;
    V d = vi;
    if (ams) {
        VI gt = vi > *vmax;
        d = (V)((gt & (VI)vi) | (~gt & (VI)*vmax));
        *vmax = d;
    }
    *u = (mi * c1) / (__builtin_elementwise_sqrt(d) * c2 + eps);
}

TGT static void FN(adam)(float *m, float *v, float *vmax, float *u, int64_t n, float b1s, float b2s,
                         float c1s, float c2s, float epss) {
    const V b1 = (V){} + b1s, a1 = (V){} + (1 - b1s), b2 = (V){} + b2s, a2 = (V){} + (1 - b2s);
    const V c1 = (V){} + c1s, c2 = (V){} + c2s, eps = (V){} + epss;
    const int ams = vmax != NULL;
    int64_t i = 0;
    for (; i + VW <= n; i += VW) {
        V vm, vv, vx = (V){}, vu;
        memcpy(&vm, m + i, sizeof vm);
        memcpy(&vv, v + i, sizeof vv);
        memcpy(&vu, u + i, sizeof vu);
        if (ams) memcpy(&vx, vmax + i, sizeof vx);
        FN(adam_lanes)(&vm, &vv, &vx, &vu, b1, a1, b2, a2, c1, c2, eps, ams);
        memcpy(m + i, &vm, sizeof vm);
        memcpy(v + i, &vv, sizeof vv);
        memcpy(u + i, &vu, sizeof vu);
        if (ams) memcpy(vmax + i, &vx, sizeof vx);
    }
    if (i < n) {   // tail through zero-padded lanes: the same operations as full vectors
        const size_t k = (size_t)(n - i) * 4;
        V vm = (V){}, vv = (V){}, vx = (V){}, vu = (V){};
        memcpy(&vm, m + i, k);
        memcpy(&vv, v + i, k);
        memcpy(&vu, u + i, k);
        if (ams) memcpy(&vx, vmax + i, k);
        FN(adam_lanes)(&vm, &vv, &vx, &vu, b1, a1, b2, a2, c1, c2, eps, ams);
        memcpy(m + i, &vm, k);
        memcpy(v + i, &vv, k);
        memcpy(u + i, &vu, k);
        if (ams) memcpy(vmax + i, &vx, k);
    }
}

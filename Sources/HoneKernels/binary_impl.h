// y = a ∘ b elementwise for ∘ in {+, −, ×, ÷}, compiled once per ISA (isa_instances.h). Each
// operand is either a vector (stride 1) or one broadcast scalar (stride 0). Every result is a
// single IEEE operation, so all paths give the same bits as a scalar loop.
// No include guard on purpose: the names carry the ISA suffix.
#include "isa_vector.h"

#define B_SPLAT(x) ((V){} + (float)(x))

#define B_LOOP(NAME, OPR)                                                                      \
TGT static void FN(NAME)(const float *a, int64_t sa, const float *b, int64_t sb, float *y, int64_t n) { \
    int64_t i = 0;                                                                             \
    if (sa && sb) {                                                                            \
        for (; i + 2 * VW <= n; i += 2 * VW) {                                                 \
            V a0, a1, b0, b1;                                                                  \
            memcpy(&a0, a + i, sizeof a0); memcpy(&a1, a + i + VW, sizeof a1);                 \
            memcpy(&b0, b + i, sizeof b0); memcpy(&b1, b + i + VW, sizeof b1);                 \
            a0 = a0 OPR b0; a1 = a1 OPR b1;                                                    \
            memcpy(y + i, &a0, sizeof a0); memcpy(y + i + VW, &a1, sizeof a1);                 \
        }                                                                                      \
    } else if (sa) {                                                                           \
        V s = B_SPLAT(b[0]);                                                                   \
        for (; i + 2 * VW <= n; i += 2 * VW) {                                                 \
            V a0, a1;                                                                          \
            memcpy(&a0, a + i, sizeof a0); memcpy(&a1, a + i + VW, sizeof a1);                 \
            a0 = a0 OPR s; a1 = a1 OPR s;                                                      \
            memcpy(y + i, &a0, sizeof a0); memcpy(y + i + VW, &a1, sizeof a1);                 \
        }                                                                                      \
    } else if (sb) {                                                                           \
        V s = B_SPLAT(a[0]);                                                                   \
        for (; i + 2 * VW <= n; i += 2 * VW) {                                                 \
            V b0, b1;                                                                          \
            memcpy(&b0, b + i, sizeof b0); memcpy(&b1, b + i + VW, sizeof b1);                 \
            b0 = s OPR b0; b1 = s OPR b1;                                                      \
            memcpy(y + i, &b0, sizeof b0); memcpy(y + i + VW, &b1, sizeof b1);                 \
        }                                                                                      \
    }                                                                                          \
    for (; i < n; i++) y[i] = a[i * sa] OPR b[i * sb];                                         \
}

B_LOOP(binary_add, +)
B_LOOP(binary_sub, -)
B_LOOP(binary_mul, *)
B_LOOP(binary_div, /)

TGT static void FN(binary)(int op, const float *a, int64_t sa, const float *b, int64_t sb, float *y, int64_t n) {
    switch (op) {
    case HONE_BINARY_SUB: FN(binary_sub)(a, sa, b, sb, y, n); break;
    case HONE_BINARY_MUL: FN(binary_mul)(a, sa, b, sb, y, n); break;
    case HONE_BINARY_DIV: FN(binary_div)(a, sa, b, sb, y, n); break;
    default: FN(binary_add)(a, sa, b, sb, y, n); break;
    }
}

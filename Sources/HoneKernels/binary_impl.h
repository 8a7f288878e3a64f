// y = a ∘ b elementwise for ∘ in {+, −, ×, ÷}, compiled once per ISA (isa_instances.h). Each
// operand is either a vector (stride 1) or one broadcast scalar (stride 0). Every result is a
// single IEEE operation, so all paths give the same bits as a scalar loop.
// No include guard on purpose: the names carry the ISA suffix.
#include "isa_vector.h"

// The operand vector at i: loaded (stride 1) or the splatted scalar c (stride 0).
TGT static inline V FN(b_operand)(const float *p, int64_t stride, V c, int64_t i) {
    V v = c;
    if (stride) memcpy(&v, p + i, sizeof v);
    return v;
}

// The vector part of y = a ∘ b, two vectors per step; returns how far it got. Called with
// constant strides, so each (1, 1), (1, 0), (0, 1) case compiles to its own branch-free loop.
#define B_LOOP(NAME, OPR)                                                                      \
TGT static inline __attribute__((always_inline)) int64_t FN(NAME##_vectors)(                   \
        const float *a, int64_t sa, const float *b, int64_t sb, float *y, int64_t n) {         \
    V ca = SPLAT(a[0]), cb = SPLAT(b[0]);                                                  \
    int64_t i = 0;                                                                             \
    for (; i + 2 * VW <= n; i += 2 * VW) {                                                     \
        V y0 = FN(b_operand)(a, sa, ca, i) OPR FN(b_operand)(b, sb, cb, i);                    \
        V y1 = FN(b_operand)(a, sa, ca, i + VW) OPR FN(b_operand)(b, sb, cb, i + VW);          \
        memcpy(y + i, &y0, sizeof y0);                                                         \
        memcpy(y + i + VW, &y1, sizeof y1);                                                    \
    }                                                                                          \
    return i;                                                                                  \
}                                                                                              \
TGT static void FN(NAME)(const float *a, int64_t sa, const float *b, int64_t sb, float *y, int64_t n) { \
    int64_t i = sa && sb ? FN(NAME##_vectors)(a, 1, b, 1, y, n)                                \
              : sa       ? FN(NAME##_vectors)(a, 1, b, 0, y, n)                                \
              : sb       ? FN(NAME##_vectors)(a, 0, b, 1, y, n) : 0;                           \
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

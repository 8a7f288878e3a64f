// Sum / max / min reductions of contiguous floats, compiled once per ISA (isa_instances.h).
// No include guard on purpose: the names carry the ISA suffix.
//
// Max and min propagate NaN as PyTorch does: a NaN element makes the result NaN.
#include "isa_vector.h"


TGT static inline V FN(red_sum)(V acc, V x) { return acc + x; }
TGT static inline V FN(red_max)(V acc, V x) { return FN(vsel)((x > acc) | (x != x), x, acc); }
TGT static inline V FN(red_min)(V acc, V x) { return FN(vsel)((x < acc) | (x != x), x, acc); }
static inline float FN(red_sum1)(float acc, float x) { return acc + x; }
static inline float FN(red_max1)(float acc, float x) { return x > acc || x != x ? x : acc; }
static inline float FN(red_min1)(float acc, float x) { return x < acc || x != x ? x : acc; }

// One reduction of x[0 ..< n]: eight accumulators of VW lanes over blocks of 8·VW floats (enough
// independent chains to keep two loads per cycle busy), the remaining whole vectors into the
// first, then ((a0 ∘ a1) ∘ (a2 ∘ a3)) ∘ ((a4 ∘ a5) ∘ (a6 ∘ a7)), its lanes in order, and the scalar
// tail. Fixed order for a given ISA.
#define R_ROW(OP, ID)                                                                          \
TGT static float FN(reduce_row_##OP)(const float *x, int64_t n) {                             \
    V a[8];                                                                                    \
    for (int k = 0; k < 8; k++) a[k] = SPLAT(ID);                                            \
    int64_t i = 0;                                                                             \
    for (; i + 8 * VW <= n; i += 8 * VW)                                                       \
        for (int k = 0; k < 8; k++) {                                                          \
            V v;                                                                               \
            memcpy(&v, x + i + k * VW, sizeof v);                                              \
            a[k] = FN(red_##OP)(a[k], v);                                                      \
        }                                                                                      \
    for (; i + VW <= n; i += VW) {                                                             \
        V v;                                                                                   \
        memcpy(&v, x + i, sizeof v);                                                           \
        a[0] = FN(red_##OP)(a[0], v);                                                          \
    }                                                                                          \
    V lo = FN(red_##OP)(FN(red_##OP)(a[0], a[1]), FN(red_##OP)(a[2], a[3]));                   \
    V hi = FN(red_##OP)(FN(red_##OP)(a[4], a[5]), FN(red_##OP)(a[6], a[7]));                   \
    V v = FN(red_##OP)(lo, hi);                                                                \
    float r = v[0];                                                                            \
    for (int k = 1; k < VW; k++) r = FN(red_##OP##1)(r, v[k]);                                 \
    for (; i < n; i++) r = FN(red_##OP##1)(r, x[i]);                                           \
    return r;                                                                                  \
}

// y[c] = x[0, c] ∘ x[1, c] ∘ … ∘ x[rows − 1, c] for c < cols (row r at x + r·ld), rows ≥ 1, in
// that order for every c (so the result does not depend on the ISA or on how columns are
// split). Four vectors of columns stay in registers while the rows stream past.
#define R_COLS(OP)                                                                             \
TGT static void FN(reduce_cols_##OP)(const float *x, float *y, int64_t rows, int64_t cols, int64_t ld) { \
    int64_t c = 0;                                                                             \
    for (; c + 4 * VW <= cols; c += 4 * VW) {                                                  \
        V a0, a1, a2, a3;                                                                      \
        memcpy(&a0, x + c, sizeof a0);                                                         \
        memcpy(&a1, x + c + VW, sizeof a1);                                                    \
        memcpy(&a2, x + c + 2 * VW, sizeof a2);                                                \
        memcpy(&a3, x + c + 3 * VW, sizeof a3);                                                \
        for (int64_t r = 1; r < rows; r++) {                                                   \
            const float *p = x + r * ld + c;                                                   \
            V v0, v1, v2, v3;                                                                  \
            memcpy(&v0, p, sizeof v0);                                                         \
            memcpy(&v1, p + VW, sizeof v1);                                                    \
            memcpy(&v2, p + 2 * VW, sizeof v2);                                                \
            memcpy(&v3, p + 3 * VW, sizeof v3);                                                \
            a0 = FN(red_##OP)(a0, v0); a1 = FN(red_##OP)(a1, v1);                              \
            a2 = FN(red_##OP)(a2, v2); a3 = FN(red_##OP)(a3, v3);                              \
        }                                                                                      \
        memcpy(y + c, &a0, sizeof a0);                                                         \
        memcpy(y + c + VW, &a1, sizeof a1);                                                    \
        memcpy(y + c + 2 * VW, &a2, sizeof a2);                                                \
        memcpy(y + c + 3 * VW, &a3, sizeof a3);                                                \
    }                                                                                          \
    for (; c + VW <= cols; c += VW) {                                                          \
        V a;                                                                                   \
        memcpy(&a, x + c, sizeof a);                                                           \
        for (int64_t r = 1; r < rows; r++) {                                                   \
            V v;                                                                               \
            memcpy(&v, x + r * ld + c, sizeof v);                                              \
            a = FN(red_##OP)(a, v);                                                            \
        }                                                                                      \
        memcpy(y + c, &a, sizeof a);                                                           \
    }                                                                                          \
    for (; c < cols; c++) {                                                                    \
        float a = x[c];                                                                        \
        for (int64_t r = 1; r < rows; r++) a = FN(red_##OP##1)(a, x[r * ld + c]);              \
        y[c] = a;                                                                              \
    }                                                                                          \
}

R_ROW(sum, 0.0f)
R_ROW(max, -INFINITY)
R_ROW(min, INFINITY)
R_COLS(sum)
R_COLS(max)
R_COLS(min)

TGT static float FN(reduce_row)(int op, const float *x, int64_t n) {
    return op == HONE_REDUCE_MAX ? FN(reduce_row_max)(x, n)
         : op == HONE_REDUCE_MIN ? FN(reduce_row_min)(x, n) : FN(reduce_row_sum)(x, n);
}

TGT static void FN(reduce_cols)(int op, const float *x, float *y, int64_t rows, int64_t cols, int64_t ld) {
    if (op == HONE_REDUCE_MAX) FN(reduce_cols_max)(x, y, rows, cols, ld);
    else if (op == HONE_REDUCE_MIN) FN(reduce_cols_min)(x, y, rows, cols, ld);
    else FN(reduce_cols_sum)(x, y, rows, cols, ld);
}

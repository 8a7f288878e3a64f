#ifndef HONE_REDUCE_H
#define HONE_REDUCE_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Which reduction: a sum, or a maximum / minimum that a NaN element turns into NaN.
enum hone_reduce_op { HONE_REDUCE_SUM = 0, HONE_REDUCE_MAX = 1, HONE_REDUCE_MIN = 2 };

/// x[0] ∘ … ∘ x[n − 1] on ISA path `isa` (a hone_isa value); the identity (0, −inf, +inf) when
/// n = 0. The association order is fixed for a given ISA (see reduce_impl.h).
float hone_reduce_row(int isa, int op, const float *x, int64_t n);

/// y[c] = x[0·ld + c] ∘ x[1·ld + c] ∘ … ∘ x[(rows − 1)·ld + c] for c < cols, rows ≥ 1, left to
/// right for every c on every ISA.
void hone_reduce_cols(int isa, int op, const float *x, float *y, int64_t rows, int64_t cols, int64_t ld);

#ifdef __cplusplus
}
#endif
#endif

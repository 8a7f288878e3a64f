#ifndef HONE_BINARY_H
#define HONE_BINARY_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The elementwise arithmetic operations of hone_binary.
enum hone_binary_op { HONE_BINARY_ADD = 0, HONE_BINARY_SUB = 1, HONE_BINARY_MUL = 2, HONE_BINARY_DIV = 3 };

/// y[i] = a[i·sa] ∘ b[i·sb] for i < n on ISA path `isa`, where a stride is 1 (a vector) or 0 (one
/// broadcast scalar). Each result is one IEEE operation: every path gives the same bits. y may
/// be a or b (in place), not a partial overlap.
void hone_binary(int isa, int op, const float *a, int64_t a_stride, const float *b, int64_t b_stride, float *y,
                 int64_t n);

#ifdef __cplusplus
}
#endif
#endif

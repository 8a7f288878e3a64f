#ifndef HONE_TRANSPOSE_H
#define HONE_TRANSPOSE_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// d[r·ld + c] = s[c·ls + r] for r < rows, c < cols: the transpose of a cols × rows matrix with
/// row stride ls into a rows × cols one with row stride ld (no overlap). Copies, so every path
/// gives the same bits.
void hone_transpose(int isa, const float *s, int64_t ls, float *d, int64_t ld, int64_t rows, int64_t cols);

#ifdef __cplusplus
}
#endif
#endif

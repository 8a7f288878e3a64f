// Portable SGEMM pieces: the generic micro-kernel (4 × 16, plain C the compiler vectorizes for
// the baseline target), the packing routines shared by every path, and per-thread scratch.
#include "HoneGemm.h"
#include "HoneMemory.h"
#include <stdlib.h>
#include <string.h>

#define GMR 4
#define GNR 16

void hone_sgemm_ukernel_generic(int64_t kc, const float *restrict a, const float *restrict b,
                                float *restrict c, int64_t ldc, float beta, int64_t mr, int64_t nr) {
    float acc[GMR][GNR];
    memset(acc, 0, sizeof acc);
    for (int64_t p = 0; p < kc; p++) {
        for (int i = 0; i < GMR; i++) {
            float x = a[p * GMR + i];
            for (int j = 0; j < GNR; j++) acc[i][j] += x * b[p * GNR + j];
        }
    }
    for (int64_t i = 0; i < mr; i++) {
        float *ci = c + i * ldc;
        if (beta == 0.0f) {
            for (int64_t j = 0; j < nr; j++) ci[j] = acc[i][j];
        } else {
            for (int64_t j = 0; j < nr; j++) ci[j] = beta * ci[j] + acc[i][j];
        }
    }
}

void hone_sgemm_pack_a(int64_t MR, int64_t rows, int64_t kc, const float *restrict a, int64_t rs,
                       int64_t cs, float alpha, float *restrict dst) {
    if (rs == 1) {   // A transposed in memory: each k step reads `rows` contiguous values.
        for (int64_t p = 0; p < kc; p++) {
            const float *src = a + p * cs;
            float *d = dst + p * MR;
            int64_t i = 0;
            for (; i < rows; i++) d[i] = alpha * src[i];
            for (; i < MR; i++) d[i] = 0;
        }
        return;
    }
    for (int64_t i = 0; i < rows; i++) {
        const float *src = a + i * rs;
        float *d = dst + i;
        if (cs == 1) {
            for (int64_t p = 0; p < kc; p++) d[p * MR] = alpha * src[p];
        } else {
            for (int64_t p = 0; p < kc; p++) d[p * MR] = alpha * src[p * cs];
        }
    }
    for (int64_t i = rows; i < MR; i++)
        for (int64_t p = 0; p < kc; p++) dst[p * MR + i] = 0;
}

void hone_sgemm_pack_b(int64_t NR, int64_t kc, int64_t cols, const float *restrict b, int64_t rs,
                       int64_t cs, float *restrict dst) {
    for (int64_t j0 = 0; j0 < cols; j0 += NR) {
        int64_t w = cols - j0 < NR ? cols - j0 : NR;
        float *panel = dst + j0 * kc;
        if (cs == 1) {
            for (int64_t p = 0; p < kc; p++) {
                const float *src = b + p * rs + j0;
                float *d = panel + p * NR;
                int64_t j = 0;
                for (; j < w; j++) d[j] = src[j];
                for (; j < NR; j++) d[j] = 0;
            }
        } else {
            for (int64_t j = 0; j < w; j++) {
                const float *src = b + (j0 + j) * cs;
                for (int64_t p = 0; p < kc; p++) panel[p * NR + j] = src[p * rs];
            }
            for (int64_t j = w; j < NR; j++)
                for (int64_t p = 0; p < kc; p++) panel[p * NR + j] = 0;
        }
    }
}

static _Thread_local float *scratch_ptr[8];
static _Thread_local int64_t scratch_size[8];

float *hone_scratch(int slot, int64_t bytes) {
    if (slot < 0 || slot >= 8) return NULL;
    if (scratch_size[slot] < bytes) {
        hone_free(scratch_ptr[slot]);
        // From 512 KiB up (packed A and B blocks of large products), take whole 2 MiB huge
        // pages: at n = 1024–2048 huge-page scratch measured +1–1.6 %.
        int64_t size = bytes >= ((int64_t)512 << 10) ? (bytes + HONE_HUGE_PAGE_BYTES - 1) & ~(HONE_HUGE_PAGE_BYTES - 1)
                                                   : (bytes + 4095) & ~(int64_t)4095;
        scratch_ptr[slot] = hone_alloc(size);
        scratch_size[slot] = scratch_ptr[slot] ? size : 0;
    }
    return scratch_ptr[slot];
}

void hone_prefetch_l2(const void *p, int64_t bytes) {
    const char *q = (const char *)p;
    for (int64_t o = 0; o < bytes; o += 64) __builtin_prefetch(q + o, 0, 2);
}

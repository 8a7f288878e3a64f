#ifndef HONE_GEMM_H
#define HONE_GEMM_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// SGEMM micro-kernel: C[0..<mr, 0..<nr] = beta·C + Â·B̂ over one packed A micro-panel
/// (kc × MR, `a[p*MR + i]`) and one packed B micro-panel (kc × NR, `b[p*NR + j]`).
/// `mr ≤ MR`, `nr ≤ NR` clip the edges; beta == 0 never reads C. Row-major C with stride ldc.
typedef void (*hone_sgemm_pack_a_fn)(int64_t MR, int64_t rows, int64_t kc, const float *a,
                                     int64_t rs, int64_t cs, float alpha, float *dst);
typedef void (*hone_sgemm_pack_b_fn)(int64_t NR, int64_t kc, int64_t cols, const float *b,
                                     int64_t rs, int64_t cs, float *dst);
typedef void (*hone_sgemm_ukernel_fn)(int64_t kc, const float *a, const float *b, float *c,
                                      int64_t ldc, float beta, int64_t mr, int64_t nr);
/// A micro-kernel reading A in place (row i at `a + i*lda`, k contiguous) instead of packed.
typedef void (*hone_sgemm_ukernel_rows_fn)(int64_t kc, const float *a, int64_t lda, const float *b,
                                           float *c, int64_t ldc, float beta, int64_t mr, int64_t nr);
/// The same, with B read from its rows in place (row p at `b + p*ldb`) and its packed panel
/// written to `bp` as it goes.
typedef void (*hone_sgemm_ukernel_rows_packb_fn)(int64_t kc, const float *a, int64_t lda, const float *b, int64_t ldb,
                                                 float *bp, float *c, int64_t ldc, float beta, int64_t mr, int64_t nr);

/// AVX-512 (F + FMA), MR = 12, NR = 32: 24 zmm accumulators.
void hone_sgemm_ukernel_avx512(int64_t kc, const float *a, const float *b, float *c,
                               int64_t ldc, float beta, int64_t mr, int64_t nr);
/// AVX2 + FMA, MR = 6, NR = 16: 12 ymm accumulators.
void hone_sgemm_ukernel_avx2(int64_t kc, const float *a, const float *b, float *c,
                             int64_t ldc, float beta, int64_t mr, int64_t nr);
/// AVX-512 12 × 32 tile with A unpacked: row i of A at a + i·lda, k contiguous. All 12 rows
/// of A are read (they must be readable); only rows < mr and columns < nr of C are written.
void hone_sgemm_ukernel_arows_avx512(int64_t kc, const float *a, int64_t lda, const float *b, float *c,
                                     int64_t ldc, float beta, int64_t mr, int64_t nr);
/// `hone_sgemm_ukernel_arows_avx512` with B read from its rows in place (row p at b + p·ldb,
/// columns < nr read) that also writes the packed B panel it reads (kc × 32 at `bp`, zeros
/// past nr): same FMAs, so the same C.
void hone_sgemm_ukernel_arows_packb_avx512(int64_t kc, const float *a, int64_t lda, const float *b, int64_t ldb,
                                           float *bp, float *c, int64_t ldc, float beta, int64_t mr, int64_t nr);
/// Portable C (auto-vectorized for the baseline target), MR = 4, NR = 16.
void hone_sgemm_ukernel_generic(int64_t kc, const float *a, const float *b, float *c,
                                int64_t ldc, float beta, int64_t mr, int64_t nr);

/// Packs `rows ≤ MR` rows of A (element (i,p) at `a[i*rs + p*cs]`), scaled by alpha, into
/// `dst[p*MR + i]` for p in 0..<kc, zero-filling rows rows..<MR.
void hone_sgemm_pack_a(int64_t MR, int64_t rows, int64_t kc, const float *a, int64_t rs,
                       int64_t cs, float alpha, float *dst);
/// Packs a kc × cols block of B (element (p,j) at `b[p*rs + j*cs]`) into NR-wide panels:
/// panel q holds `dst[(q*kc + p)*NR + j]`, columns past `cols` zero-filled.
void hone_sgemm_pack_b(int64_t NR, int64_t kc, int64_t cols, const float *b, int64_t rs,
                       int64_t cs, float *dst);

/// AVX-512 versions of the packing routines (same contracts): strided-to-contiguous cases
/// are transposed 4×16 at a time in registers.
void hone_sgemm_pack_a_avx512(int64_t MR, int64_t rows, int64_t kc, const float *a, int64_t rs,
                              int64_t cs, float alpha, float *dst);
void hone_sgemm_pack_b_avx512(int64_t NR, int64_t kc, int64_t cols, const float *b, int64_t rs,
                              int64_t cs, float *dst);

/// Prefetches `bytes` bytes from `p` towards the core's L2 (`prefetcht1` on x86-64), one
/// request per 64-byte line; a hint only (never faults). The SGEMM driver spreads the next
/// packed A micro-panel over the current panel's micro-kernel calls with it.
void hone_prefetch_l2(const void *p, int64_t bytes);

/// Thread-local 64-byte-aligned scratch buffer `slot` (0..<8) of at least `bytes` bytes;
/// kept and reused by the calling thread (grown when too small).
float *hone_scratch(int slot, int64_t bytes);

/// Register-only FMA throughput loop: `iters` iterations of independent FMAs on the best ISA
/// path; returns the floating-point operations performed (2 per lane per FMA).
double hone_fma_peak_loop(int64_t iters, int isa);

#ifdef __cplusplus
}
#endif
#endif

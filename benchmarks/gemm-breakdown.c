// Where SGEMM time goes on the AVX-512 path: the 12 × 32 micro-kernel measured in four settings,
// each as a fraction of the FMA register-loop peak measured in alternation with it.
//   kernel  one A micro-panel, one B panel, one C tile: everything in L1
//   l2      one A micro-panel against a kc × 512 packed B block (B streams from L2)
//   block   every A micro-panel of an n-row A against one B block, the next panel prefetched
//           into L2 meanwhile; C (n × 512, row stride n) updated in memory, as in one k slice
//           of the full product
//   full    the whole single-thread product C = A·B (n × n), same loop order, blocking and
//           packing as GEMMDriver.block (A packed), operands from hone_alloc (huge pages)
//   inplace the same product as GEMMDriver.blockInPlaceA runs it (A read in place, every k block
//           of a 12-row panel back to back, B packed by the first panel's kernel calls); the
//           library takes this path when a thread's A is at most 1 MiB (n ≤ 512 on one thread)
// Build and run from the repository root (x86-64 with AVX-512):
//   clang -O2 -ISources/HoneKernels/include -o /tmp/gemm-breakdown benchmarks/gemm-breakdown.c \
//     Sources/HoneKernels/{gemm_avx512,gemm_generic,memory,fma_peak,cpu}.c
//   /tmp/gemm-breakdown 1024
// An OpenBLAS shared library as third argument (e.g. NumPy's bundled
// numpy.libs/libscipy_openblas64_-*.so) adds two rows measured in the same alternation: that
// library's whole single-thread product ("openblas", through its cblas_sgemm) and the AVX2
// register-loop peak ("avx2_peak", as a fraction of the AVX-512 peak), so "2× NumPy" can be set
// against the kernel's own ceiling in one run.
// Timing: best of `reps` alternating repetitions (wall clock; 8 calls per repetition except
// `full`); a drifting host clock shows up in
// the peak measured alongside, so compare the efficiencies, not the GFLOP/s.
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "HoneGemm.h"
#include "HoneKernels.h"
#include "HoneMemory.h"

#define MR 12
#define NR 32
#define KC 342
#define NC 512

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static float *buffer(size_t n, unsigned seed) {
    float *p = hone_alloc((int64_t)(n * sizeof(float)));
    for (size_t i = 0; i < n; i++) p[i] = (float)(((i + seed) * 2654435761u) % 1000) / 1000.0f - 0.5f;
    return p;
}

static double peak_gflops(void) {
    double t = now(), f = hone_fma_peak_loop(1000000, HONE_ISA_AVX512);
    return f / (now() - t) * 1e-9;
}

static int n;
static float *A, *B, *C, *pa, *pb, *a1, *b1, *c1;

static void kernel_only(void) {
    for (int i = 0; i < 2000; i++) hone_sgemm_ukernel_avx512(KC, a1, b1, c1, NR, 1.0f, MR, NR);
}
static double kernel_flops(void) { return 2.0 * MR * NR * KC * 2000; }

static void l2(void) {
    for (int i = 0; i < 125; i++)
        for (int jr = 0; jr < NC; jr += NR) hone_sgemm_ukernel_avx512(KC, a1, pb + jr * KC, c1 + jr, NC, 1.0f, MR, NR);
}
static double l2_flops(void) { return 2.0 * MR * NC * KC * 125; }

// While micro-panel `ir` sweeps the B block, prefetch slice `call` of the next one into L2
// (as GEMMDriver.block does once A is packed).
static void prefetch_next_panel(const float *next, int kc, int call, int calls) {
    int64_t bytes = (int64_t)MR * kc * 4, slice = ((bytes + 63) / 64 + calls - 1) / calls * 64;
    if (call * slice < bytes) hone_prefetch_l2((const char *)next + call * slice, bytes - call * slice < slice ? bytes - call * slice : slice);
}

static void block(void) {
    for (int ir = 0; ir + MR <= n; ir += MR)
        for (int jr = 0; jr < NC; jr += NR) {
            if (ir + 2 * MR <= n) prefetch_next_panel(pa + (size_t)(ir + MR) * KC, KC, jr / NR, NC / NR);
            hone_sgemm_ukernel_avx512(KC, pa + (size_t)ir * KC, pb + jr * KC, C + (size_t)ir * n + jr, n, 1.0f, MR, NR);
        }
}
static double block_flops(void) { return 2.0 * (n / MR * MR) * NC * KC; }

// k blocks of at most 512; B blocks of 128 K floats (kc × nc, nc ≤ 512) on the packed-A path.
static int k_blocks(void) { return (n + 511) / 512; }

static void full(void) {
    int kb_count = k_blocks(), kc_max = (n + kb_count - 1) / kb_count;
    int nc_max = 128 * 1024 / kc_max / NR * NR;
    if (nc_max > 512) nc_max = 512;
    for (int kb = 0; kb < kb_count; kb++) {
        int p0 = kb * n / kb_count, kc = (kb + 1) * n / kb_count - p0;
        float beta = kb == 0 ? 0.0f : 1.0f;
        for (int jc = 0; jc < n; jc += nc_max) {
            int nc = n - jc < nc_max ? n - jc : nc_max;
            hone_sgemm_pack_b_avx512(NR, kc, nc, B + (size_t)p0 * n + jc, n, 1, pb);
            for (int ir = 0; ir < n; ir += MR) {
                int mr = n - ir < MR ? n - ir : MR;
                float *ap = pa + (size_t)ir * kc;
                if (jc == 0) hone_sgemm_pack_a_avx512(MR, mr, kc, A + (size_t)ir * n + p0, n, 1, 1.0f, ap);
                for (int jr = 0; jr < nc; jr += NR) {
                    if (jc > 0 && ir + MR < n) prefetch_next_panel(ap + (size_t)MR * kc, kc, jr / NR, (nc + NR - 1) / NR);
                    hone_sgemm_ukernel_avx512(kc, ap, pb + (size_t)jr * kc, C + (size_t)ir * n + jc + jr, n, beta, mr,
                                              nc - jr < NR ? nc - jr : NR);
                }
            }
        }
    }
}

static void inplace(void) {
    int kb_count = k_blocks(), nc_max = 128 * 1024 / n / NR * NR;
    if (nc_max < NR) nc_max = NR;
    for (int jc = 0; jc < n; jc += nc_max) {
        int nc = n - jc < nc_max ? n - jc : nc_max, nc_padded = (nc + NR - 1) / NR * NR;
        for (int ir = 0; ir < n; ir += MR) {
            int mr = n - ir < MR ? n - ir : MR;
            for (int kb = 0; kb < kb_count; kb++) {
                int p0 = kb * n / kb_count, kc = (kb + 1) * n / kb_count - p0;
                float beta = kb == 0 ? 0.0f : 1.0f, *b_block = pb + (size_t)p0 * nc_padded;
                float *edge = pa + (size_t)p0 * MR;
                if (mr < MR && jc == 0) hone_sgemm_pack_a_avx512(MR, mr, kc, A + (size_t)ir * n + p0, n, 1, 1.0f, edge);
                for (int jr = 0; jr < nc; jr += NR) {
                    int w = nc - jr < NR ? nc - jr : NR;
                    float *c = C + (size_t)ir * n + jc + jr;
                    if (mr < MR)
                        hone_sgemm_ukernel_avx512(kc, edge, b_block + (size_t)jr * kc, c, n, beta, mr, w);
                    else if (ir == 0)
                        hone_sgemm_ukernel_arows_packb_avx512(kc, A + p0, n, B + (size_t)p0 * n + jc + jr, n,
                                                              b_block + (size_t)jr * kc, c, n, beta, mr, w);
                    else
                        hone_sgemm_ukernel_arows_avx512(kc, A + (size_t)ir * n + p0, n, b_block + (size_t)jr * kc, c, n,
                                                        beta, mr, w);
                }
            }
        }
    }
}
static double full_flops(void) { return 2.0 * n * n * (double)n; }

// OpenBLAS's cblas_sgemm, row-major, no transposes (ILP64 builds take 64-bit integers).
typedef void (*cblas_sgemm64_fn)(int, int, int, int64_t, int64_t, int64_t, float, const float *, int64_t,
                                 const float *, int64_t, float, float *, int64_t);
typedef void (*cblas_sgemm32_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int,
                                 float, float *, int);
static cblas_sgemm64_fn sgemm64;
static cblas_sgemm32_fn sgemm32;
static void openblas(void) {
    if (sgemm64) sgemm64(101, 111, 111, n, n, n, 1.0f, A, n, B, n, 0.0f, C, n);
    else sgemm32(101, 111, 111, n, n, n, 1.0f, A, n, B, n, 0.0f, C, n);
}

static int load_openblas(const char *path) {
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "cannot open %s: %s\n", path, dlerror()); return 0; }
    const char *names64[] = {"scipy_cblas_sgemm64_", "cblas_sgemm64_"};
    for (int i = 0; i < 2 && !sgemm64; i++) sgemm64 = (cblas_sgemm64_fn)dlsym(lib, names64[i]);
    if (!sgemm64) sgemm32 = (cblas_sgemm32_fn)dlsym(lib, "cblas_sgemm");
    const char *threads[] = {"scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_", "openblas_set_num_threads"};
    for (int i = 0; i < 3; i++) {
        void (*set)(int) = (void (*)(int))dlsym(lib, threads[i]);
        if (set) { set(1); break; }
    }
    const char *cores[] = {"scipy_openblas_get_corename64_", "openblas_get_corename64_", "openblas_get_corename"};
    for (int i = 0; i < 3; i++) {
        char *(*core)(void) = (char *(*)(void))dlsym(lib, cores[i]);
        if (core) { printf("# %s: OpenBLAS core %s\n", path, core()); break; }
    }
    if (!sgemm64 && !sgemm32) { fprintf(stderr, "%s has no cblas_sgemm\n", path); return 0; }
    return 1;
}

static double avx2_peak_gflops(void) {
    double t = now(), f = hone_fma_peak_loop(1000000, HONE_ISA_AVX2);
    return f / (now() - t) * 1e-9;
}

int main(int argc, char **argv) {
    n = argc > 1 ? atoi(argv[1]) : 1024;
    int reps = argc > 2 ? atoi(argv[2]) : 15;
    if (hone_detect_isa() < HONE_ISA_AVX512 || n < NC || n % 4) {
        fprintf(stderr, "needs AVX-512 and n ≥ %d, a multiple of 4\n", NC);
        return 2;
    }
    A = buffer((size_t)n * n, 1); B = buffer((size_t)n * n, 2); C = buffer((size_t)n * n, 3);
    pa = buffer((size_t)(n + MR) * 512, 4); pb = buffer((size_t)512 * NC, 5);
    a1 = buffer(KC * MR, 6); b1 = buffer(KC * NR, 7); c1 = buffer(MR * NC, 8);
    hone_sgemm_pack_b_avx512(NR, KC, NC, B, n, 1, pb);
    for (int ir = 0; ir + MR <= n; ir += MR) hone_sgemm_pack_a_avx512(MR, MR, KC, A + (size_t)ir * n, n, 1, 1.0f, pa + (size_t)ir * KC);
    struct { const char *name; void (*run)(void); double (*flops)(void); } modes[] = {
        {"kernel", kernel_only, kernel_flops}, {"l2", l2, l2_flops}, {"block", block, block_flops}, {"full", full, full_flops},
        {"inplace", inplace, full_flops}, {"openblas", openblas, full_flops}};
    int mode_count = argc > 3 && load_openblas(argv[3]) ? 6 : 5;
    double best[6] = {0, 0, 0, 0, 0, 0}, peak = 0, avx2_peak = 0;
    for (int r = 0; r < reps; r++) {
        if (mode_count == 6) {
            double p = avx2_peak_gflops();
            if (p > avx2_peak) avx2_peak = p;
        }
        for (int m = 0; m < mode_count; m++) {
            double p = peak_gflops();
            if (p > peak) peak = p;
            modes[m].run();   // warm
            int iters = m >= 3 ? 1 : 8;
            double t = now();
            for (int i = 0; i < iters; i++) modes[m].run();
            double g = iters * modes[m].flops() / (now() - t) * 1e-9;
            if (g > best[m]) best[m] = g;
        }
    }
    for (int m = 0; m < mode_count; m++)
        printf("{\"bench\": \"gemm_breakdown\", \"mode\": \"%s\", \"n\": %d, \"gflops\": %.1f, \"fma_peak\": %.1f, \"efficiency\": %.3f}\n",
               modes[m].name, n, best[m], peak, best[m] / peak);
    if (mode_count == 6)
        printf("{\"bench\": \"gemm_breakdown\", \"mode\": \"avx2_peak\", \"n\": %d, \"gflops\": %.1f, \"fma_peak\": %.1f, \"efficiency\": %.3f}\n",
               n, avx2_peak, peak, avx2_peak / peak);
    return 0;
}

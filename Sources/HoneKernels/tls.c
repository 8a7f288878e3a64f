#include "HoneKernels.h"

// Per-thread nesting depth of Compute.parallelFor: a body that itself calls parallelFor runs
// its inner loop serially on the calling thread instead of deadlocking or oversubscribing.
static _Thread_local int hone_parallel_depth = 0;

int hone_parallel_depth_get(void) { return hone_parallel_depth; }
void hone_parallel_depth_set(int depth) { hone_parallel_depth = depth; }

void hone_cpu_relax(void) {
#if defined(__x86_64__) || defined(_M_X64)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

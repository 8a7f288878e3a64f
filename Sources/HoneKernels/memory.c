// Large-buffer allocation with transparent huge pages (see HoneMemory.h).
#include "HoneMemory.h"
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

void *hone_alloc(int64_t bytes) {
    if (bytes < 1) bytes = 1;
    void *p = NULL;
    if (bytes < HONE_HUGE_PAGE_BYTES) {
        size_t size = ((size_t)bytes + 63) & ~(size_t)63;
        return posix_memalign(&p, 64, size) == 0 ? p : NULL;
    }
    // 2 MiB aligned so that every whole 2 MiB stretch of the buffer can be one huge page; the
    // length is only rounded to 4 KiB (a 2.1 MiB tensor does not become 4 MiB resident).
    size_t size = ((size_t)bytes + 4095) & ~(size_t)4095;
    if (posix_memalign(&p, (size_t)HONE_HUGE_PAGE_BYTES, size) != 0) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    (void)madvise(p, size, MADV_HUGEPAGE);   // a hint: failure leaves ordinary pages
#endif
    return p;
}

void hone_free(void *p) { free(p); }

// Large-buffer allocation with transparent huge pages (see HoneMemory.h).
#include "HoneMemory.h"
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

void *hone_alloc(int64_t bytes) {
    if (bytes < 1) bytes = 1;
    if (bytes < HONE_HUGE_PAGE_BYTES) {
        size_t size = ((size_t)bytes + 63) & ~(size_t)63;   // aligned_alloc wants a multiple
        return aligned_alloc(64, size);
    }
    size_t size = ((size_t)bytes + (size_t)HONE_HUGE_PAGE_BYTES - 1) & ~((size_t)HONE_HUGE_PAGE_BYTES - 1);
    void *p = aligned_alloc((size_t)HONE_HUGE_PAGE_BYTES, size);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p) (void)madvise(p, size, MADV_HUGEPAGE);   // a hint: failure leaves ordinary pages
#endif
    return p;
}

void hone_free(void *p) { free(p); }

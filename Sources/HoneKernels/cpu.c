#include "HoneKernels.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#include <stdint.h>

static uint64_t xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

hone_isa hone_detect_isa(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return HONE_ISA_GENERIC;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
    if (!osxsave || !avx) return HONE_ISA_GENERIC;
    uint64_t xcr0 = xgetbv0();
    if ((xcr0 & 0x6) != 0x6) return HONE_ISA_GENERIC;           // XMM and YMM state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return HONE_ISA_GENERIC;
    int avx2 = (b >> 5) & 1;
    int avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1, avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    if (avx512f && avx512dq && avx512bw && avx512vl && (xcr0 & 0xE6) == 0xE6) return HONE_ISA_AVX512;
    if (avx2 && fma) return HONE_ISA_AVX2;
    return HONE_ISA_GENERIC;
}

int hone_has_avx512_vnni(void) {
    unsigned a, b, c, d;
    if (hone_detect_isa() != HONE_ISA_AVX512) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (c >> 11) & 1;
}
#else
hone_isa hone_detect_isa(void) { return HONE_ISA_GENERIC; }
int hone_has_avx512_vnni(void) { return 0; }
#endif

#if defined(__x86_64__) || defined(_M_X64)
int hone_has_avx_vnni(void) {
    unsigned a, b, c, d;
    if (hone_detect_isa() < HONE_ISA_AVX2) return 0;
    if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return 0;
    return (a >> 4) & 1;   // CPUID.(EAX=7, ECX=1):EAX[4] = AVX-VNNI
}
#else
int hone_has_avx_vnni(void) { return 0; }
#endif

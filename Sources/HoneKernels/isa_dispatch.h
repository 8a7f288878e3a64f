// Run-time choice among a kernel's per-ISA instantiations (`name_avx512`, `name_avx2`,
// `name_generic`), shared by the C files that instantiate one implementation header per ISA.
#ifndef HONE_ISA_DISPATCH_H
#define HONE_ISA_DISPATCH_H

#if defined(__x86_64__)
#define DISPATCH(isa, name, ...)                                              \
    do {                                                                      \
        if ((isa) >= HONE_ISA_AVX512) name##_avx512(__VA_ARGS__);             \
        else if ((isa) >= HONE_ISA_AVX2) name##_avx2(__VA_ARGS__);            \
        else name##_generic(__VA_ARGS__);                                     \
    } while (0)
#else
#define DISPATCH(isa, name, ...) name##_generic(__VA_ARGS__)
#endif

#endif

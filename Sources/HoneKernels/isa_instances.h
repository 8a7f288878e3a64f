// Compiles the implementation header named by HONE_ISA_IMPL once per ISA, with VW (lanes),
// SFX (name suffix), TGT (function target attribute) and VFMA(a, b, c) = a·b + c defined for
// it: AVX-512 (16 lanes) and AVX2 + FMA (8 lanes) on x86-64, then the baseline (4 lanes), where
// no FMA instruction is assumed so multiply-add is two roundings (a libm fmaf call would be far
// slower). The includer then picks an instance at run time with DISPATCH (isa_dispatch.h).
//
//     #define HONE_ISA_IMPL "vecmath_impl.h"
//     #include "isa_instances.h"
#if defined(__x86_64__)
#define VW 16
#define SFX _avx512
#define TGT __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma")))
#define VFMA(a, b, c) __builtin_elementwise_fma(a, b, c)
#include "isa_instance.h"

#define VW 8
#define SFX _avx2
#define TGT __attribute__((target("avx2,fma")))
#define VFMA(a, b, c) __builtin_elementwise_fma(a, b, c)
#include "isa_instance.h"
#endif

#define VW 4
#define SFX _generic
#define TGT
#define VFMA(a, b, c) ((a) * (b) + (c))
#include "isa_instance.h"

// The SIMD vector types and per-ISA naming shared by the kernel implementation headers that
// are compiled once per ISA (vecmath_core.h, optim_impl.h): V is VW floats, VI VW int32 lanes
// (clang vector extensions, unaligned), FN(name) appends the ISA suffix SFX. The includer
// (see isa_instances.h) defines VW, SFX and TGT, and #undefs V, VI and FN after each ISA.
// No include guard on purpose: the typedefs differ per ISA.
#include <stdint.h>
#include <string.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define V CAT(vf, SFX)
#define VI CAT(vi, SFX)
#define FN(name) CAT(name, SFX)

typedef float V __attribute__((vector_size(VW * 4), aligned(4)));
typedef int32_t VI __attribute__((vector_size(VW * 4), aligned(4)));

// Splats, bit casts and a lane select (m lanes all-ones: a, else b), per ISA.
#define SPLAT(x) ((V){} + (float)(x))
#define SPLATI(x) ((VI){} + (int32_t)(x))
#define ASI(v) ((VI)(v))
#define ASF(v) ((V)(v))
TGT static inline V FN(vsel)(VI m, V a, V b) { return ASF((m & ASI(a)) | (~m & ASI(b))); }

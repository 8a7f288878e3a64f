// The SIMD vector types and per-ISA naming shared by the kernel implementation headers that
// are compiled once per ISA (vecmath_core.h, optim_impl.h): V is VW floats, VI VW int32 lanes
// (clang vector extensions, unaligned), FN(name) appends the ISA suffix SFX. The includer
// (see isa_instances.h) defines VW and SFX, and #undefs V, VI and FN after each ISA.
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

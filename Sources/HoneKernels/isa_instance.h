// One instance for isa_instances.h: compiles HONE_ISA_IMPL with the VW, SFX, TGT and VFMA the
// includer defined, then #undefs them and the names isa_vector.h derives from them, ready for
// the next ISA. No include guard on purpose.
#include HONE_ISA_IMPL
#undef VW
#undef SFX
#undef TGT
#undef VFMA
#undef V
#undef VI
#undef FN

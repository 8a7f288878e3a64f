#ifndef HONE_KERNELS_H
#define HONE_KERNELS_H

#include "HoneGemm.h"
#include "HoneConv.h"
#include "HoneVecMath.h"
#include "HoneSpmm.h"
#include "HoneQGemm.h"
#include "HoneRecurrent.h"
#include "HoneOptim.h"
#include "HoneMemory.h"
#include "HoneReduce.h"
#include "HoneBinary.h"
#include "HoneTranspose.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set levels the kernels are compiled for, best last.
typedef enum {
    HONE_ISA_GENERIC = 0,
    HONE_ISA_AVX2 = 1,     // AVX2 + FMA
    HONE_ISA_AVX512 = 2,   // AVX-512 F/BW/DQ/VL
} hone_isa;

/// Best instruction set this CPU (and OS, via XGETBV) supports.
hone_isa hone_detect_isa(void);

/// 1 when the CPU has AVX-512 VNNI (vpdpbusd on zmm), else 0.
int hone_has_avx512_vnni(void);

/// Nesting depth of parallel regions on the calling thread (thread-local; 0 outside any).
int hone_parallel_depth_get(void);
void hone_parallel_depth_set(int depth);

/// Spin-wait hint (x86 `pause`, arm64 `yield`).
void hone_cpu_relax(void);

#ifdef __cplusplus
}
#endif
#endif

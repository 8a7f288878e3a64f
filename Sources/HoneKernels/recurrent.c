// LSTM/GRU cell entry points: one implementation (recurrent_impl.h) instantiated per ISA.
#include "HoneKernels.h"

#if defined(__x86_64__)
#define VW 16
#define SFX _avx512
#define TGT __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma")))
#define VFMA(a, b, c) __builtin_elementwise_fma(a, b, c)
#include "recurrent_impl.h"
#undef VW
#undef SFX
#undef TGT
#undef VFMA
#undef V
#undef VI
#undef FN

#define VW 8
#define SFX _avx2
#define TGT __attribute__((target("avx2,fma")))
#define VFMA(a, b, c) __builtin_elementwise_fma(a, b, c)
#include "recurrent_impl.h"
#undef VW
#undef SFX
#undef TGT
#undef VFMA
#undef V
#undef VI
#undef FN
#endif

// Baseline: multiply-add unfused (no FMA instruction assumed; libm fmaf would be far slower).
#define VW 4
#define SFX _generic
#define TGT
#define VFMA(a, b, c) ((a) * (b) + (c))
#include "recurrent_impl.h"

#include "isa_dispatch.h"

void hone_lstm_forward(int isa, int64_t rows, int64_t hidden, const float *xg, int64_t ldx, const float *hg,
                       float *acts, const float *c_prev, float *c_out, float *h_out) {
    DISPATCH(isa, lstm_forward, rows, hidden, xg, ldx, hg, acts, c_prev, c_out, h_out);
}

void hone_lstm_backward(int isa, int64_t rows, int64_t hidden, const float *acts, const float *c, const float *c_prev,
                        const float *dh_out, const float *dh_rec, float *dc, float *dgates) {
    DISPATCH(isa, lstm_backward, rows, hidden, acts, c, c_prev, dh_out, dh_rec, dc, dgates);
}

void hone_gru_forward(int isa, int64_t rows, int64_t hidden, const float *xg, int64_t ldx, const float *u,
                      const float *bias, const float *h_prev, float *acts, float *un_out, float *h_out) {
    DISPATCH(isa, gru_forward, rows, hidden, xg, ldx, u, bias, h_prev, acts, un_out, h_out);
}

void hone_gru_backward(int isa, int64_t rows, int64_t hidden, const float *acts, const float *un, const float *h_prev,
                       const float *dh_out, float *dh, float *dx, float *du) {
    DISPATCH(isa, gru_backward, rows, hidden, acts, un, h_prev, dh_out, dh, dx, du);
}

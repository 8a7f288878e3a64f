// LSTM/GRU cell entry points: one implementation (recurrent_impl.h) instantiated per ISA.
#include "HoneKernels.h"

#define HONE_ISA_IMPL "recurrent_impl.h"
#include "isa_instances.h"
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

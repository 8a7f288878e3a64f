#ifndef HONE_RECURRENT_H
#define HONE_RECURRENT_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Fused recurrent-cell math for `rows` batch rows of hidden size H on ISA path `isa`, after the
/// caller's GEMMs. Row-major; gate blocks side by side in a row (LSTM i|f|g|o: 4H, GRU r|z|n: 3H);
/// state rows are H wide and contiguous. A NULL previous state means zeros (first timestep).

/// LSTM step (PyTorch nn.LSTM): a = xg + hg (hg NULL: a = xg); i, f, o = σ(a), g = tanh(a);
/// c = f⊙c_prev + i⊙g; h = o⊙tanh(c). `xg` rows have stride ldx (≥ 4H, or 0: one 4H row, e.g. a bias, for all); writes the
/// activations i|f|g|o to `acts` (stride 4H; may be the same buffer as hg), c and h.
void hone_lstm_forward(int isa, int64_t rows, int64_t hidden, const float *xg, int64_t ldx, const float *hg,
                       float *acts, const float *c_prev, float *c_out, float *h_out);

/// LSTM step backward: with dh = dh_out + dh_rec (dh_rec NULL: 0) and tc = tanh(c):
/// dc ← dc + dh⊙o⊙(1 − tc²) (the cell-state gradient including the step's output path), then
/// dgates = [dc⊙g⊙i(1−i), dc⊙c_prev⊙f(1−f), dc⊙i⊙(1−g²), dh⊙tc⊙o(1−o)] (pre-activation
/// gradients, stride 4H) and finally dc ← dc⊙f (the gradient passed to c_prev).
void hone_lstm_backward(int isa, int64_t rows, int64_t hidden, const float *acts, const float *c, const float *c_prev,
                        const float *dh_out, const float *dh_rec, float *dc, float *dgates);

/// GRU step (PyTorch nn.GRU): u = W_hh·h_prev (`u` NULL: 0) + bias (b_hh, 3H);
/// r = σ(x_r + u_r), z = σ(x_z + u_z), n = tanh(x_n + r⊙u_n), h = (1 − z)⊙n + z⊙h_prev.
/// Writes r|z|n to `acts` (stride 3H), u_n to `un_out` (stride H) and h.
void hone_gru_forward(int isa, int64_t rows, int64_t hidden, const float *xg, int64_t ldx, const float *u,
                      const float *bias, const float *h_prev, float *acts, float *un_out, float *h_out);

/// GRU step backward: with d = dh + dh_out, dn = d⊙(1−z)⊙(1−n²), dz = d⊙(h_prev − n)⊙z(1−z),
/// dr = dn⊙u_n⊙r(1−r): writes dx = [dr, dz, dn] (input-projection gradient), du = [dr, dz, dn⊙r]
/// (gradient of u, both stride 3H) and dh ← d⊙z (the caller then adds du·W_hh for h_prev).
void hone_gru_backward(int isa, int64_t rows, int64_t hidden, const float *acts, const float *un, const float *h_prev,
                       const float *dh_out, float *dh, float *dx, float *du);

#ifdef __cplusplus
}
#endif
#endif

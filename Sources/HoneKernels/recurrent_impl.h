// Fused LSTM and GRU cell math over rows of gate pre-activations, built on vecmath_core.h and
// compiled per ISA by recurrent.c (which defines VW, SFX, TGT and VFMA). Equations as PyTorch's
// nn.LSTM (gate order i|f|g|o) and nn.GRU (r|z|n); see include/HoneRecurrent.h for the buffers.
#include "vecmath_core.h"

// n ≤ VW floats from p, zeros past n.
TGT static inline V FN(rec_load)(const float *p, int64_t n) {
    V v;
    if (n == VW) {
        memcpy(&v, p, sizeof v);
        return v;
    }
    float t[VW] = {0};
    memcpy(t, p, (size_t)n * 4);
    memcpy(&v, t, sizeof v);
    return v;
}

TGT static inline void FN(rec_store)(float *p, int64_t n, V v) {
    if (n == VW) {
        memcpy(p, &v, sizeof v);
        return;
    }
    float t[VW];
    memcpy(t, &v, sizeof v);
    memcpy(p, t, (size_t)n * 4);
}

TGT static void FN(lstm_forward)(int64_t rows, int64_t H, const float *xg, int64_t ldx, const float *hg,
                                 float *acts, const float *c_prev, float *c_out, float *h_out) {
    const int64_t G = 4 * H;
    const V one = SPLAT(1.0f);
    for (int64_t r = 0; r < rows; r++) {
        const float *x = xg + r * ldx, *u = hg ? hg + r * G : NULL, *cp = c_prev ? c_prev + r * H : NULL;
        float *a = acts + r * G, *c = c_out + r * H, *h = h_out + r * H;
        for (int64_t j = 0; j < H; j += VW) {
            const int64_t n = H - j < VW ? H - j : VW;
            V ai = FN(rec_load)(x + j, n), af = FN(rec_load)(x + H + j, n);
            V ag = FN(rec_load)(x + 2 * H + j, n), ao = FN(rec_load)(x + 3 * H + j, n);
            if (u) {
                ai += FN(rec_load)(u + j, n);
                af += FN(rec_load)(u + H + j, n);
                ag += FN(rec_load)(u + 2 * H + j, n);
                ao += FN(rec_load)(u + 3 * H + j, n);
            }
            V i = one / (one + FN(vexp)(-ai)), f = one / (one + FN(vexp)(-af));
            V g = FN(vtanh)(ag), o = one / (one + FN(vexp)(-ao));
            V cv = i * g;
            if (cp) cv = VFMA(f, FN(rec_load)(cp + j, n), cv);
            V hv = o * FN(vtanh)(cv);
            FN(rec_store)(a + j, n, i);
            FN(rec_store)(a + H + j, n, f);
            FN(rec_store)(a + 2 * H + j, n, g);
            FN(rec_store)(a + 3 * H + j, n, o);
            FN(rec_store)(c + j, n, cv);
            FN(rec_store)(h + j, n, hv);
        }
    }
}

TGT static void FN(lstm_backward)(int64_t rows, int64_t H, const float *acts, const float *c, const float *c_prev,
                                  const float *dh_out, const float *dh_rec, float *dc, float *dgates) {
    const int64_t G = 4 * H;
    const V one = SPLAT(1.0f);
    for (int64_t r = 0; r < rows; r++) {
        const float *a = acts + r * G, *cr = c + r * H, *cp = c_prev ? c_prev + r * H : NULL;
        const float *go = dh_out + r * H, *gr = dh_rec ? dh_rec + r * H : NULL;
        float *dcr = dc + r * H, *d = dgates + r * G;
        for (int64_t j = 0; j < H; j += VW) {
            const int64_t n = H - j < VW ? H - j : VW;
            V i = FN(rec_load)(a + j, n), f = FN(rec_load)(a + H + j, n);
            V g = FN(rec_load)(a + 2 * H + j, n), o = FN(rec_load)(a + 3 * H + j, n);
            V dh = FN(rec_load)(go + j, n);
            if (gr) dh += FN(rec_load)(gr + j, n);
            V tc = FN(vtanh)(FN(rec_load)(cr + j, n));
            V dct = FN(rec_load)(dcr + j, n) + dh * o * (one - tc * tc);
            V cpv = cp ? FN(rec_load)(cp + j, n) : SPLAT(0.0f);
            FN(rec_store)(d + j, n, dct * g * i * (one - i));
            FN(rec_store)(d + H + j, n, dct * cpv * f * (one - f));
            FN(rec_store)(d + 2 * H + j, n, dct * i * (one - g * g));
            FN(rec_store)(d + 3 * H + j, n, dh * tc * o * (one - o));
            FN(rec_store)(dcr + j, n, dct * f);
        }
    }
}

TGT static void FN(gru_forward)(int64_t rows, int64_t H, const float *xg, int64_t ldx, const float *u,
                                const float *bias, const float *h_prev, float *acts, float *un_out, float *h_out) {
    const int64_t G = 3 * H;
    const V one = SPLAT(1.0f);
    for (int64_t r = 0; r < rows; r++) {
        const float *x = xg + r * ldx, *ur = u ? u + r * G : NULL, *hp = h_prev ? h_prev + r * H : NULL;
        float *a = acts + r * G, *un = un_out + r * H, *h = h_out + r * H;
        for (int64_t j = 0; j < H; j += VW) {
            const int64_t n = H - j < VW ? H - j : VW;
            V ur_ = FN(rec_load)(bias + j, n), uz = FN(rec_load)(bias + H + j, n), unv = FN(rec_load)(bias + 2 * H + j, n);
            if (ur) {
                ur_ += FN(rec_load)(ur + j, n);
                uz += FN(rec_load)(ur + H + j, n);
                unv += FN(rec_load)(ur + 2 * H + j, n);
            }
            V rg = one / (one + FN(vexp)(-(FN(rec_load)(x + j, n) + ur_)));
            V z = one / (one + FN(vexp)(-(FN(rec_load)(x + H + j, n) + uz)));
            V nv = FN(vtanh)(VFMA(rg, unv, FN(rec_load)(x + 2 * H + j, n)));
            V hpv = hp ? FN(rec_load)(hp + j, n) : SPLAT(0.0f);
            V hv = (one - z) * nv + z * hpv;
            FN(rec_store)(a + j, n, rg);
            FN(rec_store)(a + H + j, n, z);
            FN(rec_store)(a + 2 * H + j, n, nv);
            FN(rec_store)(un + j, n, unv);
            FN(rec_store)(h + j, n, hv);
        }
    }
}

TGT static void FN(gru_backward)(int64_t rows, int64_t H, const float *acts, const float *un, const float *h_prev,
                                 const float *dh_out, float *dh, float *dx, float *du) {
    const int64_t G = 3 * H;
    const V one = SPLAT(1.0f);
    for (int64_t r = 0; r < rows; r++) {
        const float *a = acts + r * G, *unr = un + r * H, *hp = h_prev ? h_prev + r * H : NULL, *go = dh_out + r * H;
        float *dhr = dh + r * H, *dxr = dx + r * G, *dur = du + r * G;
        for (int64_t j = 0; j < H; j += VW) {
            const int64_t n = H - j < VW ? H - j : VW;
            V rg = FN(rec_load)(a + j, n), z = FN(rec_load)(a + H + j, n), nv = FN(rec_load)(a + 2 * H + j, n);
            V dhv = FN(rec_load)(dhr + j, n) + FN(rec_load)(go + j, n);
            V hpv = hp ? FN(rec_load)(hp + j, n) : SPLAT(0.0f);
            V dn = dhv * (one - z) * (one - nv * nv);
            V dz = dhv * (hpv - nv) * z * (one - z);
            V dr = dn * FN(rec_load)(unr + j, n) * rg * (one - rg);
            FN(rec_store)(dxr + j, n, dr);
            FN(rec_store)(dxr + H + j, n, dz);
            FN(rec_store)(dxr + 2 * H + j, n, dn);
            FN(rec_store)(dur + j, n, dr);
            FN(rec_store)(dur + H + j, n, dz);
            FN(rec_store)(dur + 2 * H + j, n, dn * rg);
            FN(rec_store)(dhr + j, n, dhv * z);
        }
    }
}

// Fused LSTM and GRU cell math over rows of gate pre-activations, built on vecmath_core.h and
// compiled per ISA by recurrent.c (through isa_instances.h). Equations as PyTorch's
// nn.LSTM (gate order i|f|g|o) and nn.GRU (r|z|n); see include/HoneRecurrent.h for the buffers.
//
// Gate activations use leaner forms of vecmath_core.h's σ and tanh (≈ 2/3 of the operations):
// the argument is clamped where the result has saturated in float, so e^x is always a normal
// number and needs one exponent scaling and no inf/subnormal handling; NaN is restored at the
// end. Error against Double over the float range, all paths: ≤ 2e-7 absolute for both, and
// ≤ 2e-7 relative for tanh below 0.625 (RecurrentKernelTests).
#include "vecmath_core.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// e^x for x in [−87.3, 88.3] (normal results): vexp's Cody–Waite reduction and Cephes
// polynomial with a single 2^n scaling.
// With AVX-512, n comes from one vrndscaleps and the scaling is one vscalefps (y·2^n exactly,
// as the exponent-field construction gives for these n) instead of four integer-path steps.
TGT static inline V FN(exp_normal)(V x) {
#if VW == 16 && defined(__x86_64__)
    V n = (V)_mm512_roundscale_ps((__m512)(x * SPLAT(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    return (V)_mm512_scalef_ps((__m512)FN(exp_reduced)(x, n), (__m512)n);
#else
    V n = (x * SPLAT(1.44269504088896341f) + SPLAT(12582912.0f)) - SPLAT(12582912.0f);
    V y = FN(exp_reduced)(x, n);
    VI ni = __builtin_convertvector(n, VI);
    return y * ASF((ni + SPLATI(127)) << 23);
#endif
}

// σ(x) = 1/(1 + e^{−x}); beyond ±87 σ is 0 or 1 to float precision (below −87 the true value
// is < 1.7e-38; this returns ≤ 1.6e-38).
TGT static inline V FN(gate_sigmoid)(V x) {
    V xc = FN(vminf)(FN(vmaxf)(x, SPLAT(-87.0f)), SPLAT(87.0f));
    V y = SPLAT(1.0f) / (SPLAT(1.0f) + FN(exp_normal)(-xc));
    return FN(vsel)(x != x, x, y);
}

// tanh: |x| < 0.625 the Cephes polynomial (as vtanh); else sign(x)·(1 − e)/(1 + e) with
// e = e^{−2|x|}, |x| clamped to 9 (tanh 9 rounds to 1 in float).
TGT static inline V FN(gate_tanh)(V x) {
    V ax = FN(vabs)(x);
    V smallv = FN(tanh_small)(x);
    V e = FN(exp_normal)(SPLAT(-2.0f) * FN(vminf)(ax, SPLAT(9.0f)));
    V big = (SPLAT(1.0f) - e) / (SPLAT(1.0f) + e);
    big = ASF(ASI(big) | (ASI(x) & SPLATI((int32_t)0x80000000)));
    V y = FN(vsel)(ax < SPLAT(0.625f), smallv, big);
    return FN(vsel)(x != x, x, y);
}

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
            V i = FN(gate_sigmoid)(ai), f = FN(gate_sigmoid)(af);
            V g = FN(gate_tanh)(ag), o = FN(gate_sigmoid)(ao);
            V cv = i * g;
            if (cp) cv = VFMA(f, FN(rec_load)(cp + j, n), cv);
            V hv = o * FN(gate_tanh)(cv);
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
            V tc = FN(gate_tanh)(FN(rec_load)(cr + j, n));
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
            V rg = FN(gate_sigmoid)(FN(rec_load)(x + j, n) + ur_);
            V z = FN(gate_sigmoid)(FN(rec_load)(x + H + j, n) + uz);
            V nv = FN(gate_tanh)(VFMA(rg, unv, FN(rec_load)(x + 2 * H + j, n)));
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

// Vectorized float math on one SIMD vector, written once with clang vector extensions and
// compiled per ISA (isa_instances.h) by the including implementation header (vecmath_impl.h,
// recurrent_impl.h): VW = 16 lanes with AVX-512, 8 with AVX2+FMA, 4 for the baseline target.
// No include guard on purpose.
//
// exp: Cody–Waite reduction x = n·ln2 + r, |r| ≤ ln2/2, exp(r) by the Cephes expf minimax
//      polynomial (degree 7 incl. 1 + r), result scaled by 2^n in two steps so subnormal
//      results are exact-rounded scalings; ≤ ~1 ulp.
// log: x = 2^e·m, m ∈ [√½, √2), log(m) = f − f²/2 + f³·P(f) with f = m − 1 (Cephes logf),
//      plus e·ln2 in two parts; subnormal inputs pre-scaled by 2^23; ≤ ~1 ulp.
// tanh: |x| < 0.625: x + x³·P(x²) (Cephes tanhf); else sign(x)·(1 − 2/(exp(2|x|) + 1)).
// sigmoid: 1 / (1 + exp(−x)).
// gelu (erf form, as PyTorch's default): 0.5·x·(1 + erf(x/√2)), erf from Abramowitz & Stegun
//      7.1.26 (|error| ≤ 1.5e-7).
#include <math.h>
#include "isa_vector.h"


TGT static inline V FN(vmaxf)(V a, V b) { return FN(vsel)(a > b, a, b); }
TGT static inline V FN(vminf)(V a, V b) { return FN(vsel)(a < b, a, b); }
TGT static inline V FN(vabs)(V a) { return ASF(ASI(a) & SPLATI(0x7fffffff)); }

// e^r for r = x − n·ln2 (Cody–Waite: ln2 in two parts), n = round(x·log2e) given by the
// caller, which scales the result by 2^n: the Cephes expf polynomial 1 + r + r²·P(r).
TGT static inline V FN(exp_reduced)(V x, V n) {
    V r = VFMA(n, SPLAT(-0.693359375f), x);
    r = VFMA(n, SPLAT(2.12194440e-4f), r);
    V p = SPLAT(1.9875691500E-4f);
    p = VFMA(p, r, SPLAT(1.3981999507E-3f));
    p = VFMA(p, r, SPLAT(8.3334519073E-3f));
    p = VFMA(p, r, SPLAT(4.1665795894E-2f));
    p = VFMA(p, r, SPLAT(1.6666665459E-1f));
    p = VFMA(p, r, SPLAT(5.0000001201E-1f));
    return VFMA(p, r * r, r) + SPLAT(1.0f);
}

// tanh for |x| < 0.625: x + x³·P(x²) (Cephes tanhf).
TGT static inline V FN(tanh_small)(V x) {
    V z = x * x;
    V p = SPLAT(-5.70498872745E-3f);
    p = VFMA(p, z, SPLAT(2.06390887954E-2f));
    p = VFMA(p, z, SPLAT(-5.37397155531E-2f));
    p = VFMA(p, z, SPLAT(1.33314422036E-1f));
    p = VFMA(p, z, SPLAT(-3.33332819422E-1f));
    return VFMA(p * z, x, x);
}

TGT static inline V FN(vexp)(V x) {
    const V log2e = SPLAT(1.44269504088896341f);
    V xc = FN(vminf)(FN(vmaxf)(x, SPLAT(-104.0f)), SPLAT(89.0f));
    V t = xc * log2e;
    // round to nearest: add and subtract 1.5·2^23
    V n = (t + SPLAT(12582912.0f)) - SPLAT(12582912.0f);
    V y = FN(exp_reduced)(xc, n);
    // 2^n in two factors (each a normal float) so n down to −150 scales correctly.
    VI ni = __builtin_convertvector(n, VI);
    VI n1 = ni >> 1, n2 = ni - n1;
    V s1 = ASF((n1 + SPLATI(127)) << 23), s2 = ASF((n2 + SPLATI(127)) << 23);
    y = (y * s1) * s2;
    y = FN(vsel)(x > SPLAT(88.7228391f), SPLAT(INFINITY), y);
    y = FN(vsel)(x < SPLAT(-103.972f), SPLAT(0.0f), y);
    return FN(vsel)(x != x, x, y);
}

TGT static inline V FN(vlog)(V x) {
    // Pre-scale subnormals by 2^23.
    VI sub = x < SPLAT(1.17549435e-38f);
    V xs = FN(vsel)(sub, x * SPLAT(8388608.0f), x);
    VI bits = ASI(xs);
    VI e = ((bits >> 23) & SPLATI(0xff)) - SPLATI(126);
    e = e - (sub & SPLATI(23));
    V m = ASF((bits & SPLATI(0x007fffff)) | SPLATI(0x3f000000));    // m ∈ [0.5, 1)
    VI small = m < SPLAT(0.707106781186547524f);
    // m < √½: use 2m − 1 with e − 1, else m − 1.
    V f = FN(vsel)(small, m + m, m) - SPLAT(1.0f);
    V ef = __builtin_convertvector(e - (small & SPLATI(1)), V);
    V z = f * f;
    V p = SPLAT(7.0376836292E-2f);
    p = VFMA(p, f, SPLAT(-1.1514610310E-1f));
    p = VFMA(p, f, SPLAT(1.1676998740E-1f));
    p = VFMA(p, f, SPLAT(-1.2420140846E-1f));
    p = VFMA(p, f, SPLAT(1.4249322787E-1f));
    p = VFMA(p, f, SPLAT(-1.6668057665E-1f));
    p = VFMA(p, f, SPLAT(2.0000714765E-1f));
    p = VFMA(p, f, SPLAT(-2.4999993993E-1f));
    p = VFMA(p, f, SPLAT(3.3333331174E-1f));
    V y = f * z * p;
    y = VFMA(ef, SPLAT(-2.12194440e-4f), y);
    y = VFMA(z, SPLAT(-0.5f), y);
    V r = f + y;
    r = VFMA(ef, SPLAT(0.693359375f), r);
    r = FN(vsel)(x == SPLAT(INFINITY), x, r);
    r = FN(vsel)(x == SPLAT(0.0f), SPLAT(-INFINITY), r);
    r = FN(vsel)(x < SPLAT(0.0f), SPLAT(NAN), r);
    return FN(vsel)(x != x, x, r);
}

TGT static inline V FN(vtanh)(V x) {
    V ax = FN(vabs)(x);
    V smallv = FN(tanh_small)(x);
    V e = FN(vexp)(FN(vminf)(ax + ax, SPLAT(88.0f)));
    V big = SPLAT(1.0f) - SPLAT(2.0f) / (e + SPLAT(1.0f));
    big = ASF(ASI(big) | (ASI(x) & SPLATI((int32_t)0x80000000)));
    V y = FN(vsel)(ax < SPLAT(0.625f), smallv, big);
    return FN(vsel)(x != x, x, y);
}

TGT static inline V FN(vsigmoid)(V x) {
    return SPLAT(1.0f) / (SPLAT(1.0f) + FN(vexp)(-x));
}

TGT static inline V FN(vgelu)(V x) {
    V u = x * SPLAT(0.70710678118654752f);
    V au = FN(vabs)(u);
    V t = SPLAT(1.0f) / VFMA(au, SPLAT(0.3275911f), SPLAT(1.0f));
    V q = SPLAT(1.061405429f);
    q = VFMA(q, t, SPLAT(-1.453152027f));
    q = VFMA(q, t, SPLAT(1.421413741f));
    q = VFMA(q, t, SPLAT(-0.284496736f));
    q = VFMA(q, t, SPLAT(0.254829592f));
    V erfc_abs = q * t * FN(vexp)(-(au * au));          // erfc(|u|)
    // 1 + erf(u) = 2 − erfc(|u|) for u ≥ 0, erfc(|u|) for u < 0.
    V onePlusErf = FN(vsel)(u < SPLAT(0.0f), erfc_abs, SPLAT(2.0f) - erfc_abs);
    V y = SPLAT(0.5f) * x * onePlusErf;
    return FN(vsel)(x != x, x, y);
}

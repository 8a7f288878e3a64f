// Vectorized float math, written once with clang vector extensions and compiled three times
// (vecmath.c): VW = 16 lanes with AVX-512, 8 with AVX2+FMA, 4 for the baseline target.
// The including file defines VW, SFX (name suffix), TGT (function attribute) and VFMA.
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
#include <stdint.h>
#include <string.h>
#include <math.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define V CAT(vf, SFX)
#define VI CAT(vi, SFX)
#define FN(name) CAT(name, SFX)

typedef float V __attribute__((vector_size(VW * 4), aligned(4)));
typedef int32_t VI __attribute__((vector_size(VW * 4), aligned(4)));

#define SPLAT(x) ((V){} + (float)(x))
#define SPLATI(x) ((VI){} + (int32_t)(x))
#define ASI(v) ((VI)(v))
#define ASF(v) ((V)(v))

TGT static inline V FN(vsel)(VI m, V a, V b) { return ASF((m & ASI(a)) | (~m & ASI(b))); }
TGT static inline V FN(vmaxf)(V a, V b) { return FN(vsel)(a > b, a, b); }
TGT static inline V FN(vminf)(V a, V b) { return FN(vsel)(a < b, a, b); }
TGT static inline V FN(vabs)(V a) { return ASF(ASI(a) & SPLATI(0x7fffffff)); }

TGT static inline V FN(vexp)(V x) {
    const V log2e = SPLAT(1.44269504088896341f), c1 = SPLAT(0.693359375f), c2 = SPLAT(-2.12194440e-4f);
    V xc = FN(vminf)(FN(vmaxf)(x, SPLAT(-104.0f)), SPLAT(89.0f));
    V t = xc * log2e;
    // round to nearest: add and subtract 1.5·2^23
    V n = (t + SPLAT(12582912.0f)) - SPLAT(12582912.0f);
    V r = VFMA(n, -c1, xc);
    r = VFMA(n, -c2, r);
    V p = SPLAT(1.9875691500E-4f);
    p = VFMA(p, r, SPLAT(1.3981999507E-3f));
    p = VFMA(p, r, SPLAT(8.3334519073E-3f));
    p = VFMA(p, r, SPLAT(4.1665795894E-2f));
    p = VFMA(p, r, SPLAT(1.6666665459E-1f));
    p = VFMA(p, r, SPLAT(5.0000001201E-1f));
    V r2 = r * r;
    V y = VFMA(p, r2, r) + SPLAT(1.0f);
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
    V z = x * x;
    V p = SPLAT(-5.70498872745E-3f);
    p = VFMA(p, z, SPLAT(2.06390887954E-2f));
    p = VFMA(p, z, SPLAT(-5.37397155531E-2f));
    p = VFMA(p, z, SPLAT(1.33314422036E-1f));
    p = VFMA(p, z, SPLAT(-3.33332819422E-1f));
    V smallv = VFMA(p * z, x, x);
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

#define HONE_MAP(name, fn)                                                          \
    TGT static void FN(name)(const float *x, float *y, int64_t n) {                 \
        int64_t i = 0;                                                              \
        for (; i + VW <= n; i += VW) {                                              \
            V v;                                                                    \
            memcpy(&v, x + i, sizeof v);                                            \
            v = fn(v);                                                              \
            memcpy(y + i, &v, sizeof v);                                            \
        }                                                                           \
        if (i < n) {                                                                \
            float tmp[VW] = {0};                                                    \
            memcpy(tmp, x + i, (size_t)(n - i) * 4);                                \
            V v;                                                                    \
            memcpy(&v, tmp, sizeof v);                                              \
            v = fn(v);                                                              \
            memcpy(tmp, &v, sizeof v);                                              \
            memcpy(y + i, tmp, (size_t)(n - i) * 4);                                \
        }                                                                           \
    }

HONE_MAP(map_exp, FN(vexp))
HONE_MAP(map_log, FN(vlog))
HONE_MAP(map_tanh, FN(vtanh))
HONE_MAP(map_sigmoid, FN(vsigmoid))
HONE_MAP(map_gelu, FN(vgelu))

// Loads lanes [i, i+VW) of a row of length n, −inf past the end.
TGT static inline V FN(load_tail)(const float *x, int64_t i, int64_t n) {
    if (i + VW <= n) {
        V v;
        memcpy(&v, x + i, sizeof v);
        return v;
    }
    float tmp[VW];
    for (int k = 0; k < VW; k++) tmp[k] = i + k < n ? x[i + k] : -INFINITY;
    V v;
    memcpy(&v, tmp, sizeof v);
    return v;
}

TGT static inline float FN(hmax)(V v) {
    float m = v[0];
    for (int k = 1; k < VW; k++) m = v[k] > m ? v[k] : m;
    return m;
}

// Stores lanes [i, i+VW) of a row of length n (lanes past the end dropped).
TGT static inline void FN(store_tail)(float *y, int64_t i, int64_t n, V v) {
    if (i + VW <= n) {
        memcpy(y + i, &v, sizeof v);
    } else if (i < n) {
        float tmp[VW];
        memcpy(tmp, &v, sizeof v);
        memcpy(y + i, tmp, (size_t)(n - i) * 4);
    }
}

// Rows up to this many blocks of 4 vectors keep their block maxima on the stack.
#define SOFTMAX_MAX_BLOCKS 256

// Softmax / log-softmax of each row, fused: one read pass over x keeps a per-lane running
// max and sum of exp(x − max) (online softmax, Milakov & Gimelshein 2018), rescaling the sum
// once per block of 4 vectors. Softmax also writes e = exp(x − blockmax) to y in that pass and
// records each block's per-lane max, so the second pass over y (now in cache) is one multiply
// by exp(blockmax − max)/sum per block: ≈ 1 exponential per element. Log-softmax writes
// (x − max) − log(sum) in the second pass.
TGT static void FN(softmax_rows)(const float *x, float *y, int64_t rows, int64_t cols, int logsm) {
    V blockmax[SOFTMAX_MAX_BLOCKS];
    int64_t nblocks = (cols + 4 * VW - 1) / (4 * VW);
    int keep = !logsm && nblocks <= SOFTMAX_MAX_BLOCKS;
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = y + r * cols;
        V vm = SPLAT(-INFINITY), vs = SPLAT(0.0f);
        for (int64_t i = 0, b = 0; i < cols; i += 4 * VW, b++) {
            V a = FN(load_tail)(xr, i, cols), bb = FN(load_tail)(xr, i + VW, cols);
            V c = FN(load_tail)(xr, i + 2 * VW, cols), d = FN(load_tail)(xr, i + 3 * VW, cols);
            V nm = FN(vmaxf)(FN(vmaxf)(vm, FN(vmaxf)(a, bb)), FN(vmaxf)(c, d));
            // Lanes still at −inf (nothing seen) keep a zero sum: avoid exp(−inf − −inf) = NaN.
            V safe = FN(vsel)(nm == SPLAT(-INFINITY), SPLAT(0.0f), nm);
            V ea = FN(vexp)(a - safe), eb = FN(vexp)(bb - safe), ec = FN(vexp)(c - safe), ed = FN(vexp)(d - safe);
            vs = vs * FN(vexp)(vm - safe) + ((ea + eb) + (ec + ed));
            vm = nm;
            if (keep) {
                blockmax[b] = nm;
                FN(store_tail)(yr, i, cols, ea);
                FN(store_tail)(yr, i + VW, cols, eb);
                FN(store_tail)(yr, i + 2 * VW, cols, ec);
                FN(store_tail)(yr, i + 3 * VW, cols, ed);
            }
        }
        float m = FN(hmax)(vm);
        V scale = FN(vexp)(vm - SPLAT(m));
        scale = FN(vsel)(vm == SPLAT(-INFINITY), SPLAT(0.0f), scale);
        V contrib = vs * scale;
        float s = 0;
        for (int k = 0; k < VW; k++) s += contrib[k];
        if (logsm) {
            // (x − max) − log(sum): subtracting max first keeps x − max exact-ish even when
            // the logits are large (m + log(sum) would round at the scale of m).
            float ls = logf(s);
            V vmax = SPLAT(m), vls = SPLAT(ls);
            int64_t i = 0;
            for (; i + VW <= cols; i += VW) {
                V v;
                memcpy(&v, xr + i, sizeof v);
                v = (v - vmax) - vls;
                memcpy(yr + i, &v, sizeof v);
            }
            for (; i < cols; i++) yr[i] = (xr[i] - m) - ls;
        } else if (keep) {
            V inv = SPLAT(1.0f / s), vmax = SPLAT(m);
            for (int64_t i = 0, b = 0; i < cols; i += 4 * VW, b++) {
                // exp(−inf − m) = 0 for lanes that never saw a finite value (their e are 0).
                V f = FN(vexp)(blockmax[b] - vmax) * inv;
                for (int64_t q = 0; q < 4; q++) {
                    int64_t at = i + q * VW;
                    if (at >= cols) break;
                    V v = FN(load_tail)(yr, at, cols);
                    FN(store_tail)(yr, at, cols, v * f);
                }
            }
        } else {
            V inv = SPLAT(1.0f / s), vmax = SPLAT(m);
            for (int64_t i = 0; i < cols; i += VW) {
                V v = FN(vexp)(FN(load_tail)(xr, i, cols) - vmax) * inv;
                FN(store_tail)(yr, i, cols, v);
            }
        }
    }
}

#undef V
#undef VI
#undef FN
#undef HONE_MAP

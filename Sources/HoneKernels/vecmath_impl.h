// Elementwise maps and fused row softmax over buffers, built on vecmath_core.h; compiled per
// ISA by vecmath.c (through isa_instances.h).
#include "vecmath_core.h"

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

// ReLU as Tensor.relu defines it: x where x > 0, else +0 (NaN and −0 give +0).
TGT static inline V FN(vrelu)(V x) { return FN(vsel)(x > SPLAT(0.0f), x, SPLAT(0.0f)); }
HONE_MAP(map_relu, FN(vrelu))

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

// Rows of at most this many floats (16 KiB; x and y rows together fit L1) take the three-pass
// path below; longer rows the one-read-pass online softmax.
#define SOFTMAX_L1_COLS 4096

// Softmax / log-softmax of one row that fits L1: a max pass, then one exponential per element
// (softmax stores e = exp(x − max) and sums it in four accumulators), then a scale pass over y
// (or, for log-softmax, y = (x − max) − log Σ). Re-reading a row that is already in L1 costs
// less than the online form's per-block rescaling exponential and its dependency chain
// (session 5: a 1000-float row in L1 0.55 → 0.39–0.43 ns per element).
TGT static void FN(softmax_row_l1)(const float *xr, float *yr, int64_t cols, int logsm) {
    int64_t full = cols / VW * VW;
    V m0 = SPLAT(-INFINITY), m1 = m0;
    int64_t i = 0;
    for (; i + 2 * VW <= full; i += 2 * VW) {
        V a, b;
        memcpy(&a, xr + i, sizeof a);
        memcpy(&b, xr + i + VW, sizeof b);
        m0 = FN(vmaxf)(m0, a);
        m1 = FN(vmaxf)(m1, b);
    }
    for (; i < cols; i += VW) m0 = FN(vmaxf)(m0, FN(load_tail)(xr, i, cols));
    float m = FN(hmax)(FN(vmaxf)(m0, m1));
    V vmax = SPLAT(m), s0 = SPLAT(0.0f), s1 = s0, s2 = s0, s3 = s0;
    for (i = 0; i + 4 * VW <= full; i += 4 * VW) {
        V a, b, c, d;
        memcpy(&a, xr + i, sizeof a);
        memcpy(&b, xr + i + VW, sizeof b);
        memcpy(&c, xr + i + 2 * VW, sizeof c);
        memcpy(&d, xr + i + 3 * VW, sizeof d);
        a = FN(vexp)(a - vmax); b = FN(vexp)(b - vmax); c = FN(vexp)(c - vmax); d = FN(vexp)(d - vmax);
        s0 += a; s1 += b; s2 += c; s3 += d;
        if (!logsm) {
            memcpy(yr + i, &a, sizeof a);
            memcpy(yr + i + VW, &b, sizeof b);
            memcpy(yr + i + 2 * VW, &c, sizeof c);
            memcpy(yr + i + 3 * VW, &d, sizeof d);
        }
    }
    for (; i < cols; i += VW) {   // lanes past the end load −inf: their e is set to 0
        V v = FN(load_tail)(xr, i, cols);
        V e = FN(vexp)(v - vmax);
        if (i + VW > cols) e = FN(vsel)(v == SPLAT(-INFINITY), SPLAT(0.0f), e);
        s0 += e;
        if (!logsm) FN(store_tail)(yr, i, cols, e);
    }
    V vs = (s0 + s1) + (s2 + s3);
    float sum = 0;
    for (int k = 0; k < VW; k++) sum += vs[k];
    if (logsm) {
        V vls = SPLAT(logf(sum));
        for (i = 0; i < full; i += VW) {
            V v;
            memcpy(&v, xr + i, sizeof v);
            v = (v - vmax) - vls;
            memcpy(yr + i, &v, sizeof v);
        }
        for (; i < cols; i++) yr[i] = (xr[i] - m) - vls[0];
    } else {
        V inv = SPLAT(1.0f / sum);
        for (i = 0; i < full; i += VW) {
            V v;
            memcpy(&v, yr + i, sizeof v);
            v = v * inv;
            memcpy(yr + i, &v, sizeof v);
        }
        for (; i < cols; i++) yr[i] *= inv[0];
    }
}

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
    if (cols <= SOFTMAX_L1_COLS) {
        for (int64_t r = 0; r < rows; r++) FN(softmax_row_l1)(x + r * cols, y + r * cols, cols, logsm);
        return;
    }
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

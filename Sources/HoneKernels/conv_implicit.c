// Implicit-GEMM helpers for stride-1 convolutions on AVX-512: the im2col matrix is never
// formed. `hone_conv_pack_b_avx512` writes one 32-column B panel of the GEMM (the layout the
// SGEMM micro-kernel reads) straight from the image, and `hone_conv_col2im_panel_avx512` adds
// one 32-column panel of W·dY back into the input gradient.
//
// Packing: 16 consecutive output pixels j (lane l ↔ pixel j0 + l) read, for tap (c, r, s),
// image[c, oh_j − ph + r·dh, ow_j − pw + s·dw] = window[idx_l] with idx_l = oh_j·W + ow_j − min
// over a window that starts at a per-tap address. When that window spans ≤ 32 floats (true
// for 16 pixels as long as the output rows are not much narrower than the input rows) a row
// of the panel is two loads and one two-source lane permute (`vpermt2ps`), zero-masked where
// the tap falls into the padding. No gathers (slow on this project's Zen 5 CPU) and no
// intermediate im2col buffer: the panel (kc × 32 floats) stays in L1 for the micro-kernel.
#include "HoneConv.h"
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { MAXTAPS = HONE_CONV_MAXTAPS, MAXRUNS = 64 };

// Lane geometry of the 16-pixel half q of a panel starting at pixel j; 0 when its window
// would span more than 32 floats.
static int half_setup(const hone_conv_shape *g, int64_t j, int64_t n, hone_conv_panel *pl, int q) {
    int64_t oh[16], ow[16], idx[16];
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (int l = 0; l < 16; l++) {
        int64_t p = j + (l < n ? l : n - 1);   // dead lanes repeat the last pixel (masked later)
        oh[l] = p / g->ow_n;
        ow[l] = p % g->ow_n;
        idx[l] = oh[l] * g->W + ow[l];
        if (idx[l] < lo) lo = idx[l];
        if (idx[l] > hi) hi = idx[l];
    }
    if (hi - lo > 31) return 0;
    pl->base[q] = lo - g->ph * g->W - g->pw;
    pl->span[q] = hi - lo;
    pl->live[q] = (uint16_t)(n >= 16 ? 0xFFFF : (1u << n) - 1);
    for (int l = 0; l < 16; l++) pl->rel[q][l] = (int32_t)(idx[l] - lo);
    for (int64_t r = 0; r < g->kh; r++) {
        uint16_t m = 0;
        for (int l = 0; l < 16; l++) {
            int64_t ih = oh[l] - g->ph + r * g->dh;
            if (ih >= 0 && ih < g->H) m |= (uint16_t)(1u << l);
        }
        pl->rowok[q][r] = m & pl->live[q];
    }
    for (int64_t s = 0; s < g->kw; s++) {
        uint16_t m = 0;
        for (int l = 0; l < 16; l++) {
            int64_t iw = ow[l] - g->pw + s * g->dw;
            if (iw >= 0 && iw < g->W) m |= (uint16_t)(1u << l);
        }
        pl->colok[q][s] = m;
    }
    return 1;
}

int hone_conv_panel_init(const hone_conv_shape *g, int64_t j0, int64_t cols, hone_conv_panel *pl) {
    if (g->kh > MAXTAPS || g->kw > MAXTAPS || cols < 1 || cols > 32) return 0;
    memset(pl, 0, sizeof *pl);
    pl->j0 = j0;
    pl->cols = cols;
    pl->halves = cols > 16 ? 2 : 1;
    for (int q = 0; q < pl->halves; q++) {
        int64_t n = cols - 16 * q < 16 ? cols - 16 * q : 16;
        if (!half_setup(g, j0 + 16 * q, n, pl, q)) return 0;
    }
    if (pl->halves == 1) pl->base[1] = pl->base[0];
    return 1;
}

int hone_conv_implicit_supported(const hone_conv_shape *g) {
    if (g->kh > MAXTAPS || g->kw > MAXTAPS || g->oh_n <= 0 || g->ow_n <= 0) return 0;
    // col2im descriptors per panel: output rows a 32-pixel panel touches × 16-wide chunks of an input row.
    int64_t rows = 31 / g->ow_n + 2, chunks = (g->W + 15) / 16;
    if (rows * chunks > MAXRUNS) return 0;
    int64_t P = g->oh_n * g->ow_n;
    hone_conv_panel pl;
    // The span of 16 consecutive pixels depends only on where the run starts within an output
    // row (and on how many rows it crosses), so checking every start column suffices.
    for (int64_t j = 0; j < P && j < g->ow_n + 16; j++) {
        int64_t n = P - j < 16 ? P - j : 16;
        if (!hone_conv_panel_init(g, j, n, &pl)) return 0;
    }
    return 1;
}

void hone_prefetch(const void *p, int64_t bytes, int write) {
    const char *c = (const char *)p;
    if (write) {
        for (int64_t i = 0; i < bytes; i += 64) __builtin_prefetch(c + i, 1, 2);
    } else {
        for (int64_t i = 0; i < bytes; i += 64) __builtin_prefetch(c + i, 0, 2);
    }
}

#if defined(__x86_64__)
#define T512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))

// Lanes [lo, hi) of a 32-lane window (clamped to [0, 32]).
static inline uint32_t window_mask(int64_t lo, int64_t hi) {
    if (lo < 0) lo = 0;
    if (hi > 32) hi = 32;
    if (hi <= lo) return 0;
    uint32_t upto = hi >= 32 ? 0xFFFFFFFFu : ((1u << hi) - 1);
    return upto & ~((1u << lo) - 1);
}

// The 32 floats at image[o …], zeros where they fall outside [0, total) (masked loads only at
// the edges), as two vectors.
T512 static inline void load_window(const float *image, int64_t o, int64_t total, __m512 *lo, __m512 *hi) {
    if (o >= 0 && o + 32 <= total) {
        *lo = _mm512_loadu_ps(image + o);
        *hi = _mm512_loadu_ps(image + o + 16);
    } else {
        uint32_t m = window_mask(-o, total - o);
        *lo = _mm512_maskz_loadu_ps((__mmask16)m, image + o);
        *hi = _mm512_maskz_loadu_ps((__mmask16)(m >> 16), image + o + 16);
    }
}

T512 void hone_conv_pack_b_avx512(const float *image, const hone_conv_shape *g, const hone_conv_panel *pl,
                                  int64_t p0, int64_t kc, float *dst, int64_t ldd) {
    const int64_t taps = g->kh * g->kw, K = g->channels * taps, HW = g->H * g->W, total = g->channels * HW;
    const int halves = pl->halves;
    const __m512i rel0 = _mm512_loadu_si512(pl->rel[0]);
    const __m512i rel1 = _mm512_loadu_si512(pl->rel[1]);
    const int64_t base0 = pl->base[0], base1 = pl->base[1];
    const __m512 ones = _mm512_set1_ps(1.0f), zero = _mm512_setzero_ps();
    const int64_t kw = g->kw, pEnd = p0 + kc, pConv = pEnd < K ? pEnd : K;
    // When a half's window also covers the kw − 1 further columns of the row's other taps,
    // one pair of loads per (channel, kernel row) serves all kw taps: tap s permutes with
    // rel + s·dw. Otherwise each tap loads its own window.
    const int shared = pl->span[0] + (kw - 1) * g->dw <= 31 && (halves < 2 || pl->span[1] + (kw - 1) * g->dw <= 31);
    __m512i idx0[MAXTAPS], idx1[MAXTAPS];
    for (int64_t s = 0; s < kw; s++) {
        __m512i sh = _mm512_set1_epi32(shared ? (int)(s * g->dw) : 0);
        idx0[s] = _mm512_add_epi32(rel0, sh);
        idx1[s] = _mm512_add_epi32(rel1, sh);
    }
    int64_t p = p0;
    int64_t c = p0 / taps, r = (p0 % taps) / kw, s = p0 % kw;   // counters: no division per row
    if (shared && taps <= MAXTAPS * 4) {
        // Whole channels whose windows all lie inside the image: straight-line loads, permutes
        // and stores (the general loop below handles edges, partial channels and big kernels).
        __mmask16 m0[MAXTAPS * 4], m1[MAXTAPS * 4];
        for (int64_t t = 0; t < taps; t++) {
            m0[t] = pl->rowok[0][t / kw] & pl->colok[0][t % kw];
            m1[t] = halves > 1 ? (__mmask16)(pl->rowok[1][t / kw] & pl->colok[1][t % kw]) : 0;
        }
        const int64_t lowest = base0 < base1 ? base0 : base1, highest = base0 > base1 ? base0 : base1;
        const int64_t reach = highest + (g->kh - 1) * g->dh * g->W + 32;
        const float *img1 = halves > 1 ? image + base1 : image + base0;
        // 3-wide kernels with no tap in the padding (a valid convolution): the three index
        // vectors per half and the lane masks stay in registers.
        int uniform = kw == 3;
        for (int64_t t = 0; t < taps && uniform; t++) uniform = m0[t] == m0[0] && m1[t] == m1[0];
        if (uniform) {
            const __mmask16 k0 = m0[0], k1 = m1[0];
            const __m512i i00 = idx0[0], i01 = idx0[1], i02 = idx0[2], i10 = idx1[0], i11 = idx1[1], i12 = idx1[2];
            const int64_t rstep = g->dh * g->W;
            while (r == 0 && s == 0 && p + taps <= pConv && c * HW + lowest >= 0 && c * HW + reach <= total) {
                const float *w0 = image + c * HW + base0, *w1 = img1 + c * HW;
                float *d = dst + (p - p0) * ldd;
                for (int64_t rr = 0; rr < g->kh; rr++, w0 += rstep, w1 += rstep, d += 3 * ldd) {
                    const __m512 a0 = _mm512_loadu_ps(w0), a1 = _mm512_loadu_ps(w0 + 16);
                    const __m512 b0 = _mm512_loadu_ps(w1), b1 = _mm512_loadu_ps(w1 + 16);
                    _mm512_storeu_ps(d, _mm512_maskz_permutex2var_ps(k0, a0, i00, a1));
                    _mm512_storeu_ps(d + 16, _mm512_maskz_permutex2var_ps(k1, b0, i10, b1));
                    _mm512_storeu_ps(d + ldd, _mm512_maskz_permutex2var_ps(k0, a0, i01, a1));
                    _mm512_storeu_ps(d + ldd + 16, _mm512_maskz_permutex2var_ps(k1, b0, i11, b1));
                    _mm512_storeu_ps(d + 2 * ldd, _mm512_maskz_permutex2var_ps(k0, a0, i02, a1));
                    _mm512_storeu_ps(d + 2 * ldd + 16, _mm512_maskz_permutex2var_ps(k1, b0, i12, b1));
                }
                p += taps;
                c++;
            }
        }
        while (r == 0 && s == 0 && p + taps <= pConv && c * HW + lowest >= 0 && c * HW + reach <= total) {
            const float *w0 = image + c * HW + base0, *w1 = img1 + c * HW;
            float *d = dst + (p - p0) * ldd;
            int64_t t = 0;
            for (int64_t rr = 0; rr < g->kh; rr++) {
                const int64_t ro = rr * g->dh * g->W;
                const __m512 a0 = _mm512_loadu_ps(w0 + ro), a1 = _mm512_loadu_ps(w0 + ro + 16);
                const __m512 b0 = _mm512_loadu_ps(w1 + ro), b1 = _mm512_loadu_ps(w1 + ro + 16);
                for (int64_t ss = 0; ss < kw; ss++, t++, d += ldd) {
                    _mm512_storeu_ps(d, _mm512_maskz_permutex2var_ps(m0[t], a0, idx0[ss], a1));
                    _mm512_storeu_ps(d + 16, _mm512_maskz_permutex2var_ps(m1[t], b0, idx1[ss], b1));
                }
            }
            p += taps;
            c++;
        }
    }
    while (p < pConv) {
        const int64_t sEnd = kw < s + (pConv - p) ? kw : s + (pConv - p);
        const int64_t rowpos = c * HW + r * g->dh * g->W;
        const __mmask16 row0 = pl->rowok[0][r], row1 = pl->rowok[1][r];
        __m512 a0 = zero, a1 = zero, b0 = zero, b1 = zero;
        for (int64_t s0 = s; s < sEnd; s++, p++) {
            if (s == s0 || !shared) {   // (re)load the windows
                const int64_t sh = shared ? 0 : s * g->dw;
                load_window(image, rowpos + base0 + sh, total, &a0, &a1);
                if (halves > 1) load_window(image, rowpos + base1 + sh, total, &b0, &b1);
            }
            float *d = dst + (p - p0) * ldd;
            _mm512_storeu_ps(d, _mm512_maskz_permutex2var_ps(row0 & pl->colok[0][s], a0, idx0[s], a1));
            _mm512_storeu_ps(d + 16, halves > 1 ? _mm512_maskz_permutex2var_ps(row1 & pl->colok[1][s], b0, idx1[s], b1)
                                                : zero);
        }
        s = 0;
        if (++r == g->kh) { r = 0; c++; }
    }
    for (; p < pEnd; p++) {   // the bias row: ones in live columns
        float *d = dst + (p - p0) * ldd;
        _mm512_storeu_ps(d, _mm512_maskz_mov_ps(pl->live[0], ones));
        _mm512_storeu_ps(d + 16, halves > 1 ? _mm512_maskz_mov_ps(pl->live[1], ones) : zero);
    }
}

// Contributions of output row oh (of the panel) to one 16-wide chunk of an input row: per
// kernel column s, the offset of the source in the panel's kernel-row block and the lanes.
typedef struct {
    int64_t src[MAXTAPS];
    __mmask16 smask[MAXTAPS];
} chunk_taps;

// Each destination chunk (channel c, input row ih, 16 columns) is loaded and stored once,
// with the kh·kw taps that land in it summed in a register first: read-modify-writes of the
// same row by consecutive taps would wait on store forwarding (masked stores do not forward).
T512 void hone_conv_col2im_panel_avx512(const float *dcol, int64_t ldd, const hone_conv_shape *g,
                                        const hone_conv_panel *pl, float *image) {
    const int64_t j0 = pl->j0, cols = pl->cols, kw = g->kw, kh = g->kh, W = g->W, H = g->H, HW = H * W;
    const int64_t ohFirst = j0 / g->ow_n, ohLast = (j0 + cols - 1) / g->ow_n, rows = ohLast - ohFirst + 1;
    const int64_t chunks = (W + 15) / 16;
    if (rows * chunks > MAXRUNS) __builtin_trap();   // hone_conv_implicit_supported excludes this
    chunk_taps desc[MAXRUNS];
    int64_t qlo[MAXRUNS], qhi[MAXRUNS];
    for (int64_t i = 0; i < rows; i++) {
        const int64_t oh = ohFirst + i;
        const int64_t a = oh == ohFirst ? j0 % g->ow_n : 0;
        const int64_t b = oh == ohLast ? (j0 + cols - 1) % g->ow_n + 1 : g->ow_n;
        int64_t lo = a - g->pw, hi = b - g->pw + (kw - 1) * g->dw;
        if (lo < 0) lo = 0;
        if (hi > W) hi = W;
        qlo[i] = hi > lo ? lo / 16 : 0;
        qhi[i] = hi > lo ? (hi + 15) / 16 : 0;
        for (int64_t q = qlo[i]; q < qhi[i]; q++) {
            chunk_taps *d = &desc[i * chunks + q];
            const int64_t iw0 = 16 * q, n = W - iw0 < 16 ? W - iw0 : 16;
            for (int64_t s = 0; s < kw; s++) {
                // lane l ↔ iw = iw0 + l ↔ ow = iw + pw − s·dw, valid when a ≤ ow < b
                const int64_t shift = g->pw - s * g->dw;
                int64_t l0 = a - shift - iw0, l1 = b - shift - iw0;
                if (l0 < 0) l0 = 0;
                if (l1 > n) l1 = n;
                d->smask[s] = l1 > l0 ? (__mmask16)(((1u << l1) - 1) & ~((1u << l0) - 1)) : 0;
                d->src[s] = s * ldd + oh * g->ow_n - j0 + iw0 + shift;
            }
        }
    }
    int64_t ihFirst = ohFirst - g->ph, ihLast = ohLast - g->ph + (kh - 1) * g->dh;
    if (ihFirst < 0) ihFirst = 0;
    if (ihLast > H - 1) ihLast = H - 1;
    // Rows outer, channels inner: consecutive read-modify-writes touch different planes, so a
    // row's load never waits on the (masked, unforwardable) store of the overlapping row above.
    // The (offset, lanes) list of the taps landing in a chunk is the same for every channel.
    enum { MAXLIST = 64 };
    for (int64_t ih = ihFirst; ih <= ihLast; ih++) {
        for (int64_t q = 0; q < chunks; q++) {
            int64_t off[MAXLIST];
            __mmask16 msk[MAXLIST];
            int nt = 0, overflow = 0;
            for (int64_t r = 0; r < kh; r++) {
                const int64_t i = ih + g->ph - r * g->dh - ohFirst;   // panel row oh − ohFirst
                if (i < 0 || i >= rows || q < qlo[i] || q >= qhi[i]) continue;
                const chunk_taps *d = &desc[i * chunks + q];
                for (int64_t s = 0; s < kw; s++) {
                    if (!d->smask[s]) continue;
                    if (nt == MAXLIST) { overflow = 1; break; }
                    off[nt] = r * kw * ldd + d->src[s];
                    msk[nt++] = d->smask[s];
                }
            }
            if (nt == 0) continue;
            const int64_t iw0 = 16 * q, n = W - iw0 < 16 ? W - iw0 : 16;
            const __mmask16 dmask = (__mmask16)((1u << n) - 1);
            float *dst = image + ih * W + iw0;
            const float *colc = dcol;
            if (overflow) {   // very large kernels: walk the descriptors directly
                for (int64_t c = 0; c < g->channels; c++, dst += HW, colc += kh * kw * ldd) {
                    __m512 acc = _mm512_maskz_loadu_ps(dmask, dst);
                    for (int64_t r = 0; r < kh; r++) {
                        const int64_t i = ih + g->ph - r * g->dh - ohFirst;
                        if (i < 0 || i >= rows || q < qlo[i] || q >= qhi[i]) continue;
                        const chunk_taps *d = &desc[i * chunks + q];
                        for (int64_t s = 0; s < kw; s++)
                            acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(d->smask[s], colc + r * kw * ldd + d->src[s]));
                    }
                    _mm512_mask_storeu_ps(dst, dmask, acc);
                }
                continue;
            }
            const int64_t cstride = kh * kw * ldd;
            int64_t c = 0;
            for (; c + 2 <= g->channels; c += 2, dst += 2 * HW, colc += 2 * cstride) {   // two channels in flight
                __m512 a0 = _mm512_setzero_ps(), a1 = a0, b0 = a0, b1 = a0;
                int t = 0;
                for (; t + 2 <= nt; t += 2) {
                    a0 = _mm512_add_ps(a0, _mm512_maskz_loadu_ps(msk[t], colc + off[t]));
                    b0 = _mm512_add_ps(b0, _mm512_maskz_loadu_ps(msk[t], colc + cstride + off[t]));
                    a1 = _mm512_add_ps(a1, _mm512_maskz_loadu_ps(msk[t + 1], colc + off[t + 1]));
                    b1 = _mm512_add_ps(b1, _mm512_maskz_loadu_ps(msk[t + 1], colc + cstride + off[t + 1]));
                }
                if (t < nt) {
                    a0 = _mm512_add_ps(a0, _mm512_maskz_loadu_ps(msk[t], colc + off[t]));
                    b0 = _mm512_add_ps(b0, _mm512_maskz_loadu_ps(msk[t], colc + cstride + off[t]));
                }
                _mm512_mask_storeu_ps(dst, dmask, _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_maskz_loadu_ps(dmask, dst)));
                _mm512_mask_storeu_ps(dst + HW, dmask,
                                      _mm512_add_ps(_mm512_add_ps(b0, b1), _mm512_maskz_loadu_ps(dmask, dst + HW)));
            }
            if (c < g->channels) {
                __m512 a0 = _mm512_setzero_ps(), a1 = a0;
                int t = 0;
                for (; t + 2 <= nt; t += 2) {
                    a0 = _mm512_add_ps(a0, _mm512_maskz_loadu_ps(msk[t], colc + off[t]));
                    a1 = _mm512_add_ps(a1, _mm512_maskz_loadu_ps(msk[t + 1], colc + off[t + 1]));
                }
                if (t < nt) a0 = _mm512_add_ps(a0, _mm512_maskz_loadu_ps(msk[t], colc + off[t]));
                _mm512_mask_storeu_ps(dst, dmask, _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_maskz_loadu_ps(dmask, dst)));
            }
        }
    }
}
#else
void hone_conv_pack_b_avx512(const float *image, const hone_conv_shape *g, const hone_conv_panel *pl,
                             int64_t p0, int64_t kc, float *dst, int64_t ldd) {
    (void)image; (void)g; (void)pl; (void)p0; (void)kc; (void)dst; (void)ldd;
    __builtin_trap();   // only called when hone_detect_isa() reports AVX-512
}
void hone_conv_col2im_panel_avx512(const float *dcol, int64_t ldd, const hone_conv_shape *g,
                                   const hone_conv_panel *pl, float *image) {
    (void)dcol; (void)ldd; (void)g; (void)pl; (void)image;
    __builtin_trap();
}
#endif

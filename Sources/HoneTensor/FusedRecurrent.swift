import HoneCompute
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Whole-sequence LSTM and GRU recurrences as single autodiff ops (the cuDNN approach): the
/// caller computes every timestep's input projection with one GEMM; here each step costs one
/// recurrent GEMM plus fused gate math, and the backward (back-propagation through time) runs
/// one GEMM per step for ∂h and a single GEMM over all steps for ∂W_hh. Initial states are zero.
extension Tensor {
    @inline(__always) static func sigmoidScalar(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

    /// Batch rows per parallel chunk of gate math (about 4K transcendental-heavy elements).
    static func rowChunk(_ hidden: Int) -> Int { Swift.max(1, 4096 / Swift.max(hidden, 1)) }

    /// LSTM over a sequence (PyTorch `nn.LSTM` equations, gate order i|f|g|o, FIELD-GUIDE §1.4):
    /// `inputGates` [T, B, 4H] holds W_ih·xₜ + b_ih + b_hh; `recurrentWeight` is W_hh [4H, H].
    /// Per step, a = inputGatesₜ + W_hh·hₜ₋₁; i, f, o = σ(a…), g = tanh(a…); cₜ = f⊙cₜ₋₁ + i⊙g;
    /// hₜ = o⊙tanh(cₜ). Returns every hₜ as [T, B, H] (h₀ = c₀ = 0).
    ///
    /// ```swift
    /// let xg = Tensor.linear(xTimeMajor, weight: wIH, bias: bIH + bHH)        // [T, B, 4H]
    /// let hs = Tensor.lstmSequence(inputGates: xg, recurrentWeight: wHH)      // [T, B, H]
    /// ```
    public static func lstmSequence(inputGates: Tensor, recurrentWeight: Tensor) -> Tensor {
        precondition(inputGates.rank == 3 && recurrentWeight.rank == 2 && recurrentWeight.shape[0] == 4 * recurrentWeight.shape[1]
                     && inputGates.shape[2] == recurrentWeight.shape[0],
                     "lstmSequence: inputGates \(inputGates.shape) and recurrentWeight \(recurrentWeight.shape) are incompatible (need [T, B, 4H] and [4H, H])")
        let t = inputGates.shape[0], b = inputGates.shape[1], h = recurrentWeight.shape[1], g4 = 4 * h
        let xc = inputGates.contiguousData(), wc = recurrentWeight.contiguousData()
        // acts: gate activations i|f|g|o per step; cells: cₜ per step.
        let acts = Tensor(uninitializedShape: [t, b, g4]), cells = Tensor(uninitializedShape: [t, b, h])
        var out = Tensor(uninitializedShape: [t, b, h])
        let pa = acts.base, pc = cells.base, ph = out.base
        withExtendedLifetime((xc, wc)) {
            let px = UnsafePointer(xc.base), pw = UnsafePointer(wc.base)
            if t * b * g4 > 0 { pa.update(from: px, count: t * b * g4) }
            for s in 0..<t {
                let a = pa + s * b * g4
                if s > 0 && h > 0 {
                    sgemm(transA: false, transB: true, m: b, n: g4, k: h, alpha: 1, a: ph + (s - 1) * b * h, lda: h,
                          b: pw, ldb: h, beta: 1, c: a, ldc: g4)
                }
                let cPrev: UnsafeMutablePointer<Float>? = s > 0 ? pc + (s - 1) * b * h : nil
                let cNow = pc + s * b * h, hNow = ph + s * b * h
                Parallel.forRange(b, minChunk: rowChunk(h)) { rows in
                    for r in rows {
                        let ar = a + r * g4
                        for j in 0..<h {
                            let i = sigmoidScalar(ar[j]), f = sigmoidScalar(ar[h + j])
                            let gg = tanhf(ar[2 * h + j]), o = sigmoidScalar(ar[3 * h + j])
                            ar[j] = i; ar[h + j] = f; ar[2 * h + j] = gg; ar[3 * h + j] = o
                            let c = f * (cPrev?[r * h + j] ?? 0) + i * gg
                            cNow[r * h + j] = c
                            hNow[r * h + j] = o * tanhf(c)
                        }
                    }
                }
            }
        }
        if isRecording(inputGates, recurrentWeight) {
            let wd = wc.detached(), hs = out.detached()
            record("lstmSequence", &out, [inputGates, recurrentWeight]) { grad, needs in
                let gc = grad.contiguousData()
                let dGates = Tensor(uninitializedShape: [t, b, g4])
                let dh = Tensor.zeros([b, h]), dc = Tensor.zeros([b, h])
                var dW: Tensor? = nil
                withExtendedLifetime((gc, wd, hs, acts, cells)) {
                    let pg = UnsafePointer(gc.base), pw = UnsafePointer(wd.base), phs = UnsafePointer(hs.base)
                    let pdg = dGates.base, pdh = dh.base, pdc = dc.base
                    for s in stride(from: t - 1, through: 0, by: -1) {
                        let a = UnsafePointer(pa + s * b * g4), d = pdg + s * b * g4
                        let cNow = UnsafePointer(pc + s * b * h)
                        let cPrev: UnsafePointer<Float>? = s > 0 ? UnsafePointer(pc + (s - 1) * b * h) : nil
                        let gs = pg + s * b * h
                        Parallel.forRange(b, minChunk: rowChunk(h)) { rows in
                            for r in rows {
                                let ar = a + r * g4, dr = d + r * g4
                                for j in 0..<h {
                                    let k = r * h + j
                                    let dhv = pdh[k] + gs[k]
                                    let i = ar[j], f = ar[h + j], gg = ar[2 * h + j], o = ar[3 * h + j]
                                    let tc = tanhf(cNow[k])
                                    let dct = pdc[k] + dhv * o * (1 - tc * tc)
                                    dr[j] = dct * gg * i * (1 - i)
                                    dr[h + j] = dct * (cPrev?[k] ?? 0) * f * (1 - f)
                                    dr[2 * h + j] = dct * i * (1 - gg * gg)
                                    dr[3 * h + j] = dhv * tc * o * (1 - o)
                                    pdc[k] = dct * f
                                }
                            }
                        }
                        if s > 0 && h > 0 {
                            sgemm(transA: false, transB: false, m: b, n: h, k: g4, alpha: 1, a: d, lda: g4,
                                  b: pw, ldb: h, beta: 0, c: pdh, ldc: h)
                        }
                    }
                    if needs[1] {
                        let w = Tensor.zeros([g4, h])
                        if t > 1 && b > 0 && h > 0 {
                            sgemm(transA: true, transB: false, m: g4, n: h, k: (t - 1) * b, alpha: 1,
                                  a: pdg + b * g4, lda: g4, b: phs, ldb: h, beta: 0, c: w.base, ldc: h)
                        }
                        dW = w
                    }
                }
                return [needs[0] ? dGates : nil, dW]
            }
        }
        return out
    }

    /// GRU over a sequence (PyTorch `nn.GRU` equations, gate order r|z|n, FIELD-GUIDE §1.4):
    /// `inputGates` [T, B, 3H] holds W_ih·xₜ + b_ih; `recurrentWeight` W_hh [3H, H] and
    /// `recurrentBias` b_hh [3H]. Per step, with u = W_hh·hₜ₋₁ + b_hh: r = σ(xᵣ + uᵣ),
    /// z = σ(x_z + u_z), n = tanh(xₙ + r⊙uₙ), hₜ = (1 − z)⊙n + z⊙hₜ₋₁. Returns [T, B, H] (h₀ = 0).
    ///
    /// ```swift
    /// let hs = Tensor.gruSequence(inputGates: xg, recurrentWeight: wHH, recurrentBias: bHH)
    /// ```
    public static func gruSequence(inputGates: Tensor, recurrentWeight: Tensor, recurrentBias: Tensor) -> Tensor {
        precondition(inputGates.rank == 3 && recurrentWeight.rank == 2 && recurrentWeight.shape[0] == 3 * recurrentWeight.shape[1]
                     && inputGates.shape[2] == recurrentWeight.shape[0] && recurrentBias.shape == [recurrentWeight.shape[0]],
                     "gruSequence: inputGates \(inputGates.shape), recurrentWeight \(recurrentWeight.shape) and recurrentBias \(recurrentBias.shape) are incompatible (need [T, B, 3H], [3H, H], [3H])")
        let t = inputGates.shape[0], b = inputGates.shape[1], h = recurrentWeight.shape[1], g3 = 3 * h
        let xc = inputGates.contiguousData(), wc = recurrentWeight.contiguousData(), bc = recurrentBias.contiguousData()
        // acts: r|z|n per step; hiddenN: uₙ = (W_hh·hₜ₋₁ + b_hh)ₙ per step.
        let acts = Tensor(uninitializedShape: [t, b, g3]), hiddenN = Tensor(uninitializedShape: [t, b, h])
        var out = Tensor(uninitializedShape: [t, b, h])
        let pa = acts.base, pn = hiddenN.base, ph = out.base
        let u = Tensor(uninitializedShape: [b, g3])
        withExtendedLifetime((xc, wc, bc, u)) {
            let px = UnsafePointer(xc.base), pw = UnsafePointer(wc.base), pb = UnsafePointer(bc.base), pu = u.base
            for s in 0..<t {
                for r in 0..<b { (pu + r * g3).update(from: pb, count: g3) }
                if s > 0 && h > 0 {
                    sgemm(transA: false, transB: true, m: b, n: g3, k: h, alpha: 1, a: ph + (s - 1) * b * h, lda: h,
                          b: pw, ldb: h, beta: 1, c: pu, ldc: g3)
                }
                let hPrev: UnsafeMutablePointer<Float>? = s > 0 ? ph + (s - 1) * b * h : nil
                Parallel.forRange(b, minChunk: rowChunk(h)) { rows in
                    for r in rows {
                        let xr = px + (s * b + r) * g3, ur = pu + r * g3, ar = pa + (s * b + r) * g3
                        for j in 0..<h {
                            let rg = sigmoidScalar(xr[j] + ur[j]), z = sigmoidScalar(xr[h + j] + ur[h + j])
                            let un = ur[2 * h + j]
                            let n = tanhf(xr[2 * h + j] + rg * un)
                            ar[j] = rg; ar[h + j] = z; ar[2 * h + j] = n
                            pn[(s * b + r) * h + j] = un
                            ph[(s * b + r) * h + j] = (1 - z) * n + z * (hPrev?[r * h + j] ?? 0)
                        }
                    }
                }
            }
        }
        if isRecording(inputGates, recurrentWeight, recurrentBias) {
            let wd = wc.detached(), hs = out.detached()
            record("gruSequence", &out, [inputGates, recurrentWeight, recurrentBias]) { grad, needs in
                let gc = grad.contiguousData()
                let dX = Tensor(uninitializedShape: [t, b, g3]), dU = Tensor(uninitializedShape: [t, b, g3])
                let dh = Tensor.zeros([b, h]), dhNext = Tensor(uninitializedShape: [b, h])
                var dW: Tensor? = nil, dB: Tensor? = nil
                withExtendedLifetime((gc, wd, hs, acts, hiddenN)) {
                    let pg = UnsafePointer(gc.base), pw = UnsafePointer(wd.base), phs = UnsafePointer(hs.base)
                    let pdx = dX.base, pdu = dU.base, pdh = dh.base, pnext = dhNext.base
                    for s in stride(from: t - 1, through: 0, by: -1) {
                        let hPrev: UnsafePointer<Float>? = s > 0 ? phs + (s - 1) * b * h : nil
                        Parallel.forRange(b, minChunk: rowChunk(h)) { rows in
                            for r in rows {
                                let o = (s * b + r) * g3, ar = UnsafePointer(pa + o), dx = pdx + o, du = pdu + o
                                for j in 0..<h {
                                    let k = r * h + j
                                    let dhv = pdh[k] + pg[s * b * h + k]
                                    let rg = ar[j], z = ar[h + j], n = ar[2 * h + j]
                                    let hp = hPrev?[k] ?? 0
                                    let dnPre = dhv * (1 - z) * (1 - n * n)
                                    let dzPre = dhv * (hp - n) * z * (1 - z)
                                    let drPre = dnPre * pn[(s * b + r) * h + j] * rg * (1 - rg)
                                    dx[j] = drPre; dx[h + j] = dzPre; dx[2 * h + j] = dnPre
                                    du[j] = drPre; du[h + j] = dzPre; du[2 * h + j] = dnPre * rg
                                    pnext[k] = dhv * z
                                }
                            }
                        }
                        if s > 0 && h > 0 {
                            sgemm(transA: false, transB: false, m: b, n: h, k: g3, alpha: 1, a: pdu + s * b * g3, lda: g3,
                                  b: pw, ldb: h, beta: 1, c: pnext, ldc: h)
                        }
                        pdh.update(from: pnext, count: b * h)
                    }
                    if needs[1] {
                        let w = Tensor.zeros([g3, h])
                        if t > 1 && b > 0 && h > 0 {
                            sgemm(transA: true, transB: false, m: g3, n: h, k: (t - 1) * b, alpha: 1,
                                  a: pdu + b * g3, lda: g3, b: phs, ldb: h, beta: 0, c: w.base, ldc: h)
                        }
                        dW = w
                    }
                    if needs[2] {
                        var sums = [Double](repeating: 0, count: g3)
                        for row in 0..<(t * b) {
                            let du = pdu + row * g3
                            for j in 0..<g3 { sums[j] += Double(du[j]) }
                        }
                        dB = Tensor(shape: [g3], scalars: sums.map { Float($0) })
                    }
                }
                return [needs[0] ? dX : nil, dW, dB]
            }
        }
        return out
    }
}

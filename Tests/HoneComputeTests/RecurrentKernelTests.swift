import Foundation
import Testing
import HoneCompute
import HoneRandom

private func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

/// Largest |x − y| over two equal-length sequences, also failing on NaN.
private func maxAbsError(_ x: [Float], _ y: [Double]) -> Double {
    zip(x, y).reduce(0.0) { w, p in
        let e = abs(Double(p.0) - p.1)
        return e.isNaN ? .infinity : max(w, e)
    }
}

/// op(A)·op(B) in Double (m×n).
private func product(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transA: Bool, lda: Int, transB: Bool, ldb: Int) -> [Double] {
    var out = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k {
                s += Double(transA ? a[p * lda + i] : a[i * lda + p]) * Double(transB ? b[j * ldb + p] : b[p * ldb + j])
            }
            out[i * n + j] = s
        }
    }
    return out
}

@Test(arguments: isaPaths)
func packedOperandMatchesSGEMMBitwiseAndReference(isa: InstructionSet) {
    // k > 384 and n > 512 exercise several k blocks and column blocks; odd sizes the edges.
    let shapes: [(Int, Int, Int)] = [(1, 1, 1), (5, 37, 3), (60, 512, 128), (68, 128, 512), (13, 600, 401), (25, 33, 7)]
    for (si, (m, n, k)) in shapes.enumerated() {
        for (transA, transB) in [(false, true), (false, false), (true, false), (true, true)] {
            let lda = (transA ? m : k) + 2, ldb = (transB ? k : n) + 1, ldc = n + 3
            let a = randomBuffer((transA ? k : m) * lda, seed: UInt64(si), stream: 1)
            let b = randomBuffer((transB ? n : k) * ldb, seed: UInt64(si), stream: 2)
            let c0 = randomBuffer(m * ldc, seed: UInt64(si), stream: 3)
            for beta: Float in [0, 1] {
                var viaPacked = c0, viaSGEMM = c0
                if beta == 0 { for i in viaPacked.indices where i % 5 == 0 { viaPacked[i] = .nan } }
                let before = viaPacked
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        let packed = PackedGEMMOperand(k: k, n: n, b: bp.baseAddress!, ldb: ldb, transB: transB, isa: isa)
                        viaPacked.withUnsafeMutableBufferPointer { cp in
                            packed.multiply(m: m, transA: transA, alpha: 0.5, a: ap.baseAddress!, lda: lda,
                                            beta: beta, c: cp.baseAddress!, ldc: ldc)
                        }
                        viaSGEMM.withUnsafeMutableBufferPointer { cp in
                            sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: ap.baseAddress!, lda: lda,
                                  b: bp.baseAddress!, ldb: ldb, beta: beta, c: cp.baseAddress!, ldc: ldc, isa: isa)
                        }
                    }
                }
                let ref = product(a, b, m: m, n: n, k: k, transA: transA, lda: lda, transB: transB, ldb: ldb)
                var worst = 0.0, identical = true
                for i in 0..<m {
                    for j in 0..<ldc {
                        let got = viaPacked[i * ldc + j]
                        if j >= n {
                            identical = identical && got.bitPattern == before[i * ldc + j].bitPattern   // padding untouched
                            continue
                        }
                        identical = identical && got.bitPattern == viaSGEMM[i * ldc + j].bitPattern
                        let want = 0.5 * ref[i * n + j] + Double(beta) * Double(c0[i * ldc + j])
                        worst = max(worst, abs(Double(got) - want) / (1 + abs(want)))
                    }
                }
                #expect(identical, "packed vs sgemm [\(isa)] m=\(m) n=\(n) k=\(k) transA=\(transA) transB=\(transB) beta=\(beta)")
                #expect(worst <= 1e-6 * Double(k).squareRoot(), "packed [\(isa)] \(m)×\(n)×\(k) worst \(worst)")
            }
        }
    }
}

/// One LSTM step in Double: returns (acts i|f|g|o, c, h).
private func lstmStep(_ a: [Double], _ cPrev: [Double]?, rows: Int, h: Int) -> ([Double], [Double], [Double]) {
    var acts = a, c = [Double](repeating: 0, count: rows * h), hs = c
    for r in 0..<rows {
        for j in 0..<h {
            let g = 4 * h * r
            let i = sigmoid(a[g + j]), f = sigmoid(a[g + h + j]), gg = tanh(a[g + 2 * h + j]), o = sigmoid(a[g + 3 * h + j])
            acts[g + j] = i; acts[g + h + j] = f; acts[g + 2 * h + j] = gg; acts[g + 3 * h + j] = o
            c[r * h + j] = f * (cPrev?[r * h + j] ?? 0) + i * gg
            hs[r * h + j] = o * tanh(c[r * h + j])
        }
    }
    return (acts, c, hs)
}

@Test(arguments: isaPaths)
func lstmCellMatchesDoubleReference(isa: InstructionSet) {
    for (rows, h) in [(3, 21), (2, 16), (1, 5), (4, 40)] {
        for withState in [false, true] {
            let g4 = 4 * h, ldx = g4 + 3
            let xg = randomBuffer(rows * ldx, seed: 7, stream: 1).map { $0 * 4 }
            let hg = randomBuffer(rows * g4, seed: 7, stream: 2).map { $0 * 3 }
            let cPrev = randomBuffer(rows * h, seed: 7, stream: 3).map { $0 * 2 }
            var pre = [Double](repeating: 0, count: rows * g4)
            for r in 0..<rows { for j in 0..<g4 { pre[r * g4 + j] = Double(xg[r * ldx + j]) + (withState ? Double(hg[r * g4 + j]) : 0) } }
            let (refActs, refC, refH) = lstmStep(pre, withState ? cPrev.map(Double.init) : nil, rows: rows, h: h)
            var acts = hg, c = [Float](repeating: .nan, count: rows * h), hs = c
            RecurrentCell.lstmForward(rows: rows, hidden: h, inputGates: xg, inputStride: ldx, recurrentGates: withState ? hg : nil,
                                      activations: &acts, previousCell: withState ? cPrev : nil, cell: &c, output: &hs, isa: isa)
            #expect(maxAbsError(acts, refActs) < 1e-6, "lstm acts [\(isa)] rows=\(rows) h=\(h)")
            #expect(maxAbsError(c, refC) < 2e-6 && maxAbsError(hs, refH) < 2e-6, "lstm c/h [\(isa)] rows=\(rows) h=\(h)")

            // Backward of one step against the chain rule in Double.
            let dOut = randomBuffer(rows * h, seed: 8, stream: 1), dRec = randomBuffer(rows * h, seed: 8, stream: 2)
            let dc0 = randomBuffer(rows * h, seed: 8, stream: 3)
            var dc = dc0, dg = [Float](repeating: .nan, count: rows * g4)
            RecurrentCell.lstmBackward(rows: rows, hidden: h, activations: acts, cell: c, previousCell: withState ? cPrev : nil,
                                       outputGradient: dOut, recurrentGradient: withState ? dRec : nil, cellGradient: &dc,
                                       gateGradient: &dg, isa: isa)
            var refDG = [Double](repeating: 0, count: rows * g4), refDC = [Double](repeating: 0, count: rows * h)
            for r in 0..<rows {
                for j in 0..<h {
                    let k = r * h + j, gi = r * g4 + j
                    let i = refActs[gi], f = refActs[gi + h], gg = refActs[gi + 2 * h], o = refActs[gi + 3 * h]
                    let dh = Double(dOut[k]) + (withState ? Double(dRec[k]) : 0), tc = tanh(refC[k])
                    let dct = Double(dc0[k]) + dh * o * (1 - tc * tc)
                    refDG[gi] = dct * gg * i * (1 - i)
                    refDG[gi + h] = dct * (withState ? Double(cPrev[k]) : 0) * f * (1 - f)
                    refDG[gi + 2 * h] = dct * i * (1 - gg * gg)
                    refDG[gi + 3 * h] = dh * tc * o * (1 - o)
                    refDC[k] = dct * f
                }
            }
            #expect(maxAbsError(dg, refDG) < 5e-6 && maxAbsError(dc, refDC) < 5e-6, "lstm backward [\(isa)] rows=\(rows) h=\(h)")
        }
    }
}

@Test(arguments: isaPaths)
func gruCellMatchesDoubleReference(isa: InstructionSet) {
    for (rows, h) in [(3, 21), (2, 16), (1, 5), (4, 40)] {
        for withState in [false, true] {
            let g3 = 3 * h, ldx = g3 + 2
            let xg = randomBuffer(rows * ldx, seed: 9, stream: 1).map { $0 * 4 }
            let u = randomBuffer(rows * g3, seed: 9, stream: 2).map { $0 * 3 }
            let bias = randomBuffer(g3, seed: 9, stream: 3)
            let hPrev = randomBuffer(rows * h, seed: 9, stream: 4)
            var acts = [Float](repeating: .nan, count: rows * g3), un = [Float](repeating: .nan, count: rows * h), hs = un
            RecurrentCell.gruForward(rows: rows, hidden: h, inputGates: xg, inputStride: ldx, recurrentGates: withState ? u : nil,
                                     recurrentBias: bias, previousHidden: withState ? hPrev : nil, activations: &acts,
                                     recurrentN: &un, output: &hs, isa: isa)
            var refActs = [Double](repeating: 0, count: rows * g3), refUn = [Double](repeating: 0, count: rows * h), refH = refUn
            for r in 0..<rows {
                for j in 0..<h {
                    let x = { (q: Int) in Double(xg[r * ldx + q * h + j]) }
                    let uu = { (q: Int) in (withState ? Double(u[r * g3 + q * h + j]) : 0) + Double(bias[q * h + j]) }
                    let rg = sigmoid(x(0) + uu(0)), z = sigmoid(x(1) + uu(1)), n = tanh(x(2) + rg * uu(2))
                    refActs[r * g3 + j] = rg; refActs[r * g3 + h + j] = z; refActs[r * g3 + 2 * h + j] = n
                    refUn[r * h + j] = uu(2)
                    refH[r * h + j] = (1 - z) * n + z * (withState ? Double(hPrev[r * h + j]) : 0)
                }
            }
            #expect(maxAbsError(acts, refActs) < 1e-6 && maxAbsError(un, refUn) < 1e-6 && maxAbsError(hs, refH) < 2e-6,
                    "gru forward [\(isa)] rows=\(rows) h=\(h)")

            let dOut = randomBuffer(rows * h, seed: 10, stream: 1), dh0 = randomBuffer(rows * h, seed: 10, stream: 2)
            var dh = dh0, dx = [Float](repeating: .nan, count: rows * g3), du = dx
            RecurrentCell.gruBackward(rows: rows, hidden: h, activations: acts, recurrentN: un, previousHidden: withState ? hPrev : nil,
                                      outputGradient: dOut, hiddenGradient: &dh, inputGradient: &dx, recurrentGradient: &du, isa: isa)
            var refDX = [Double](repeating: 0, count: rows * g3), refDU = refDX, refDH = [Double](repeating: 0, count: rows * h)
            for r in 0..<rows {
                for j in 0..<h {
                    let k = r * h + j, o = r * g3 + j
                    let rg = refActs[o], z = refActs[o + h], n = refActs[o + 2 * h]
                    let d = Double(dh0[k]) + Double(dOut[k]), hp = withState ? Double(hPrev[k]) : 0
                    let dn = d * (1 - z) * (1 - n * n), dz = d * (hp - n) * z * (1 - z), dr = dn * refUn[k] * rg * (1 - rg)
                    refDX[o] = dr; refDX[o + h] = dz; refDX[o + 2 * h] = dn
                    refDU[o] = dr; refDU[o + h] = dz; refDU[o + 2 * h] = dn * rg
                    refDH[k] = d * z
                }
            }
            #expect(maxAbsError(dx, refDX) < 5e-6 && maxAbsError(du, refDU) < 5e-6 && maxAbsError(dh, refDH) < 5e-6,
                    "gru backward [\(isa)] rows=\(rows) h=\(h)")
        }
    }
}

/// Extreme pre-activations saturate the gates without NaN; NaN inputs propagate.
@Test(arguments: isaPaths)
func lstmCellSaturatesAndPropagatesNaN(isa: InstructionSet) {
    let h = 4
    let xg: [Float] = [1e30, -1e30, 200, -200, -1e30, 1e30, -90, 90, 1e30, -1e30, 50, .nan, 1e30, 1e30, -1e30, 3]
    var acts = [Float](repeating: 0, count: 16), c = [Float](repeating: 0, count: h), hs = c
    RecurrentCell.lstmForward(rows: 1, hidden: h, inputGates: xg, inputStride: 16, recurrentGates: nil, activations: &acts,
                              previousCell: nil, cell: &c, output: &hs, isa: isa)
    #expect(acts[0] == 1 && acts[1] >= 0 && acts[1] < 1e-37 && acts[8] == 1 && acts[9] == -1 && acts[11].isNaN)
    #expect(!hs[0].isNaN && !hs[1].isNaN && !hs[2].isNaN && hs[3].isNaN)
}

/// The cell's σ and tanh over a dense grid of arguments (and a sweep of random floats up to
/// ±1e4) stay within 2e-7 absolute of Double: one step with no state makes acts = σ/tanh(xg).
@Test(arguments: isaPaths)
func gateActivationsAccurateOverDenseGrid(isa: InstructionSet) {
    var xs = stride(from: -100.0, through: 100.0, by: 0.000731).map { Float($0) }
    var rng = SeededGenerator(seed: 12)
    xs += (0..<100_000).map { _ in Float(rng.uniform(-1e4, 1e4)) }
    xs += [0, -0.0, 1e-30, -1e-30, .leastNonzeroMagnitude, 0.6249999, 0.625, -0.625, 9, -9, 87, -87, 88.5, -88.5]
    let h = xs.count
    // i and g blocks hold the grid: acts[0..<h] = σ(x), acts[2h..<3h] = tanh(x).
    var xg = [Float](repeating: 0, count: 4 * h)
    for j in 0..<h { xg[j] = xs[j]; xg[2 * h + j] = xs[j] }
    var acts = [Float](repeating: .nan, count: 4 * h), c = [Float](repeating: .nan, count: h), hs = c
    RecurrentCell.lstmForward(rows: 1, hidden: h, inputGates: xg, inputStride: 4 * h, recurrentGates: nil, activations: &acts,
                              previousCell: nil, cell: &c, output: &hs, isa: isa)
    var worstS = 0.0, worstT = 0.0, worstRelSmallT = 0.0
    for j in 0..<h {
        let x = Double(xs[j])
        worstS = max(worstS, abs(Double(acts[j]) - sigmoid(x)))
        worstT = max(worstT, abs(Double(acts[2 * h + j]) - tanh(x)))
        if abs(x) < 0.625 && x != 0 { worstRelSmallT = max(worstRelSmallT, abs(Double(acts[2 * h + j]) / tanh(x) - 1)) }
    }
    #expect(worstS <= 2e-7, "σ [\(isa)] worst absolute error \(worstS)")
    #expect(worstT <= 2e-7, "tanh [\(isa)] worst absolute error \(worstT)")
    #expect(worstRelSmallT <= 2e-7, "tanh [\(isa)] worst relative error below 0.625: \(worstRelSmallT)")
    #expect(acts[2 * h + h - 13] == 0 && acts[2 * h + h - 14] == 0, "tanh(±0) = 0")
}

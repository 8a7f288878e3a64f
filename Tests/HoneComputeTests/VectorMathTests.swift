import Testing
import HoneTestSupport
import Foundation
import HoneCompute
import HoneRandom

/// Inputs spanning the whole float range: random bit patterns, a dense grid, and extremes.
private func wideInputs(seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    var xs: [Float] = (0..<200_000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) }
    xs += stride(from: -110.0, through: 110.0, by: 0.0137).map { Float($0) }
    xs += [0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude, Float.leastNormalMagnitude / 3, .greatestFiniteMagnitude,
           -.greatestFiniteMagnitude, .infinity, -.infinity, .nan, 1, -1, 88.72283, 88.7228394, 88.8,
           -87.3, -103.9, -104, -110, 0.5, 2, 0.70710677, 0.7071068, 1.4142135]
    return xs
}

private func apply(_ f: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, _ xs: [Float]) -> [Float] {
    var ys = [Float](repeating: -7, count: xs.count)
    xs.withUnsafeBufferPointer { xp in ys.withUnsafeMutableBufferPointer { yp in f(xp.baseAddress!, yp.baseAddress!, xs.count) } }
    return ys
}

/// Checks `got` against the Double reference: NaN/inf must match exactly; normal results
/// within `rel` relative; results below the normal range within 2 subnormal ulps.
private func check(_ name: String, _ isa: InstructionSet, _ xs: [Float], _ got: [Float], rel: Double,
                   _ ref: (Double) -> Double) {
    var worst = 0.0, worstX: Float = 0, failures = 0
    for (x, y) in zip(xs, got) {
        let r = ref(Double(x))
        if r.isNaN {
            if !y.isNaN { failures += 1; if failures < 5 { Issue.record("\(name)[\(isa)](\(x)) = \(y), want NaN") } }
            continue
        }
        let rf = Float(r)   // correctly rounded reference in Float (may be ±inf or subnormal)
        if rf.isInfinite || abs(r) < Double(Float.leastNormalMagnitude) {
            let ok = rf.isInfinite ? y == rf : abs(Double(y) - r) <= 2 * Double(Float.leastNonzeroMagnitude)
            if !ok { failures += 1; if failures < 5 { Issue.record("\(name)[\(isa)](\(x)) = \(y), want \(rf)") } }
            continue
        }
        let e = abs(Double(y) - r) / abs(r)
        if !(e <= worst) { worst = e; worstX = x }
    }
    #expect(failures == 0, "\(name)[\(isa)] special-value failures")
    #expect(worst <= rel, "\(name)[\(isa)] worst relative error \(worst) at x=\(worstX)")
}

@Test(arguments: isaPaths)
func expAccurateOverWholeRange(isa: InstructionSet) {
    let xs = wideInputs(seed: 1)
    check("exp", isa, xs, apply({ VectorMath.exp($0, $1, count: $2, isa: isa) }, xs), rel: 2e-7) { Foundation.exp($0) }
}

@Test(arguments: isaPaths)
func logAccurateOverWholeRange(isa: InstructionSet) {
    let xs = wideInputs(seed: 2)
    check("log", isa, xs, apply({ VectorMath.log($0, $1, count: $2, isa: isa) }, xs), rel: 2e-7) { Foundation.log($0) }
}

@Test(arguments: isaPaths)
func tanhSigmoidGeluMatchReference(isa: InstructionSet) {
    let xs = wideInputs(seed: 3)
    check("tanh", isa, xs, apply({ VectorMath.tanh($0, $1, count: $2, isa: isa) }, xs), rel: 3e-7) { Foundation.tanh($0) }
    // sigmoid and gelu: compare on a dense range with an error relative to 1 + |y|.
    let dense = stride(from: -30.0, through: 30.0, by: 0.00731).map { Float($0) } + [.infinity, -.infinity, .nan]
    let sig = apply({ VectorMath.sigmoid($0, $1, count: $2, isa: isa) }, dense)
    let gel = apply({ VectorMath.gelu($0, $1, count: $2, isa: isa) }, dense)
    for (i, x) in dense.enumerated() where x.isFinite {
        let s = 1 / (1 + Foundation.exp(-Double(x)))
        let g = 0.5 * Double(x) * (1 + erf(Double(x) / 2.0.squareRoot()))
        #expect(abs(Double(sig[i]) - s) <= 3e-7 * s + 1e-30, "sigmoid[\(isa)](\(x)) = \(sig[i]) want \(s)")
        #expect(abs(Double(gel[i]) - g) <= 4e-7 * (1 + abs(g)), "gelu[\(isa)](\(x)) = \(gel[i]) want \(g)")
    }
    #expect(sig[dense.count - 3] == 1 && sig[dense.count - 2] == 0 && sig[dense.count - 1].isNaN)
    #expect(gel[dense.count - 3] == .infinity && gel[dense.count - 1].isNaN)
}

/// ReLU is exact: x where x > 0, else +0, bit for bit over random bit patterns, NaN, ±0 and ±inf,
/// every length's tail.
@Test(arguments: isaPaths)
func reluExactOverWholeRange(isa: InstructionSet) {
    let xs = wideInputs(seed: 4)
    let ys = apply({ VectorMath.relu($0, $1, count: $2, isa: isa) }, xs)
    #expect(zip(xs, ys).allSatisfy { x, y in y.bitPattern == (x > 0 ? x : 0).bitPattern })
    for n in 0..<40 {
        let part = Array(xs[100..<(100 + n)])
        #expect(apply({ VectorMath.relu($0, $1, count: $2, isa: isa) }, part) == part.map { $0 > 0 ? $0 : 0 })
    }
}

@Test func elementwiseInPlaceAndThreadedMatchSerial() {
    let xs = (0..<300_001).map { Float($0 % 1000) * 0.01 - 5 }
    let one = withThreadCount(1) { apply({ VectorMath.exp($0, $1, count: $2) }, xs) }
    let three = withThreadCount(3) { apply({ VectorMath.exp($0, $1, count: $2) }, xs) }
    var inPlace = xs
    inPlace.withUnsafeMutableBufferPointer { p in VectorMath.exp(p.baseAddress!, p.baseAddress!, count: p.count) }
    #expect(one == three)
    #expect(one == inPlace)
    var sum = [Float](repeating: 0, count: xs.count)
    VectorMath.add(xs, one, &sum, count: xs.count)
    #expect((0..<xs.count).allSatisfy { sum[$0] == xs[$0] + one[$0] })
}

@Test(arguments: isaPaths)
func softmaxRowsStableAndAccurate(isa: InstructionSet) {
    var rng = SeededGenerator(seed: 9)
    // Rows up to 4096 floats take the three-pass in-L1 path, longer ones the online one.
    for cols in [1, 3, 10, 16, 17, 63, 64, 65, 1000, 4095, 4096, 4097, 5000] {
        let rows = 7
        var x = (0..<(rows * cols)).map { _ in Float(rng.uniform(-20, 20)) }
        x[0] = 1e30                       // huge logit: must not overflow
        if cols > 2 { x[cols + 1] = -.infinity }   // −inf logit gets probability 0
        if cols > 3 { for j in 0..<cols { x[2 * cols + j] = 5000 + Float(j) } }
        var p = [Float](repeating: .nan, count: x.count), lp = p
        VectorMath.softmaxRows(x, &p, rows: rows, cols: cols, isa: isa)
        VectorMath.logSoftmaxRows(x, &lp, rows: rows, cols: cols, isa: isa)
        for r in 0..<rows {
            let row = x[(r * cols)..<((r + 1) * cols)].map(Double.init)
            let m = row.max()!
            let s = row.reduce(0) { $0 + Foundation.exp($1 - m) }
            for j in 0..<cols {
                let want = Foundation.exp(row[j] - m) / s
                let wantLog = row[j] - m - Foundation.log(s)
                let got = Double(p[r * cols + j]), gotLog = Double(lp[r * cols + j])
                // Float rounding of x − max alone perturbs the exponent by ~6e-8·|x − max|.
                let tol = (want > 0 ? want * 1e-7 * (8 + abs(row[j] - m)) : 0) + 1e-38
                #expect(abs(got - want) <= tol, "softmax[\(isa)] cols=\(cols) (\(r),\(j)) \(got) want \(want)")
                if wantLog.isInfinite {
                    #expect(gotLog == wantLog)
                } else {
                    #expect(abs(gotLog - wantLog) <= 2e-7 * (4 + abs(wantLog)), "logSoftmax[\(isa)] cols=\(cols) \(gotLog) want \(wantLog)")
                }
            }
        }
    }
}

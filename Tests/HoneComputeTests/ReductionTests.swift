import Testing
import HoneCompute

@Suite struct ReductionTests {
    /// Every length 0–200 and a few long ones (every tail and block boundary), on every path:
    /// sums within a Double reference's rounding bound, max / min exact.
    @Test func rowMatchesDoubleReferenceOnEveryPath() {
        let lengths = Array(0...200) + [1023, 1024, 1025, 4099, 100_003]
        for isa in isaPaths {
            for (t, n) in lengths.enumerated() {
                let xs = randomBuffer(n, seed: UInt64(t))
                let exact = xs.reduce(0.0) { $0 + Double($1) }
                let absSum = xs.reduce(0.0) { $0 + abs(Double($1)) }
                xs.withUnsafeBufferPointer { p in
                    let base = p.baseAddress ?? UnsafePointer(bitPattern: 16)!
                    let s = Reduction.sum.row(base, count: n, isa: isa)
                    // |error| ≤ (depth + 2)·u·Σ|x| for any summation tree of depth ≤ n.
                    #expect(abs(Double(s) - exact) <= Double(min(n, 64) + 2) * 0x1p-24 * absSum + 1e-30,
                            "sum n=\(n) isa=\(isa): \(s) vs \(exact)")
                    #expect(Reduction.max.row(base, count: n, isa: isa) == (xs.max() ?? -.infinity), "max n=\(n) \(isa)")
                    #expect(Reduction.min.row(base, count: n, isa: isa) == (xs.min() ?? .infinity), "min n=\(n) \(isa)")
                }
            }
        }
    }

    /// A NaN anywhere (vector body, block remainder, tail) makes max and min NaN, as in PyTorch;
    /// infinities are ordinary values.
    @Test func maxAndMinPropagateNaN() {
        for isa in isaPaths {
            for n in [1, 7, 16, 63, 64, 65, 130] {
                for at in Set([0, n / 2, n - 1]) {
                    var xs = randomBuffer(n, seed: 9)
                    xs[at] = .nan
                    xs.withUnsafeBufferPointer { p in
                        #expect(Reduction.max.row(p.baseAddress!, count: n, isa: isa).isNaN, "max n=\(n) at=\(at) \(isa)")
                        #expect(Reduction.min.row(p.baseAddress!, count: n, isa: isa).isNaN, "min n=\(n) at=\(at) \(isa)")
                        #expect(Reduction.sum.row(p.baseAddress!, count: n, isa: isa).isNaN, "sum n=\(n) at=\(at) \(isa)")
                    }
                    xs[at] = .infinity
                    xs.withUnsafeBufferPointer { p in
                        #expect(Reduction.max.row(p.baseAddress!, count: n, isa: isa) == .infinity)
                    }
                }
            }
        }
    }

    /// Columns reduce top to bottom: bitwise equal to a sequential Float loop on every path, for
    /// widths around the vector and block sizes and a row stride wider than the columns.
    @Test func columnsAreSequentialAndBitwiseEqualOnEveryPath() {
        for (rows, cols) in [(1, 5), (3, 1), (7, 16), (5, 63), (33, 64), (9, 65), (128, 257), (2, 1000)] {
            let stride = cols + 3
            let xs = randomBuffer(rows * stride, seed: UInt64(rows * 1000 + cols))
            for op in [Reduction.sum, .max, .min] {
                var want = [Float](repeating: 0, count: cols)
                for c in 0..<cols {
                    var a = xs[c]
                    for r in 1..<rows {
                        let v = xs[r * stride + c]
                        switch op {
                        case .sum: a += v
                        case .max: a = v > a ? v : a
                        case .min: a = v < a ? v : a
                        }
                    }
                    want[c] = a
                }
                for isa in isaPaths {
                    var got = [Float](repeating: .nan, count: cols)
                    xs.withUnsafeBufferPointer { p in
                        got.withUnsafeMutableBufferPointer { g in
                            op.columns(p.baseAddress!, into: g.baseAddress!, rows: rows, cols: cols, rowStride: stride, isa: isa)
                        }
                    }
                    #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "\(op) \(rows)x\(cols) \(isa)")
                }
            }
        }
    }
}

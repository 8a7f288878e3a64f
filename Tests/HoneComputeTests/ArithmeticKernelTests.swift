import Testing
import HoneCompute

@Suite struct ArithmeticKernelTests {
    /// +, −, ×, ÷ with vector and scalar operands, every length to 70 (every tail) and in place,
    /// bitwise equal to the scalar Float operation on every path.
    @Test func bitwiseEqualToScalarOperationsOnEveryPath() {
        let a = randomBuffer(70, seed: 1), b = randomBuffer(70, seed: 2).map { $0 == 0 ? 0.5 : $0 }
        let ops: [(Arithmetic, (Float, Float) -> Float)] = [(.add, +), (.subtract, -), (.multiply, *), (.divide, /)]
        for isa in isaPaths {
            for (op, scalar) in ops {
                for n in 0...70 {
                    for (sa, sb) in [(1, 1), (1, 0), (0, 1)] {
                        let want = (0..<n).map { scalar(a[$0 * sa], b[$0 * sb]) }
                        var got = [Float](repeating: .nan, count: n)
                        a.withUnsafeBufferPointer { pa in
                            b.withUnsafeBufferPointer { pb in
                                got.withUnsafeMutableBufferPointer { g in
                                    op.apply(pa.baseAddress!, stride: sa, pb.baseAddress!, stride: sb, into: g.baseAddress!,
                                             count: n, isa: isa)
                                }
                            }
                        }
                        #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "\(op) n=\(n) strides \(sa),\(sb) \(isa)")
                    }
                }
                var inPlace = Array(a)
                inPlace.withUnsafeMutableBufferPointer { p in
                    b.withUnsafeBufferPointer { pb in
                        op.apply(UnsafePointer(p.baseAddress!), stride: 1, pb.baseAddress!, stride: 1, into: p.baseAddress!,
                                 count: 70, isa: isa)
                    }
                }
                #expect(inPlace.map(\.bitPattern) == zip(a, b).map { scalar($0, $1).bitPattern }, "\(op) in place \(isa)")
            }
        }
    }
}

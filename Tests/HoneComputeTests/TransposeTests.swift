import Testing
import HoneCompute

@Suite struct TransposeTests {
    /// Every path against the index definition, for shapes around the 16 × 16 block and 32 × 32
    /// tile sizes, padded row strides on both sides, and a source stride of 0 (one repeated row).
    @Test func matchesDefinitionOnEveryPath() {
        let shapes = [(1, 1), (15, 17), (16, 16), (17, 33), (32, 48), (64, 7), (100, 129), (256, 128)]
        for (rows, cols) in shapes {
            for (ls, ld) in [(rows, cols), (rows + 5, cols + 3)] {
                let s = randomBuffer(cols * ls, seed: UInt64(rows * 7 + cols))
                for isa in isaPaths {
                    var d = [Float](repeating: .nan, count: rows * ld)
                    s.withUnsafeBufferPointer { sp in
                        d.withUnsafeMutableBufferPointer { dp in
                            Transpose.copy(sp.baseAddress!, rowStride: ls, into: dp.baseAddress!, rowStride: ld,
                                           rows: rows, cols: cols, isa: isa)
                        }
                    }
                    var ok = true
                    for r in 0..<rows {
                        for c in 0..<cols where d[r * ld + c].bitPattern != s[c * ls + r].bitPattern { ok = false }
                        for c in cols..<ld where !d[r * ld + c].isNaN { ok = false }   // padding untouched
                    }
                    #expect(ok, "\(rows)×\(cols) strides \(ls), \(ld) on \(isa)")
                }
            }
        }
        let row = randomBuffer(40, seed: 3)
        var d = [Float](repeating: 0, count: 40 * 20)
        row.withUnsafeBufferPointer { sp in
            d.withUnsafeMutableBufferPointer { dp in
                Transpose.copy(sp.baseAddress!, rowStride: 0, into: dp.baseAddress!, rowStride: 20, rows: 40, cols: 20)
            }
        }
        #expect((0..<40).allSatisfy { r in (0..<20).allSatisfy { d[r * 20 + $0] == row[r] } })
    }
}

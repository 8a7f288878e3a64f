import Testing
import HoneRandom
import HoneTensor

/// Boxed generator so tests can pass one around without `inout` plumbing.
struct SeededGeneratorBox {
    var gen: SeededGenerator
    init(seed: UInt64) { gen = SeededGenerator(seed: seed) }
    mutating func uniform(_ shape: [Int]) -> Tensor { Tensor.uniform(shape: shape, low: -1, high: 1, generator: &gen) }
}

@Suite struct ShapeOpGradientTests {
    @Test func reshapePermuteTranspose() {
        checkGradient(shapes: [[2, 6]], op: { $0[0].reshaped([3, -1]) * 2 }, reference: { D([3, 4], $0[0].data.map { $0 * 2 }) })
        checkGradient(shapes: [[2, 3, 4]], op: { $0[0].permuted([2, 0, 1]) }, reference: { $0[0].permuted([2, 0, 1]) })
        checkGradient(shapes: [[2, 3, 4]], op: { $0[0].transposed(0, 2).reshaped([-1]) },
                      reference: { let p = $0[0].permuted([2, 1, 0]); return D([24], p.data) })
        checkGradient(shapes: [[2, 3, 4]], op: { $0[0].flattened() }, reference: { D([2, 12], $0[0].data) })
    }

    @Test func sliceSelectSqueeze() {
        checkGradient(shapes: [[5, 4]], op: { $0[0].slice(axis: 0, 1..<5, step: 2) }, reference: { x in
            D([2, 4], (0..<8).map { x[0].data[(1 + 2 * ($0 / 4)) * 4 + $0 % 4] })
        })
        checkGradient(shapes: [[3, 4]], op: { $0[0].select(axis: 1, index: 2) }, reference: { x in
            D([3], (0..<3).map { x[0].data[$0 * 4 + 2] })
        })
        checkGradient(shapes: [[3, 4]], op: { $0[0][1..<3] }, reference: { D([2, 4], Array($0[0].data[4...])) })
        checkGradient(shapes: [[3, 1]], op: { $0[0].squeezed(axis: 1).unsqueezed(axis: 0) }, reference: { D([1, 3], $0[0].data) })
    }

    @Test func expandAndContiguous() {
        checkGradient(shapes: [[3, 1]], op: { $0[0].expanded(to: [2, 3, 4]) }, reference: { x in
            D.zip(x[0], D([2, 3, 4], Array(repeating: 0, count: 24)), +)
        })
        checkGradient(shapes: [[3, 4]], op: { $0[0].transposed().contiguous() }, reference: { $0[0].permuted([1, 0]) })
    }

    @Test func concatStackSplit() {
        checkGradient(shapes: [[2, 3], [4, 3]], op: { Tensor.concat($0, axis: 0) }, reference: { x in
            D([6, 3], x[0].data + x[1].data)
        })
        checkGradient(shapes: [[2, 3], [2, 1]], op: { Tensor.concat($0, axis: 1) }, reference: { x in
            D([2, 4], [x[0].data[0], x[0].data[1], x[0].data[2], x[1].data[0], x[0].data[3], x[0].data[4], x[0].data[5], x[1].data[1]])
        })
        checkGradient(shapes: [[2, 3], [2, 3]], op: { Tensor.stack($0, axis: 1) }, reference: { x in
            D([2, 2, 3], Array(x[0].data[0..<3] + x[1].data[0..<3] + x[0].data[3..<6] + x[1].data[3..<6]))
        })
        checkGradient(shapes: [[2, 5]], op: { x in
            let p = x[0].split(sizes: [2, 3], axis: 1)
            return p[1].sum(axis: 1) * 2 + p[0].sum(axis: 1)
        }, reference: { x in
            D([2], (0..<2).map { r in
                let row = Array(x[0].data[(r * 5)..<(r * 5 + 5)])
                return row[0] + row[1] + 2 * (row[2] + row[3] + row[4])
            })
        })
    }

    @Test func gatherAndIndexSelect() {
        let idx = [2, 0, 2, 1]
        checkGradient(shapes: [[3, 2]], op: { $0[0].indexSelect(axis: 0, indices: idx) }, reference: { x in
            D([4, 2], idx.flatMap { [x[0].data[$0 * 2], x[0].data[$0 * 2 + 1]] })
        })
        checkGradient(shapes: [[2, 3]], op: { $0[0].indexSelect(axis: 1, indices: [1, 1]) }, reference: { x in
            D([2, 2], [x[0].data[1], x[0].data[1], x[0].data[4], x[0].data[4]])
        })
        let gi = [2, 0, 1, 1]   // [2, 2] indices along axis 1 of [2, 3]
        checkGradient(shapes: [[2, 3]], op: { $0[0].gather(axis: 1, indices: gi) }, reference: { x in
            D([2, 2], [x[0].data[2], x[0].data[0], x[0].data[4], x[0].data[4]])
        })
    }
}

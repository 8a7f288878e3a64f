import Testing
import HoneTensor

@Suite struct ReductionGradientTests {
    static let cases: [(shape: [Int], axes: [Int], keep: Bool)] = [
        ([3, 4], [1], false), ([3, 4], [0], true), ([2, 3, 4], [0, 2], false), ([2, 3, 4], [1], true),
        ([2, 3, 4], [0, 1, 2], false), ([2, 3, 4], [-1], false),
    ]

    @Test(arguments: cases.indices) func sumAndMean(_ i: Int) {
        let c = Self.cases[i]
        checkGradient(shapes: [c.shape], op: { $0[0].sum(axes: c.axes, keepDims: c.keep) },
                      reference: { $0[0].sum(c.axes, keepDims: c.keep) })
        let n = Double(c.axes.map { c.shape[$0 < 0 ? $0 + c.shape.count : $0] }.reduce(1, *))
        checkGradient(shapes: [c.shape], op: { $0[0].mean(axes: c.axes, keepDims: c.keep) },
                      reference: { $0[0].sum(c.axes, keepDims: c.keep).map { $0 / n } })
    }

    @Test(arguments: cases.indices) func maxAndMin(_ i: Int) {
        let c = Self.cases[i]
        checkGradient(shapes: [c.shape], op: { $0[0].max(axes: c.axes, keepDims: c.keep) },
                      reference: { $0[0].reduce(c.axes, keepDims: c.keep, initial: -Double.infinity) { (a: Double, b: Double) -> Double in Swift.max(a, b) } })
        checkGradient(shapes: [c.shape], op: { $0[0].min(axes: c.axes, keepDims: c.keep) },
                      reference: { $0[0].reduce(c.axes, keepDims: c.keep, initial: Double.infinity) { (a: Double, b: Double) -> Double in Swift.min(a, b) } })
    }

    @Test(arguments: [false, true]) func variance(_ unbiased: Bool) {
        for c in Self.cases {
            let n = Double(c.axes.map { c.shape[$0 < 0 ? $0 + c.shape.count : $0] }.reduce(1, *))
            checkGradient(shapes: [c.shape], op: { $0[0].variance(axes: c.axes, keepDims: c.keep, unbiased: unbiased) },
                          reference: { x in
                              let m = x[0].sum(c.axes, keepDims: true).map { $0 / n }
                              let d = x[0] - m
                              return (d * d).sum(c.axes, keepDims: c.keep).map { $0 / (n - (unbiased ? 1 : 0)) }
                          })
        }
    }

    @Test func wholeTensor() {
        checkGradient(shapes: [[3, 5]], op: { $0[0].sum() }, reference: { $0[0].sum([0, 1]) })
        checkGradient(shapes: [[3, 5]], op: { $0[0].max() }, reference: {
            $0[0].reduce([0, 1], keepDims: false, initial: -Double.infinity) { (a: Double, b: Double) -> Double in Swift.max(a, b) }
        })
    }

    @Test func values() {
        let x = Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
        #expect(x.sum().scalar == 21)
        #expect(x.sum(axis: 0).scalars == [5, 7, 9])
        #expect(x.sum(axis: 1, keepDims: true).shape == [2, 1])
        #expect(x.mean(axis: 1).scalars == [3, 4])
        #expect(x.max(axis: 1).scalars == [5, 6])
        #expect(x.min(axis: 0).scalars == [1, 2, 3])
        #expect(x.argmax(axis: 1) == [1, 2])
        #expect(x.argmax(axis: 0) == [1, 0, 1])
        expectClose(x.variance(axis: 1).scalars, [8.0 / 3, 8.0 / 3])
        expectClose(x.variance(axis: 1, unbiased: true).scalars, [4, 4])
        // Large sums are accurate (8-wide partial sums, parallel blocks combined in order).
        let big = Tensor.ones([1 << 20])
        #expect(big.sum().scalar == Float(1 << 20))
        #expect(Tensor.ones([3, 1 << 16]).sum(axis: 1).scalars == [65536, 65536, 65536])
    }

    @Test func maxGradientSplitsTies() {
        let x = Tensor([1, 3, 3]).requiringGrad()
        x.max().backward()
        #expect(x.grad!.scalars == [0, 0.5, 0.5])
    }
}

import Testing
import HoneTensor

@Suite struct SemanticsTests {
    @Test func copyOnWrite() {
        var a = Tensor([1, 2, 3])
        let b = a
        a += 1
        #expect(a.scalars == [2, 3, 4])
        #expect(b.scalars == [1, 2, 3])
        // Mutating a view's source does not change the view (value semantics).
        var m = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let row = m[0]
        m *= 10
        #expect(row.scalars == [1, 2])
        #expect(m.scalars == [10, 20, 30, 40])
    }

    @Test func viewsDoNotCopyAndReadCorrectly() {
        let m = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let t = m.transposed()
        #expect(t.shape == [3, 2] && !t.isContiguous && t.strides == [1, 3])
        #expect(t.scalars == [1, 4, 2, 5, 3, 6])
        #expect(t.contiguous().isContiguous)
        #expect(m.reshaped([3, 2]).scalars == [1, 2, 3, 4, 5, 6])
        #expect(t.reshaped([6]).scalars == [1, 4, 2, 5, 3, 6])
        #expect(m.slice(axis: 1, 0..<3, step: 2).scalars == [1, 3, 4, 6])
        #expect(m.select(axis: 1, index: 1).scalars == [2, 5])
        #expect(m[1].scalars == [4, 5, 6])
        let e = Tensor([1, 2, 3]).expanded(to: [2, 3])
        #expect(e.strides == [0, 1] && e.scalars == [1, 2, 3, 1, 2, 3])
        #expect(m.permuted([1, 0]).scalars == t.scalars)
        #expect(Tensor.zeros([2, 3, 4]).flattened().shape == [2, 12])
        #expect(Tensor([1, 2]).unsqueezed(axis: -1).shape == [2, 1])
    }

    @Test func broadcastingRules() {
        let a = Tensor(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [4, 1], scalars: [10, 20, 30, 40])
        let c = a + b
        #expect(c.shape == [2, 4, 3])
        #expect(c.element(at: [1, 2, 0]) == 34)
        #expect((Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]) * Tensor([1, 0, -1])).scalars == [1, 0, -3, 4, 0, -6])
        #expect((Tensor(2) - Tensor([1, 2])).scalars == [1, 0])
        // Ops on non-contiguous views broadcast too.
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).transposed()   // [3, 2]
        #expect((t + Tensor([100, 200])).scalars == [101, 204, 102, 205, 103, 206])
    }

    @Test func comparisonsWhereAndClamp() {
        let x = Tensor([-1, 0, 2])
        #expect((x .> 0).scalars == [0, 0, 1])
        #expect((x .>= 0).scalars == [0, 1, 1])
        #expect((x .< 0).scalars == [1, 0, 0])
        #expect((x .<= 0).scalars == [1, 1, 0])
        #expect((x .== 0).scalars == [0, 1, 0])
        #expect((x .!= 0).scalars == [1, 0, 1])
        #expect(Tensor.where(x .> 0, x, Tensor(-5)).scalars == [-5, -5, 2])
        #expect(x.clamped(min: -0.5, max: 1).scalars == [-0.5, 0, 1])
    }

    @Test func softmaxIsStableWithHugeLogits() {
        let x = Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, -1000, -1000, -1000])
        let p = x.softmax()
        expectClose(p.scalars, [0.09003057, 0.24472847, 0.66524096, 1.0 / 3, 1.0 / 3, 1.0 / 3])
        let lp = x.logSoftmax()
        expectClose(lp.scalars, [-2.40760596, -1.40760596, -0.40760596, -1.0986123, -1.0986123, -1.0986123])
        #expect(lp.scalars.allSatisfy { $0.isFinite })
        let ce = Tensor.softmaxCrossEntropy(logits: x, labels: [2, 0])
        expectClose([ce.scalar], [(0.40760596 + 1.0986123) / 2])
    }

    @Test func oneHotGatherIndexSelect() {
        #expect(Tensor.oneHot([2, 0] as [Int32], classes: 3).scalars == [0, 0, 1, 1, 0, 0])
        let table = Tensor(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21])
        #expect(table.indexSelect(axis: 0, indices: [2, 2, 0]).scalars == [20, 21, 20, 21, 0, 1])
        #expect(table.gather(axis: 1, indices: [1, 0, 1]).scalars == [1, 10, 21])
    }

    @Test func concatSplitRoundTrip() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), b = Tensor(shape: [2, 1], scalars: [5, 6])
        let c = Tensor.concat([a, b], axis: 1)
        #expect(c.scalars == [1, 2, 5, 3, 4, 6])
        let parts = c.split(sizes: [2, 1], axis: 1)
        #expect(parts[0].scalars == a.scalars && parts[1].scalars == b.scalars)
        #expect(Tensor.stack([a, a]).shape == [2, 2, 2])
        #expect(Tensor.arange(6).split(count: 3).map(\.scalars) == [[0, 1], [2, 3], [4, 5]])
    }

    @Test func largeOpsMatchSmallPath() {
        // Sizes above the parallel threshold exercise the threaded loops.
        var g = SeededGeneratorBox(seed: 11)
        let a = g.uniform([300, 257]), b = g.uniform([257])
        let sum = (a + b).scalars
        let av = a.scalars, bv = b.scalars
        for i in stride(from: 0, to: av.count, by: 997) { #expect(sum[i] == av[i] + bv[i % 257]) }
        let t = a.transposed()
        let tr = (t * 2).scalars
        #expect(tr[1] == 2 * av[257])
        #expect(a.sum(axis: 0).shape == [257])
        expectClose(a.sum(axis: 0).scalars, (0..<257).map { j in (0..<300).reduce(Float(0)) { $0 + av[$1 * 257 + j] } }, tol: 1e-4)
    }

    @Test func poolingSameWithAndWithoutTape() {
        var g = SeededGeneratorBox(seed: 21)
        let x = g.uniform([2, 3, 9, 8])
        for (k, st, p) in [(Size2D(2), Size2D(2), Size2D(0)), (Size2D(3), Size2D(2), Size2D(1)), (Size2D(3, 2), Size2D(1, 3), Size2D(1, 1))] {
            let tracked = x.requiringGrad().maxPool2d(kernel: k, stride: st, padding: p)
            let plain = withoutGradient { x.maxPool2d(kernel: k, stride: st, padding: p) }
            #expect(tracked.scalars == plain.scalars)
            let ref = referencePool(D(x), k: (k.h, k.w), s: (st.h, st.w), p: (p.h, p.w), max: true)
            #expect(plain.scalars == ref.data.map(Float.init))
        }
        let nan = Tensor(shape: [1, 1, 2, 2], scalars: [1, .nan, 3, 2]).maxPool2d(kernel: 2)
        #expect(nan.scalar.isNaN)
    }

    /// max / min over all elements, rows or columns return NaN when a NaN is among the reduced
    /// elements (PyTorch's rule), wherever it sits relative to the vector blocks.
    @Test func maxAndMinPropagateNaNAlongEveryAxis() {
        for at in [0, 37, 99] {
            var values = (0..<100).map { Float($0 % 17) - 8 }
            values[at] = .nan
            let t = Tensor(shape: [100], scalars: values)
            #expect(t.max().scalar.isNaN && t.min().scalar.isNaN, "whole tensor, NaN at \(at)")
            let m = Tensor(shape: [4, 25], scalars: values)
            let row = at / 25, col = at % 25
            let rowMax = m.max(axis: 1).scalars, colMin = m.min(axis: 0).scalars
            for r in 0..<4 { #expect(rowMax[r].isNaN == (r == row), "row \(r), NaN at \(at)") }
            for c in 0..<25 { #expect(colMin[c].isNaN == (c == col), "column \(c), NaN at \(at)") }
        }
    }

    @Test func largeBuffersAreRecycledSafely() {
        // Buffers above the cache threshold are reused; values must never leak between tensors.
        for i in 0..<20 {
            let t = Tensor.full([100_000], Float(i))
            #expect(t.sum().scalar == Float(i) * 100_000)
        }
    }

    @Test(arguments: [[3, 5], [70, 33], [300, 257]]) func transposedCopies(_ shape: [Int]) {
        var g = SeededGeneratorBox(seed: 31)
        let a = g.uniform(shape)
        let v = a.scalars
        let (r, c) = (shape[0], shape[1])
        let expected = (0..<(r * c)).map { i in v[(i % r) * c + i / r] }
        #expect(a.transposed().scalars == expected)
        #expect(a.transposed().contiguous().isContiguous)
        // A strided slice of a transposed view.
        let s = a.transposed().slice(axis: 1, 0..<r, step: 2)
        #expect(s.scalars == (0..<c).flatMap { j in stride(from: 0, to: r, by: 2).map { i in v[i * c + j] } })
        // A column broadcast across rows (source stride 0 along the copied rows).
        let column = Tensor(shape: [r, 1], scalars: (0..<r).map(Float.init)).expanded(to: [r, c])
        #expect(column.contiguous().scalars == (0..<(r * c)).map { Float($0 / c) })
    }
}

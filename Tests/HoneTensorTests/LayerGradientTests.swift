import Testing
import HoneTensor

/// Naive Double convolution (cross-correlation), NCHW / OIHW.
func referenceConv2d(_ x: D, _ w: D, _ b: D?, stride: (Int, Int), pad: (Int, Int), dil: (Int, Int), groups: Int) -> D {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, ci, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    let oh = (h + 2 * pad.0 - dil.0 * (kh - 1) - 1) / stride.0 + 1
    let ow = (wd + 2 * pad.1 - dil.1 * (kw - 1) - 1) / stride.1 + 1
    let opg = o / groups
    var out = [Double](repeating: 0, count: n * o * oh * ow)
    for b0 in 0..<n { for oc in 0..<o { for y in 0..<oh { for xx in 0..<ow {
        var s = b?.data[oc] ?? 0
        let gidx = oc / opg
        for icg in 0..<ci { for ky in 0..<kh { for kx in 0..<kw {
            let iy = y * stride.0 - pad.0 + ky * dil.0, ix = xx * stride.1 - pad.1 + kx * dil.1
            if iy < 0 || iy >= h || ix < 0 || ix >= wd { continue }
            let ic = gidx * ci + icg
            s += x.data[((b0 * c + ic) * h + iy) * wd + ix] * w.data[((oc * ci + icg) * kh + ky) * kw + kx]
        } } }
        out[((b0 * o + oc) * oh + y) * ow + xx] = s
    } } } }
    return D([n, o, oh, ow], out)
}

/// Naive Double pooling (max: padding is −∞; avg: divides by kH·kW).
func referencePool(_ x: D, k: (Int, Int), s: (Int, Int), p: (Int, Int), max isMax: Bool) -> D {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let oh = (h + 2 * p.0 - k.0) / s.0 + 1, ow = (w + 2 * p.1 - k.1) / s.1 + 1
    var out: [Double] = []
    for pl in 0..<(n * c) { for y in 0..<oh { for xx in 0..<ow {
        var acc = isMax ? -Double.infinity : 0
        for ky in 0..<k.0 { for kx in 0..<k.1 {
            let iy = y * s.0 - p.0 + ky, ix = xx * s.1 - p.1 + kx
            if iy < 0 || iy >= h || ix < 0 || ix >= w { continue }
            let v = x.data[(pl * h + iy) * w + ix]
            acc = isMax ? Swift.max(acc, v) : acc + v
        } }
        out.append(isMax ? acc : acc / Double(k.0 * k.1))
    } } }
    return D([n, c, oh, ow], out)
}

@Suite struct LayerGradientTests {
    static let matmulShapes: [[[Int]]] = [
        [[3, 4], [4, 5]], [[1, 7], [7, 1]], [[2, 3, 4], [4, 2]], [[2, 3, 4], [2, 4, 5]],
        [[2, 1, 3, 4], [3, 4, 2]], [[4], [4, 3]], [[3, 4], [4]],
    ]

    @Test(arguments: matmulShapes) func matmul(_ shapes: [[Int]]) {
        checkGradient(shapes: shapes, op: { $0[0].matmul($0[1]) }, reference: { x in
            var a = x[0], b = x[1]
            let va = a.shape.count == 1, vb = b.shape.count == 1
            if va { a = D([1] + a.shape, a.data) }
            if vb { b = D(b.shape + [1], b.data) }
            var r = D.matmul(a, b)
            if va { r.shape.remove(at: r.shape.count - 2) }
            if vb { r.shape.removeLast() }
            return r
        })
    }

    @Test func matmulTransposedViews() {
        // Transposed operands go to sgemm as flags; results must match the dense reference.
        checkGradient(shapes: [[4, 3], [5, 4]], op: { $0[0].transposed().matmul($0[1].transposed()) },
                      reference: { D.matmul($0[0].permuted([1, 0]), $0[1].permuted([1, 0])) })
        checkGradient(shapes: [[2, 4, 3], [2, 4, 5]], op: { $0[0].transposed().matmul($0[1]) },
                      reference: { D.matmul($0[0].permuted([0, 2, 1]), $0[1]) })
        // A column slice (row stride > cols) and a stepped slice (needs a copy).
        checkGradient(shapes: [[3, 8], [4, 2]], op: { (x: [Tensor]) -> Tensor in x[0].slice(axis: 1, 2..<6).matmul(x[1]) }, reference: { (x: [D]) -> D in
            let a = D([3, 4], (0..<12).map { (i: Int) -> Double in x[0].data[(i / 4) * 8 + 2 + i % 4] })
            return D.matmul(a, x[1])
        })
        checkGradient(shapes: [[3, 8], [4, 2]], op: { (x: [Tensor]) -> Tensor in x[0].slice(axis: 1, 0..<8, step: 2).matmul(x[1]) }, reference: { (x: [D]) -> D in
            let a = D([3, 4], (0..<12).map { (i: Int) -> Double in x[0].data[(i / 4) * 8 + 2 * (i % 4)] })
            return D.matmul(a, x[1])
        })
    }

    @Test(arguments: [true, false]) func linear(_ withBias: Bool) {
        checkGradient(shapes: withBias ? [[5, 4], [3, 4], [3]] : [[5, 4], [3, 4]], op: { x in
            Tensor.linear(x[0], weight: x[1], bias: withBias ? x[2] : nil)
        }, reference: { x in
            let y = D.matmul(x[0], x[1].permuted([1, 0]))
            return withBias ? y + x[2] : y
        })
        // Batched input [2, 5, 4].
        checkGradient(shapes: [[2, 5, 4], [3, 4], [3]], op: { (x: [Tensor]) -> Tensor in Tensor.linear(x[0], weight: x[1], bias: x[2]) },
                      reference: { (x: [D]) -> D in D.matmul(x[0], x[1].permuted([1, 0])) + x[2] })
    }

    struct ConvCase: Sendable, CustomTestStringConvertible {
        var x: [Int], w: [Int], stride: Size2D, pad: Size2D, dil: Size2D, groups: Int
        var testDescription: String { "x\(x) w\(w) s\(stride) p\(pad) d\(dil) g\(groups)" }
    }
    static let convCases: [ConvCase] = [
        ConvCase(x: [2, 3, 6, 5], w: [4, 3, 3, 3], stride: 1, pad: 0, dil: 1, groups: 1),
        ConvCase(x: [1, 2, 7, 7], w: [3, 2, 3, 2], stride: Size2D(2, 1), pad: Size2D(1, 2), dil: 1, groups: 1),
        ConvCase(x: [2, 2, 7, 6], w: [2, 2, 2, 2], stride: 1, pad: 1, dil: 2, groups: 1),
        ConvCase(x: [1, 4, 5, 5], w: [6, 2, 3, 3], stride: 1, pad: 1, dil: 1, groups: 2),
        ConvCase(x: [2, 3, 5, 5], w: [3, 1, 3, 3], stride: 2, pad: 1, dil: 1, groups: 3),
    ]

    @Test(arguments: convCases) func conv2d(_ c: ConvCase) {
        for withBias in [true, false] {
            let shapes = withBias ? [c.x, c.w, [c.w[0]]] : [c.x, c.w]
            checkGradient(shapes: shapes, op: { x in
                Tensor.conv2d(x[0], weight: x[1], bias: withBias ? x[2] : nil, stride: c.stride, padding: c.pad,
                              dilation: c.dil, groups: c.groups)
            }, reference: { x in
                referenceConv2d(x[0], x[1], withBias ? x[2] : nil, stride: (c.stride.h, c.stride.w),
                                pad: (c.pad.h, c.pad.w), dil: (c.dil.h, c.dil.w), groups: c.groups)
            })
        }
    }

    @Test func convBiasOnlyGradient() {
        var g = SeededGeneratorBox(seed: 3)
        let x = g.uniform([1, 2, 4, 4]), w = g.uniform([3, 2, 3, 3])
        let b = Tensor.zeros([3]).requiringGrad()
        Tensor.conv2d(x, weight: w, bias: b).sum().backward()
        #expect(b.grad!.scalars == [4, 4, 4])
    }

    static let poolCases: [(x: [Int], k: Size2D, s: Size2D?, p: Size2D)] = [
        ([2, 3, 6, 6], 2, nil, 0), ([1, 2, 7, 5], 3, 2, 1), ([1, 1, 5, 6], Size2D(2, 3), Size2D(1, 2), Size2D(1, 0)),
    ]

    @Test(arguments: poolCases.indices) func pooling(_ i: Int) {
        let c = Self.poolCases[i]
        let s = c.s ?? c.k
        checkGradient(shapes: [c.x], op: { $0[0].maxPool2d(kernel: c.k, stride: c.s, padding: c.p) },
                      reference: { referencePool($0[0], k: (c.k.h, c.k.w), s: (s.h, s.w), p: (c.p.h, c.p.w), max: true) })
        checkGradient(shapes: [c.x], op: { $0[0].avgPool2d(kernel: c.k, stride: c.s, padding: c.p) },
                      reference: { referencePool($0[0], k: (c.k.h, c.k.w), s: (s.h, s.w), p: (c.p.h, c.p.w), max: false) })
    }

    @Test(arguments: [-1, 0, 1]) func softmax(_ axis: Int) {
        func ref(_ x: D, log: Bool) -> D {
            let r = x.shape.count
            let a = axis < 0 ? axis + r : axis
            var order = Array(0..<r); order.remove(at: a); order.append(a)
            var inv = [Int](repeating: 0, count: r)
            for (i, o) in order.enumerated() { inv[o] = i }
            return x.permuted(order).softmaxLast(log: log).permuted(inv)
        }
        checkGradient(shapes: [[3, 5]], op: { $0[0].softmax(axis: axis) }, reference: { ref($0[0], log: false) })
        checkGradient(shapes: [[3, 5]], op: { $0[0].logSoftmax(axis: axis) }, reference: { ref($0[0], log: true) })
    }

    @Test func softmaxCrossEntropy() {
        let labels: [Int32] = [2, 0, 4]
        checkGradient(shapes: [[3, 5]], op: { Tensor.softmaxCrossEntropy(logits: $0[0], labels: labels) }, reference: { x in
            let lp = x[0].softmaxLast(log: true)
            return D(scalar: -labels.enumerated().map { lp.data[$0.offset * 5 + Int($0.element)] }.reduce(0, +) / 3)
        })
    }
}


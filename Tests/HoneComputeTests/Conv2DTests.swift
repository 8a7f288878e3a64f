import Testing
import HoneTestSupport
import HoneCompute

/// Direct-loop convolution references in Double.
private struct NaiveConv {
    let g: Conv2DGeometry
    var cg: Int { g.inChannels / g.groups }
    var og: Int { g.outChannels / g.groups }

    /// Calls `f(n, o, oh, ow, c, ih, iw, weightIndex)` for every in-bounds multiply.
    func forEachTap(_ f: (Int, Int, Int, Int, Int, Int, Int, Int) -> Void) {
        for n in 0..<g.batch {
            for o in 0..<g.outChannels {
                let grp = o / og
                for oh in 0..<g.outH {
                    for ow in 0..<g.outW {
                        for ci in 0..<cg {
                            for r in 0..<g.kernelH {
                                for s in 0..<g.kernelW {
                                    let ih = oh * g.strideH - g.padH + r * g.dilationH
                                    let iw = ow * g.strideW - g.padW + s * g.dilationW
                                    if ih < 0 || ih >= g.height || iw < 0 || iw >= g.width { continue }
                                    let c = grp * cg + ci
                                    f(n, o, oh, ow, c, ih, iw, ((o * cg + ci) * g.kernelH + r) * g.kernelW + s)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    func inIndex(_ n: Int, _ c: Int, _ h: Int, _ w: Int) -> Int { ((n * g.inChannels + c) * g.height + h) * g.width + w }
    func outIndex(_ n: Int, _ o: Int, _ h: Int, _ w: Int) -> Int { ((n * g.outChannels + o) * g.outH + h) * g.outW + w }

    func forward(_ x: [Float], _ w: [Float], _ b: [Float]?) -> [Double] {
        var y = [Double](repeating: 0, count: g.batch * g.outChannels * g.outH * g.outW)
        if let b {
            for n in 0..<g.batch { for o in 0..<g.outChannels { for p in 0..<(g.outH * g.outW) {
                y[(n * g.outChannels + o) * g.outH * g.outW + p] = Double(b[o]) } } }
        }
        forEachTap { n, o, oh, ow, c, ih, iw, wi in
            y[outIndex(n, o, oh, ow)] += Double(x[inIndex(n, c, ih, iw)]) * Double(w[wi])
        }
        return y
    }
    func backwardInput(_ dy: [Float], _ w: [Float]) -> [Double] {
        var dx = [Double](repeating: 0, count: g.batch * g.inChannels * g.height * g.width)
        forEachTap { n, o, oh, ow, c, ih, iw, wi in
            dx[inIndex(n, c, ih, iw)] += Double(dy[outIndex(n, o, oh, ow)]) * Double(w[wi])
        }
        return dx
    }
    func backwardWeight(_ x: [Float], _ dy: [Float]) -> [Double] {
        var dw = [Double](repeating: 0, count: g.outChannels * cg * g.kernelH * g.kernelW)
        forEachTap { n, o, oh, ow, c, ih, iw, wi in
            dw[wi] += Double(dy[outIndex(n, o, oh, ow)]) * Double(x[inIndex(n, c, ih, iw)])
        }
        return dw
    }
    func backwardBias(_ dy: [Float]) -> [Double] {
        var db = [Double](repeating: 0, count: g.outChannels)
        let P = g.outH * g.outW
        for n in 0..<g.batch { for o in 0..<g.outChannels { for p in 0..<P { db[o] += Double(dy[(n * g.outChannels + o) * P + p]) } } }
        return db
    }
}

let convCases: [Conv2DGeometry] = [
    Conv2DGeometry(batch: 2, inChannels: 1, height: 8, width: 8, outChannels: 4, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 0, padW: 0, dilationH: 1, dilationW: 1, groups: 1),
    Conv2DGeometry(batch: 3, inChannels: 4, height: 9, width: 7, outChannels: 6, kernelH: 3, kernelW: 2,
                   strideH: 2, strideW: 1, padH: 1, padW: 2, dilationH: 1, dilationW: 1, groups: 2),
    Conv2DGeometry(batch: 2, inChannels: 3, height: 11, width: 10, outChannels: 5, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 2, padH: 2, padW: 1, dilationH: 2, dilationW: 3, groups: 1),
    Conv2DGeometry(batch: 4, inChannels: 6, height: 5, width: 6, outChannels: 6, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 1, padW: 1, dilationH: 1, dilationW: 1, groups: 6),
    Conv2DGeometry(batch: 5, inChannels: 8, height: 6, width: 6, outChannels: 16, kernelH: 1, kernelW: 1,
                   strideH: 1, strideW: 1, padH: 0, padW: 0, dilationH: 1, dilationW: 1, groups: 1),
    Conv2DGeometry(batch: 3, inChannels: 32, height: 7, width: 7, outChannels: 40, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 0, padW: 0, dilationH: 1, dilationW: 1, groups: 1),
    // One image's im2col ≥ 16 Ki floats: one image per GEMM, operands and output in place.
    Conv2DGeometry(batch: 3, inChannels: 32, height: 13, width: 13, outChannels: 20, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 1, padW: 1, dilationH: 1, dilationW: 1, groups: 1),
    Conv2DGeometry(batch: 2, inChannels: 64, height: 12, width: 12, outChannels: 32, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 0, padW: 0, dilationH: 1, dilationW: 1, groups: 2),
    Conv2DGeometry(batch: 2, inChannels: 64, height: 16, width: 16, outChannels: 24, kernelH: 1, kernelW: 1,
                   strideH: 1, strideW: 1, padH: 0, padW: 0, dilationH: 1, dilationW: 1, groups: 1),
]

/// Runs forward, backwardInput and backwardWeight (with and without bias) on `g` and compares
/// them with the Double direct loops. Float32 sums drift from the Double ones by roughly
/// √(terms) ulps, so the tolerance grows with the longest reduction (≥ 1e-5).
private func checkConvAgainstDirectLoops(_ g: Conv2DGeometry, seed: UInt64) {
    let terms = max(g.inChannels / g.groups * g.kernelH * g.kernelW, g.outChannels / g.groups * g.kernelH * g.kernelW,
                    g.batch * g.outH * g.outW)
    let tol = max(1e-5, 1e-6 * Double(terms).squareRoot())
    let ref = NaiveConv(g: g)
    let xCount = g.batch * g.inChannels * g.height * g.width
    let wCount = g.outChannels * (g.inChannels / g.groups) * g.kernelH * g.kernelW
    let yCount = g.batch * g.outChannels * g.outH * g.outW
    let x = randomBuffer(xCount, seed: seed, stream: 1)
    let w = randomBuffer(wCount, seed: seed, stream: 2)
    let b = randomBuffer(g.outChannels, seed: seed, stream: 3)
    let dy = randomBuffer(yCount, seed: seed, stream: 4)

    var y = [Float](repeating: .nan, count: yCount)
    Conv2DKernels.forward(g, input: x, weight: w, bias: b, output: &y)
    #expect(maxRelativeError(y, ref.forward(x, w, b)) < tol, "forward \(g)")
    var y0 = [Float](repeating: .nan, count: yCount)
    Conv2DKernels.forward(g, input: x, weight: w, bias: nil, output: &y0)
    #expect(maxRelativeError(y0, ref.forward(x, w, nil)) < tol, "forward no bias \(g)")

    var dx = [Float](repeating: .nan, count: xCount)
    Conv2DKernels.backwardInput(g, gradOutput: dy, weight: w, gradInput: &dx)
    #expect(maxRelativeError(dx, ref.backwardInput(dy, w)) < tol, "backwardInput \(g)")

    var dw = [Float](repeating: .nan, count: wCount)
    var db = [Float](repeating: .nan, count: g.outChannels)
    Conv2DKernels.backwardWeight(g, input: x, gradOutput: dy, gradWeight: &dw, gradBias: &db)
    #expect(maxRelativeError(dw, ref.backwardWeight(x, dy)) < tol, "backwardWeight \(g)")
    #expect(maxRelativeError(db, ref.backwardBias(dy)) < tol, "backwardBias \(g)")
    var dw2 = [Float](repeating: .nan, count: wCount)
    Conv2DKernels.backwardWeight(g, input: x, gradOutput: dy, gradWeight: &dw2, gradBias: nil)
    #expect(dw2 == dw, "backwardWeight without bias \(g)")
}

@Test(arguments: Array(convCases.indices))
func convMatchesDirectLoops(caseIndex: Int) {
    checkConvAgainstDirectLoops(convCases[caseIndex], seed: 10 + UInt64(caseIndex))
}

/// Stride-1 layers that the implicit-GEMM path (AVX-512: B panels packed from the image,
/// ∂col panels added straight into ∂input, weight gradient from in-place im2col rows) takes
/// when there are at least as many images as threads; on other paths they check the im2col
/// lowering again.
let implicitConvCases: [Conv2DGeometry] = [
    // Padding and dilation: taps outside the image are zero lanes of the permuted windows.
    Conv2DGeometry(batch: 3, inChannels: 8, height: 10, width: 9, outChannels: 32, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 1, padW: 2, dilationH: 2, dilationW: 1, groups: 1),
    // K = 432 > 384: two k blocks in forward (the bias row in the second); 400 output pixels:
    // two pixel blocks in the weight gradient; 40 output channels: a partial 32-wide panel.
    Conv2DGeometry(batch: 2, inChannels: 48, height: 22, width: 22, outChannels: 40, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 0, padW: 0, dilationH: 1, dilationW: 1, groups: 1),
    // 400 output channels: two k blocks in backwardInput, 13 column panels in backwardWeight.
    Conv2DGeometry(batch: 2, inChannels: 4, height: 5, width: 5, outChannels: 400, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 1, padW: 1, dilationH: 1, dilationW: 1, groups: 1),
    // Output wider than the input (padding 2): windows of consecutive rows overlap.
    Conv2DGeometry(batch: 2, inChannels: 4, height: 5, width: 5, outChannels: 32, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 2, padW: 2, dilationH: 1, dilationW: 1, groups: 1),
    // Groups, a 5 × 2 kernel and an output row of 3 pixels (16-pixel runs cross several rows).
    Conv2DGeometry(batch: 3, inChannels: 16, height: 9, width: 4, outChannels: 64, kernelH: 5, kernelW: 2,
                   strideH: 1, strideW: 1, padH: 1, padW: 0, dilationH: 1, dilationW: 1, groups: 2),
    // The reference CNN's conv2 shape on a small batch.
    Conv2DGeometry(batch: 2, inChannels: 32, height: 13, width: 13, outChannels: 64, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 0, padW: 0, dilationH: 1, dilationW: 1, groups: 1),
    // Wide rows (two 16-wide chunks per input row in col2im).
    Conv2DGeometry(batch: 2, inChannels: 4, height: 6, width: 40, outChannels: 32, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 1, padW: 1, dilationH: 1, dilationW: 1, groups: 1),
]

@Test(arguments: Array(implicitConvCases.indices))
func convImplicitPathMatchesDirectLoops(caseIndex: Int) {
    // At most as many threads as images, so the implicit path applies on any machine.
    withThreadCount(2) { checkConvAgainstDirectLoops(implicitConvCases[caseIndex], seed: 40 + UInt64(caseIndex)) }
}

@Test func convGeometryOutputSize() {
    let g = Conv2DGeometry(batch: 1, inChannels: 1, height: 28, width: 28, outChannels: 1, kernelH: 3, kernelW: 3,
                           strideH: 2, strideW: 1, padH: 1, padW: 0, dilationH: 1, dilationW: 2, groups: 1)
    #expect(g.outH == 14)
    #expect(g.outW == 24)
}

@Test func convSameResultAtOneTwoAndThreeThreads() {
    let g = convCases[5]
    let x = randomBuffer(g.batch * g.inChannels * g.height * g.width, seed: 77, stream: 1)
    let dy = randomBuffer(g.batch * g.outChannels * g.outH * g.outW, seed: 77, stream: 2)
    let wCount = g.outChannels * g.inChannels * 9
    func run(_ t: Int) -> [Float] {
        withThreadCount(t) {
            var dw = [Float](repeating: 0, count: wCount)
            Conv2DKernels.backwardWeight(g, input: x, gradOutput: dy, gradWeight: &dw, gradBias: nil)
            return dw
        }
    }
    let one = run(1)
    #expect(maxRelativeError(run(2), one.map(Double.init)) < 1e-5)
    #expect(maxRelativeError(run(3), one.map(Double.init)) < 1e-5)
    #expect(run(2) == run(2), "same thread count must give identical bits")
}

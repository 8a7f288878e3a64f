import Testing
import Foundation
import HoneCompute
import HoneKernels
import HoneRandom

/// Random bytes from a seeded generator.
private func randomBytes(_ count: Int, seed: UInt64, stream: UInt64) -> [UInt8] {
    var rng = SeededGenerator(seed: seed, stream: stream)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
}

/// Exact integer reference `Σ_k a[i, k]·w[j, k] + offset[j]`.
private func referenceQGEMM(m: Int, n: Int, k: Int, a: [UInt8], lda: Int, w: [Int8], offset: [Int32]) -> [Int32] {
    var out = [Int32](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s = offset[j]
            for p in 0..<k { s += Int32(a[i * lda + p]) * Int32(w[j * k + p]) }
            out[i * n + j] = s
        }
    }
    return out
}

private let supportedPaths = QGEMM.Path.allCases.filter(QGEMM.isSupported)

@Test(arguments: supportedPaths)
func qgemmInt32MatchesExactReference(path: QGEMM.Path) {
    let shapes = [(1, 10, 784), (5, 16, 9), (7, 33, 288), (13, 64, 3), (128, 130, 129), (37, 256, 1600)]
    for (s, (m, n, k)) in shapes.enumerated() {
        let lda = QGEMM.paddedDepth(k) + (s % 2) * 4
        let a = randomBytes(m * lda, seed: UInt64(s), stream: 1)
        let w = randomBytes(n * k, seed: UInt64(s), stream: 2).map { Int8(bitPattern: $0) }
        let offset = randomBytes(n, seed: UInt64(s), stream: 3).map { Int32($0) * 7 - 900 }
        let scale = [Float](repeating: 1, count: n)
        let packed = w.withUnsafeBufferPointer { QGEMM.pack(weights: $0.baseAddress!, rows: n, depth: k) }
        var c = [Int32](repeating: -1, count: m * n)
        c.withUnsafeMutableBufferPointer { cp in
            QGEMM.multiply(m: m, n: n, k: k, a: a, lda: lda, packed: packed, scale: scale, offset: offset, bias: nil,
                           relu: false, output: .int32(cp.baseAddress!), ldc: n, path: path)
        }
        #expect(c == referenceQGEMM(m: m, n: n, k: k, a: a, lda: lda, w: w, offset: offset),
                "path \(path), m=\(m) n=\(n) k=\(k)")
    }
}

@Test(arguments: supportedPaths)
func qgemmEpilogueDequantizesAndRequantizes(path: QGEMM.Path) {
    let (m, n, k) = (9, 40, 100)
    let a = randomBytes(m * k, seed: 7, stream: 1)
    let w = randomBytes(n * k, seed: 7, stream: 2).map { Int8(bitPattern: $0) }
    let offset = (0..<n).map { Int32($0 * 31 - 600) }
    let scale = (0..<n).map { Float($0 + 1) * 1e-4 }
    let bias = (0..<n).map { Float($0) * 0.05 - 1 }
    let exact = referenceQGEMM(m: m, n: n, k: k, a: a, lda: k, w: w, offset: offset)
    var f = [Float](repeating: .nan, count: m * n)
    var q = [UInt8](repeating: 0, count: m * n)
    let packed = w.withUnsafeBufferPointer { QGEMM.pack(weights: $0.baseAddress!, rows: n, depth: k) }
    f.withUnsafeMutableBufferPointer { fp in
        QGEMM.multiply(m: m, n: n, k: k, a: a, lda: k, packed: packed, scale: scale, offset: offset, bias: bias,
                       relu: true, output: .float(fp.baseAddress!), ldc: n, path: path)
    }
    q.withUnsafeMutableBufferPointer { qp in
        QGEMM.multiply(m: m, n: n, k: k, a: a, lda: k, packed: packed, scale: scale, offset: offset, bias: bias,
                       relu: true, output: .uint8(qp.baseAddress!, scale: 0.02, zeroPoint: 3), ldc: n, path: path)
    }
    for i in 0..<m * n {
        let j = i % n
        let v = max(0, Float(exact[i]) * scale[j] + bias[j])
        #expect(abs(f[i] - v) <= 1e-5 * (1 + abs(v)), "float output \(i): \(f[i]) vs \(v)")
        let expected = min(255, max(0, (v / 0.02).rounded(.toNearestOrEven) + 3))
        #expect(abs(Float(q[i]) - expected) <= 1, "uint8 output \(i): \(q[i]) vs \(expected)")
    }
}

@Test(arguments: supportedPaths)
func quantizePassRoundsHalfToEvenAndClamps(path: QGEMM.Path) {
    let x: [Float] = (0..<203).map { Float($0) * 0.25 - 20 } + [1e9, -1e9, 2.5, 3.5]
    var q = [UInt8](repeating: 0, count: x.count)
    q.withUnsafeMutableBufferPointer { QGEMM.quantize(x, count: x.count, scale: 0.5, zeroPoint: 40, into: $0.baseAddress!, path: path) }
    for (i, v) in x.enumerated() {
        let e = UInt8(min(255, max(0, (v / 0.5).rounded(.toNearestOrEven) + 40)))
        #expect(q[i] == e, "x=\(v): \(q[i]) vs \(e)")
    }
    let (lo, hi) = QGEMM.minMax(x, count: x.count, path: path)
    #expect(lo == -1e9 && hi == 1e9)
}

@Test(arguments: supportedPaths)
func qconvMatchesDirectIntegerConvolution(path: QGEMM.Path) {
    let g = Conv2DGeometry(batch: 3, inChannels: 5, height: 9, width: 8, outChannels: 19, kernelH: 3, kernelW: 2,
                           strideH: 2, strideW: 1, padH: 1, padW: 1)
    let zp: UInt8 = 7
    let x = randomBytes(g.batch * g.height * g.width * g.inChannels, seed: 3, stream: 1)   // NHWC
    let k = g.kernelH * g.kernelW * g.inChannels
    let w = randomBytes(g.outChannels * k, seed: 3, stream: 2).map { Int8(bitPattern: $0) }  // [o][kh][kw][c]
    let offset = [Int32](repeating: 0, count: g.outChannels), scale = [Float](repeating: 1, count: g.outChannels)
    let packed = w.withUnsafeBufferPointer { QGEMM.pack(weights: $0.baseAddress!, rows: g.outChannels, depth: k) }
    var y = [Int32](repeating: 0, count: g.batch * g.outH * g.outW * g.outChannels)
    y.withUnsafeMutableBufferPointer { yp in
        QConv2D.forward(g, input: x, zeroPoint: zp, packed: packed, scale: scale, offset: offset, bias: nil, relu: false,
                        output: .int32(yp.baseAddress!), path: path)
    }
    var bad = 0
    for n in 0..<g.batch {
        for oh in 0..<g.outH {
            for ow in 0..<g.outW {
                for o in 0..<g.outChannels {
                    var s: Int32 = 0
                    for r in 0..<g.kernelH {
                        for t in 0..<g.kernelW {
                            for c in 0..<g.inChannels {
                                let ih = oh * g.strideH - g.padH + r, iw = ow * g.strideW - g.padW + t
                                let v = ih < 0 || ih >= g.height || iw < 0 || iw >= g.width
                                    ? zp : x[((n * g.height + ih) * g.width + iw) * g.inChannels + c]
                                s += Int32(v) * Int32(w[o * k + (r * g.kernelW + t) * g.inChannels + c])
                            }
                        }
                    }
                    if y[((n * g.outH + oh) * g.outW + ow) * g.outChannels + o] != s { bad += 1 }
                }
            }
        }
    }
    #expect(bad == 0, "path \(path): \(bad) wrong outputs")
}

@Test(arguments: supportedPaths)
func uint8MaxPoolMatchesReference(path: QGEMM.Path) {
    let (n, h, w, c, k, s) = (2, 7, 6, 70, 3, 2)
    let oh = (h - k) / s + 1, ow = (w - k) / s + 1
    let x = randomBytes(n * h * w * c, seed: 9, stream: 1)
    var y = [UInt8](repeating: 0, count: n * oh * ow * c)
    y.withUnsafeMutableBufferPointer { yp in
        hone_maxpool_u8_nhwc(path.rawValue, x, Int64(n), Int64(h), Int64(w), Int64(c), Int64(k), Int64(k), Int64(s), Int64(s),
                             Int64(oh), Int64(ow), yp.baseAddress!)
    }
    var bad = 0
    for b in 0..<n { for i in 0..<oh { for j in 0..<ow { for ch in 0..<c {
        var m: UInt8 = 0
        for r in 0..<k { for t in 0..<k { m = max(m, x[((b * h + i * s + r) * w + j * s + t) * c + ch]) } }
        if y[((b * oh + i) * ow + j) * c + ch] != m { bad += 1 }
    } } } }
    #expect(bad == 0, "path \(path): \(bad) wrong maxima")
}

/// An associative reduction (sum, max, min) with its identity element.
protocol ReduceFunction {
    var identity: Float { get }
    func callAsFunction(_ a: Float, _ b: Float) -> Float
    func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float>
    func horizontal(_ v: SIMD8<Float>) -> Float
}

struct SumReduce: ReduceFunction {
    init() {}
    @inline(__always) var identity: Float { 0 }
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b }
    @inline(__always) func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a + b }
    @inline(__always) func horizontal(_ v: SIMD8<Float>) -> Float { v.sum() }
}

struct MaxReduce: ReduceFunction {
    init() {}
    @inline(__always) var identity: Float { -.infinity }
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a.isNaN || a > b ? a : b }
    @inline(__always) func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { pointwiseMax(a, b) }
    @inline(__always) func horizontal(_ v: SIMD8<Float>) -> Float { v.max() }
}

struct MinReduce: ReduceFunction {
    init() {}
    @inline(__always) var identity: Float { .infinity }
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a.isNaN || a < b ? a : b }
    @inline(__always) func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { pointwiseMin(a, b) }
    @inline(__always) func horizontal(_ v: SIMD8<Float>) -> Float { v.min() }
}

/// Reduction loops: whole-tensor, trailing axes (row reduce), leading axes (column
/// accumulate), and a general strided fallback.

enum Reduce {
    /// Reduces `count` contiguous floats with two 8-wide partial results (fixed order). Swift
    /// code is built for the baseline x86-64 target (SSE), where this is four independent
    /// 128-bit accumulators; more would spill registers.
    static func row<F: ReduceFunction>(_ p: UnsafePointer<Float>, _ count: Int, _ f: F) -> Float {
        var i = 0
        var acc = f.identity
        if count >= 16 {
            var v0 = SIMD8<Float>(repeating: f.identity), v1 = v0
            let raw = UnsafeRawPointer(p)
            while i + 16 <= count {
                v0 = f.combine(v0, raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self))
                v1 = f.combine(v1, raw.loadUnaligned(fromByteOffset: (i &+ 8) &* 4, as: SIMD8<Float>.self))
                i += 16
            }
            acc = f.horizontal(f.combine(v0, v1))
        }
        while i < count { acc = f(acc, p[i]); i += 1 }
        return acc
    }

    /// Reduces `x` over the sorted, normalized `axes`; result has `x`'s rank (reduced dims = 1).
    static func reduce<F: ReduceFunction>(_ x: Tensor, axes: [Int], _ f: F) -> Tensor {
        var outShape = x.shape
        for a in axes { outShape[a] = 1 }
        let out = Tensor(uninitializedShape: outShape)
        let o = out.base
        let n = x.count
        let m = out.count
        if m == 0 { return out }
        if n == 0 { o.update(repeating: f.identity, count: m); return out }
        let c = x.contiguousData()
        withExtendedLifetime(c) {
            let p = UnsafePointer(c.base)
            // Split dims into [outer (kept)] [reduced] [inner (kept)] when axes are consecutive.
            let consecutive = axes.last! - axes.first! + 1 == axes.count
            if consecutive {
                let outer = Shape.count(Array(x.shape[..<axes.first!]))
                let red = Shape.count(Array(x.shape[axes.first!...axes.last!]))
                let inner = Shape.count(Array(x.shape[(axes.last! + 1)...]))
                if inner == 1 && outer == 1 && red >= 4 * Parallel.elementThreshold {
                    // One long reduction: fixed-size blocks reduced in parallel, combined in order.
                    let block = 2 * Parallel.elementThreshold
                    let blocks = (red + block - 1) / block
                    var partial = [Float](repeating: f.identity, count: blocks)
                    partial.withUnsafeMutableBufferPointer { pp in
                        let pb = pp.baseAddress!
                        Parallel.forRange(blocks, minChunk: 1) { br in
                            for b in br { pb[b] = row(p + b * block, min(block, red - b * block), f) }
                        }
                    }
                    o[0] = partial.withUnsafeBufferPointer { row($0.baseAddress!, blocks, f) }
                } else if inner == 1 {
                    Elementwise.rows(outer, red) { r, cols in o[r] = row(p + r * cols, cols, f) }
                } else {
                    // Column accumulation: out[o, i] = reduce_r x[o, r, i]; vectorizes over i.
                    let work = outer * red * inner
                    let body: (Range<Int>) -> Void = { range in
                        for oi in range {
                            let dst = o + oi * inner
                            let src = p + oi * red * inner
                            dst.update(from: src, count: inner)
                            for r in 1..<max(red, 1) {
                                let s = src + r * inner
                                for i in 0..<inner { dst[i] = f(dst[i], s[i]) }
                            }
                        }
                    }
                    if outer > 1 && work >= 2 * Parallel.elementThreshold {
                        Parallel.forRange(outer, minChunk: 1, body)
                    } else if work >= 2 * Parallel.elementThreshold && inner >= 64 {
                        // One outer block: split the kept inner columns instead.
                        Parallel.forRange(inner, minChunk: 64) { cols in
                            let dst = o + cols.lowerBound, src = p + cols.lowerBound
                            dst.update(from: src, count: cols.count)
                            for r in 1..<max(red, 1) {
                                let s = src + r * inner
                                for i in 0..<cols.count { dst[i] = f(dst[i], s[i]) }
                            }
                        }
                    } else {
                        body(0..<outer)
                    }
                }
                return
            }
            // General case: walk x, accumulating into out through 0 strides on reduced axes.
            o.update(repeating: f.identity, count: m)
            var outStrides = Shape.contiguousStrides(outShape)
            for a in axes { outStrides[a] = 0 }
            let loop = StridedLoop(shape: x.shape, strides: [Shape.contiguousStrides(x.shape), outStrides])
            let cnt = loop.innerCount, si = loop.innerStrides[0], so = loop.innerStrides[1]
            loop.forEachRow(0..<loop.rowCount, base: [0, 0]) { offs in
                let rx = p + offs[0], ro = o + offs[1]
                if so == 0 {
                    var acc = ro[0]
                    for j in 0..<cnt { acc = f(acc, rx[j * si]) }
                    ro[0] = acc
                } else {
                    for j in 0..<cnt { ro[j * so] = f(ro[j * so], rx[j * si]) }
                }
            }
        }
        return out
    }
}

import HoneCompute

/// An associative reduction (sum, max, min) with its identity element; `kernel` runs it on
/// contiguous rows and columns.
protocol ReduceFunction {
    var kernel: Reduction { get }
    var identity: Float { get }
    func callAsFunction(_ a: Float, _ b: Float) -> Float
}

struct SumReduce: ReduceFunction {
    init() {}
    var kernel: Reduction { .sum }
    @inline(__always) var identity: Float { 0 }
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b }
}

struct MaxReduce: ReduceFunction {
    init() {}
    var kernel: Reduction { .max }
    @inline(__always) var identity: Float { -.infinity }
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a.isNaN || a > b ? a : b }
}

struct MinReduce: ReduceFunction {
    init() {}
    var kernel: Reduction { .min }
    @inline(__always) var identity: Float { .infinity }
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a.isNaN || a < b ? a : b }
}

/// Reduction loops: whole-tensor, trailing axes (row reduce), leading axes (column
/// accumulate), and a general strided fallback.

enum Reduce {
    /// Reduces `count` contiguous floats (`Reduction.row`: fixed order per instruction set).
    @inline(__always)
    static func row<F: ReduceFunction>(_ p: UnsafePointer<Float>, _ count: Int, _ f: F) -> Float {
        f.kernel.row(p, count: count)
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
                            f.kernel.columns(p + oi * red * inner, into: o + oi * inner, rows: red, cols: inner,
                                             rowStride: inner)
                        }
                    }
                    if outer > 1 && work >= 2 * Parallel.elementThreshold {
                        Parallel.forRange(outer, minChunk: 1, body)
                    } else if work >= 2 * Parallel.elementThreshold && inner >= 64 {
                        // One outer block: split the kept inner columns instead.
                        Parallel.forRange(inner, minChunk: 64) { cols in
                            f.kernel.columns(p + cols.lowerBound, into: o + cols.lowerBound, rows: red,
                                             cols: cols.count, rowStride: inner)
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

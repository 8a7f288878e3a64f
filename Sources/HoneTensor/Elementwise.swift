/// A scalar function applied elementwise. Conforming types are small structs, so the generic
/// loops below are specialized and inlined per function (no closure call per element).
protocol UnaryFunction {
    func callAsFunction(_ x: Float) -> Float
}

/// A scalar function of two arguments applied elementwise with broadcasting.
protocol BinaryFunction {
    func callAsFunction(_ a: Float, _ b: Float) -> Float
}

extension Tensor {
    /// Pointer to the first element (valid while `storage` is alive).
    var base: UnsafeMutablePointer<Float> { storage.pointer + offset }
}

/// The elementwise loops: contiguous fast paths, scalar and row (bias) broadcast, and a general
/// strided path; large sizes are split across threads.

enum Elementwise {
    /// `f(x)` for every element, into a new contiguous tensor (no autodiff).
    static func map<F: UnaryFunction>(_ x: Tensor, _ f: F) -> Tensor {
        let c = x.contiguousData()
        var out = Tensor(uninitializedShape: x.shape)
        let src = UnsafePointer(c.base), dst = out.base
        withExtendedLifetime(c) {
            Parallel.forElements(x.count) { r in
                for i in r { dst[i] = f(src[i]) }
            }
        }
        out.node = nil
        return out
    }

    /// `f(a, b)` with NumPy broadcasting, into a new contiguous tensor (no autodiff).
    static func zip<F: BinaryFunction>(_ a: Tensor, _ b: Tensor, _ f: F, op: String) -> Tensor {
        let shape = Shape.broadcast(a.shape, b.shape, op: op)
        let out = Tensor(uninitializedShape: shape)
        write(a, b, f, into: out.base, shape: shape)
        return out
    }

    /// `a = f(a, b)` in place; `b` must broadcast to `a`'s shape. Keeps `a`'s autodiff node.
    static func zipInPlace<F: BinaryFunction>(_ a: inout Tensor, _ b: Tensor, _ f: F, op: String) {
        let shape = Shape.broadcast(a.shape, b.shape, op: op)
        check(shape == a.shape, "\(op): shape \(b.shape) cannot be broadcast into \(a.shape) in place")
        a.makeUniqueContiguous()
        let snapshot = a   // same buffer: every element is read before it is written
        write(snapshot, b, f, into: a.base, shape: shape)
    }

    static func write<F: BinaryFunction>(_ a: Tensor, _ b: Tensor, _ f: F,
                                                    into o: UnsafeMutablePointer<Float>, shape: [Int]) {
        let n = Shape.count(shape)
        if n == 0 { return }
        withExtendedLifetime((a, b)) {
            if a.isContiguous && b.isContiguous {
                let pa = UnsafePointer(a.base), pb = UnsafePointer(b.base)
                let ac = a.count, bc = b.count
                if ac == n && bc == n {
                    Parallel.forElements(n) { r in for i in r { o[i] = f(pa[i], pb[i]) } }
                    return
                }
                if ac == n && bc == 1 {
                    let s = pb[0]
                    Parallel.forElements(n) { r in for i in r { o[i] = f(pa[i], s) } }
                    return
                }
                if bc == n && ac == 1 {
                    let s = pa[0]
                    Parallel.forElements(n) { r in for i in r { o[i] = f(s, pb[i]) } }
                    return
                }
                if ac == n && isTrailing(b.shape, of: shape) {
                    rows(n / bc, bc) { r, c in
                        let ra = pa + r * c, ro = o + r * c
                        for j in 0..<c { ro[j] = f(ra[j], pb[j]) }
                    }
                    return
                }
                if bc == n && isTrailing(a.shape, of: shape) {
                    rows(n / ac, ac) { r, c in
                        let rb = pb + r * c, ro = o + r * c
                        for j in 0..<c { ro[j] = f(pa[j], rb[j]) }
                    }
                    return
                }
            }
            let sa = Shape.broadcastStrides(shape: a.shape, strides: a.strides, to: shape)
            let sb = Shape.broadcastStrides(shape: b.shape, strides: b.strides, to: shape)
            let loop = StridedLoop(shape: shape, strides: [Shape.contiguousStrides(shape), sa, sb])
            let pa = UnsafePointer(a.storage.pointer), pb = UnsafePointer(b.storage.pointer)
            let cnt = loop.innerCount, isa = loop.innerStrides[1], isb = loop.innerStrides[2]
            loop.parallelRows(base: [0, a.offset, b.offset]) { offs in
                let ro = o + offs[0], ra = pa + offs[1], rb = pb + offs[2]
                if isa == 1 && isb == 1 {
                    for j in 0..<cnt { ro[j] = f(ra[j], rb[j]) }
                } else if isa == 1 && isb == 0 {
                    let s = rb[0]
                    for j in 0..<cnt { ro[j] = f(ra[j], s) }
                } else if isa == 0 && isb == 1 {
                    let s = ra[0]
                    for j in 0..<cnt { ro[j] = f(s, rb[j]) }
                } else {
                    for j in 0..<cnt { ro[j] = f(ra[j * isa], rb[j * isb]) }
                }
            }
        }
    }

    /// True when `small` (ignoring leading 1s) equals the trailing dimensions of `shape`.
    static func isTrailing(_ small: [Int], of shape: [Int]) -> Bool {
        var s = small[...]
        while let f = s.first, f == 1 { s = s.dropFirst() }
        if s.isEmpty || s.count > shape.count { return false }
        return s.elementsEqual(shape[(shape.count - s.count)...])
    }

    /// Runs `body(row, cols)` for `count` rows of `cols` elements, in parallel when large.
    static func rows(_ count: Int, _ cols: Int, _ body: (Int, Int) -> Void) {
        let minRows = max(1, Parallel.elementThreshold / max(cols, 1))
        if count * cols < 2 * Parallel.elementThreshold {
            for r in 0..<count { body(r, cols) }
        } else {
            Parallel.forRange(count, minChunk: minRows) { rr in for r in rr { body(r, cols) } }
        }
    }

    /// `f(c, a, b)`-style select: `cond != 0 ? a : b` with three-way broadcasting (no autodiff).
    static func select(_ cond: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = Shape.broadcast(Shape.broadcast(cond.shape, a.shape, op: "where"), b.shape, op: "where")
        let out = Tensor(uninitializedShape: shape)
        let n = out.count
        if n == 0 { return out }
        let sc = Shape.broadcastStrides(shape: cond.shape, strides: cond.strides, to: shape)
        let sa = Shape.broadcastStrides(shape: a.shape, strides: a.strides, to: shape)
        let sb = Shape.broadcastStrides(shape: b.shape, strides: b.strides, to: shape)
        let loop = StridedLoop(shape: shape, strides: [Shape.contiguousStrides(shape), sc, sa, sb])
        let o = out.base
        let pc = UnsafePointer(cond.storage.pointer), pa = UnsafePointer(a.storage.pointer), pb = UnsafePointer(b.storage.pointer)
        let cnt = loop.innerCount
        let ic = loop.innerStrides[1], ia = loop.innerStrides[2], ib = loop.innerStrides[3]
        withExtendedLifetime((cond, a, b)) {
            loop.parallelRows(base: [0, cond.offset, a.offset, b.offset]) { offs in
                let ro = o + offs[0], rc = pc + offs[1], ra = pa + offs[2], rb = pb + offs[3]
                for j in 0..<cnt { ro[j] = rc[j * ic] != 0 ? ra[j * ia] : rb[j * ib] }
            }
        }
        return out
    }
}

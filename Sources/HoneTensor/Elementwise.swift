import HoneCompute

/// A scalar function applied elementwise. Conforming types are small structs, so the generic
/// loops below are specialized and inlined per function (no closure call per element).
protocol UnaryFunction {
    func callAsFunction(_ x: Float) -> Float
}

/// A scalar function of two arguments applied elementwise with broadcasting. `arithmetic`
/// names the per-ISA C kernel that computes the same function (same bits), if there is one.
protocol BinaryFunction {
    func callAsFunction(_ a: Float, _ b: Float) -> Float
    var arithmetic: Arithmetic? { get }
}

extension BinaryFunction {
    var arithmetic: Arithmetic? { nil }
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
                if (ac == n || ac == 1) && (bc == n || bc == 1) {
                    let sa = ac == n ? 1 : 0, sb = bc == n ? 1 : 0
                    Parallel.forElements(n) { r in
                        run(f, pa + r.lowerBound * sa, sa, pb + r.lowerBound * sb, sb, o + r.lowerBound, r.count)
                    }
                    return
                }
                if ac == n && isTrailing(b.shape, of: shape) {
                    rows(n / bc, bc) { r, c in run(f, pa + r * c, 1, pb, 1, o + r * c, c) }
                    return
                }
                if bc == n && isTrailing(a.shape, of: shape) {
                    rows(n / ac, ac) { r, c in run(f, pa, 1, pb + r * c, 1, o + r * c, c) }
                    return
                }
            }
            let sa = Shape.broadcastStrides(shape: a.shape, strides: a.strides, to: shape)
            let sb = Shape.broadcastStrides(shape: b.shape, strides: b.strides, to: shape)
            let loop = StridedLoop(shape: shape, strides: [Shape.contiguousStrides(shape), sa, sb])
            let pa = UnsafePointer(a.storage.pointer), pb = UnsafePointer(b.storage.pointer)
            let cnt = loop.innerCount, isa = loop.innerStrides[1], isb = loop.innerStrides[2]
            loop.parallelRows(base: [0, a.offset, b.offset]) { offs in
                run(f, pa + offs[1], isa, pb + offs[2], isb, o + offs[0], cnt)
            }
        }
    }

    /// o[i] = f(a[i·sa], b[i·sb]) for i < n: the C kernel when `f` has one and the strides are
    /// 0 or 1, else a Swift loop specialized for vector / scalar operands.
    @inline(__always)
    static func run<F: BinaryFunction>(_ f: F, _ a: UnsafePointer<Float>, _ sa: Int, _ b: UnsafePointer<Float>, _ sb: Int,
                                       _ o: UnsafeMutablePointer<Float>, _ n: Int) {
        if let k = f.arithmetic, sa == 0 || sa == 1, sb == 0 || sb == 1 {
            k.apply(a, stride: sa, b, stride: sb, into: o, count: n)
            return
        }
        switch (sa, sb) {
        case (1, 1): for i in 0..<n { o[i] = f(a[i], b[i]) }
        case (1, 0): let s = b[0]; for i in 0..<n { o[i] = f(a[i], s) }
        case (0, 1): let s = a[0]; for i in 0..<n { o[i] = f(s, b[i]) }
        default: for i in 0..<n { o[i] = f(a[i * sa], b[i * sb]) }
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

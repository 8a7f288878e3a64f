extension Tensor {
    /// Result shape after reducing `axes` (kept as size 1 or removed).
    func reducedShape(_ axes: [Int], keepDims: Bool) -> [Int] {
        if keepDims { var s = shape; for a in axes { s[a] = 1 }; return s }
        return shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }

    /// Normalized axes; an empty list means all axes.
    func reductionAxes(_ axes: [Int]?, op: String) -> [Int] {
        guard let axes, !axes.isEmpty else { return Array(0..<rank) }
        return Shape.axes(axes, rank: rank, op: op)
    }

    /// Sum over `axes` (all axes when nil).
    ///
    /// ```swift
    /// let total = x.sum()                              // shape []
    /// let perRow = x.sum(axes: [1], keepDims: true)    // [N, 1]
    /// ```
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let ax = reductionAxes(axes, op: "sum")
        let inShape = shape
        let kept = reducedShape(ax, keepDims: true)
        let reduced = ax.isEmpty ? self.contiguousData() : Reduce.reduce(self, axes: ax, SumReduce())
        var out = reduced.viewReshaped(reducedShape(ax, keepDims: keepDims))
        out.node = nil
        Tensor.record("sum", &out, [self]) { g, _ in [g.reshaped(kept).expanded(to: inShape)] }
        return out
    }

    /// Sum along one axis.
    ///
    /// ```swift
    /// let colSums = m.sum(axis: 0)
    /// ```
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor { sum(axes: [axis], keepDims: keepDims) }

    /// Mean over `axes` (all axes when nil).
    ///
    /// ```swift
    /// let loss = (p - y).square().mean()
    /// ```
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let ax = reductionAxes(axes, op: "mean")
        let n = ax.reduce(1) { $0 * shape[$1] }
        return sum(axes: ax, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }

    /// Mean along one axis.
    ///
    /// ```swift
    /// let rowMeans = m.mean(axis: 1)
    /// ```
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor { mean(axes: [axis], keepDims: keepDims) }

    /// Variance over `axes` (all when nil), two-pass (mean first) for accuracy. `unbiased`
    /// divides by N − 1 (Bessel's correction; PyTorch's `var` default) instead of N (the biased
    /// batch variance used by batch normalization, and this function's default).
    ///
    /// ```swift
    /// let v = x.variance(axes: [0], unbiased: false)
    /// ```
    public func variance(axes: [Int]? = nil, keepDims: Bool = false, unbiased: Bool = false) -> Tensor {
        let ax = reductionAxes(axes, op: "variance")
        let n = ax.reduce(1) { $0 * shape[$1] }
        let d = self - mean(axes: ax, keepDims: true)
        let denom = Float(Swift.max(n - (unbiased ? 1 : 0), 1))
        return d.square().sum(axes: ax, keepDims: keepDims) * (1 / denom)
    }

    /// Variance along one axis.
    ///
    /// ```swift
    /// let v = x.variance(axis: 1, unbiased: true)
    /// ```
    public func variance(axis: Int, keepDims: Bool = false, unbiased: Bool = false) -> Tensor {
        variance(axes: [axis], keepDims: keepDims, unbiased: unbiased)
    }

    /// Max or min with its gradient routed to the extreme elements (split evenly on ties).
    func extreme<F: ReduceFunction>(_ name: String, axes: [Int]?, keepDims: Bool, _ f: F) -> Tensor {
        let ax = reductionAxes(axes, op: name)
        check(count > 0 || ax.allSatisfy { shape[$0] > 0 }, "\(name): reduction over an empty axis of shape \(shape)")
        let kept = reducedShape(ax, keepDims: true)
        let r = Reduce.reduce(self, axes: ax, f)
        var out = r.viewReshaped(reducedShape(ax, keepDims: keepDims))
        out.node = nil
        if Tensor.isRecording(self) {
            let x = detached(), y = r.detached()
            Tensor.record(name, &out, [self]) { g, _ in
                let hit = Elementwise.zip(x, y, EqualF(), op: name + " backward")
                let ties = Reduce.reduce(hit, axes: ax, SumReduce())
                let share = Elementwise.zip(g.reshaped(kept), ties, DivF(), op: name + " backward")
                return [Elementwise.zip(hit, share, MulF(), op: name + " backward")]
            }
        }
        return out
    }

    /// Maximum over `axes` (all when nil). The gradient goes to the maximal elements.
    ///
    /// ```swift
    /// let m = logits.max(axes: [1])
    /// ```
    public func max(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        extreme("max", axes: axes, keepDims: keepDims, MaxReduce())
    }

    /// Maximum along one axis.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor { max(axes: [axis], keepDims: keepDims) }

    /// Minimum over `axes` (all when nil). The gradient goes to the minimal elements.
    ///
    /// ```swift
    /// let m = x.min()
    /// ```
    public func min(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        extreme("min", axes: axes, keepDims: keepDims, MinReduce())
    }

    /// Minimum along one axis.
    public func min(axis: Int, keepDims: Bool = false) -> Tensor { min(axes: [axis], keepDims: keepDims) }

    /// Index of the (first) maximum along `axis`, for every position of the other axes in
    /// row-major order (length `count / shape[axis]`). Not differentiable.
    ///
    /// ```swift
    /// let predicted = logits.argmax(axis: 1)   // [Int], one class per row
    /// ```
    public func argmax(axis: Int = -1) -> [Int] {
        let a = Shape.axis(axis, rank: rank, op: "argmax")
        let n = shape[a]
        check(n > 0, "argmax: axis \(a) of shape \(shape) is empty")
        let outer = Shape.count(Array(shape[..<a])), inner = Shape.count(Array(shape[(a + 1)...]))
        var result = [Int](repeating: 0, count: outer * inner)
        let c = contiguousData()
        withExtendedLifetime(c) {
            let p = UnsafePointer(c.base)
            result.withUnsafeMutableBufferPointer { r in
                var best = [Float](repeating: 0, count: inner)
                for o in 0..<outer {
                    let block = p + o * n * inner
                    for i in 0..<inner { best[i] = block[i]; r[o * inner + i] = 0 }
                    for j in 1..<Swift.max(n, 1) {
                        let row = block + j * inner
                        for i in 0..<inner where row[i] > best[i] || (row[i].isNaN && !best[i].isNaN) {
                            best[i] = row[i]; r[o * inner + i] = j
                        }
                    }
                }
            }
        }
        return result
    }
}

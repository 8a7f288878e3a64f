extension Tensor {
    /// Reshape of a contiguous tensor as a view (internal, no autodiff).
    func viewReshaped(_ newShape: [Int]) -> Tensor {
        Tensor(storage: storage, shape: newShape, strides: Shape.contiguousStrides(newShape), offset: offset)
    }

    /// Resolves one `-1` in `newShape` and checks the element count.
    func resolveShape(_ newShape: [Int], op: String) -> [Int] {
        var s = newShape
        let unknown = s.indices.filter { s[$0] == -1 }
        check(unknown.count <= 1, "\(op): more than one -1 in \(newShape)")
        if let u = unknown.first {
            let known = Shape.count(s.enumerated().filter { $0.offset != u }.map(\.element))
            check(known > 0 && count % known == 0, "\(op): cannot reshape \(shape) into \(newShape)")
            s[u] = count / known
        }
        Shape.validate(s, op: op)
        check(Shape.count(s) == count, "\(op): cannot reshape \(shape) (\(count) elements) into \(newShape)")
        return s
    }

    /// The same elements with a new shape (one dimension may be -1). A view when the tensor is
    /// contiguous, else a copy.
    ///
    /// ```swift
    /// let flat = images.reshaped([-1, 784])
    /// ```
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let s = resolveShape(newShape, op: "reshaped")
        if s == shape { return self }
        var out = contiguousData().viewReshaped(s)
        out.node = nil
        let inShape = shape
        Tensor.record("reshape", &out, [self]) { g, _ in [g.reshaped(inShape)] }
        return out
    }

    /// Flattens dimensions `startAxis...` into one (default: everything after the batch axis).
    ///
    /// ```swift
    /// let x2 = features.flattened()   // [N, C, H, W] → [N, C·H·W]
    /// ```
    public func flattened(startAxis: Int = 1) -> Tensor {
        let a = Shape.axis(startAxis, rank: rank, op: "flattened")
        return reshaped(Array(shape[..<a]) + [Shape.count(Array(shape[a...]))])
    }

    /// Reorders the dimensions (a view, no copy): result dimension i is input dimension `order[i]`.
    ///
    /// ```swift
    /// let nhwc = x.permuted([0, 2, 3, 1])
    /// ```
    public func permuted(_ order: [Int]) -> Tensor {
        check(order.count == rank && Set(order) == Set(0..<rank),
                     "permuted: \(order) is not a permutation of the axes of shape \(shape)")
        var out = Tensor(storage: storage, shape: order.map { shape[$0] }, strides: order.map { strides[$0] },
                         offset: offset)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, o) in order.enumerated() { inverse[o] = i }
        Tensor.record("permute", &out, [self]) { g, _ in [g.permuted(inverse)] }
        return out
    }

    /// Swaps two axes (a view). Without arguments swaps the last two (matrix transpose).
    ///
    /// ```swift
    /// let wt = w.transposed()
    /// ```
    public func transposed(_ axis0: Int = -2, _ axis1: Int = -1) -> Tensor {
        check(rank >= 2 || (rank == 1 && axis0 == -2 && axis1 == -1),
                     "transposed: needs rank ≥ 2, got shape \(shape)")
        if rank < 2 { return self }
        let a = Shape.axis(axis0, rank: rank, op: "transposed"), b = Shape.axis(axis1, rank: rank, op: "transposed")
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return permuted(order)
    }

    /// Elements `range` (every `step`-th) along `axis`, as a view.
    ///
    /// ```swift
    /// let firstTen = x.slice(axis: 0, 0..<10)
    /// let evenCols = x.slice(axis: 1, 0..<x.shape[1], step: 2)
    /// ```
    public func slice(axis: Int, _ range: Range<Int>, step: Int = 1) -> Tensor {
        let a = Shape.axis(axis, rank: rank, op: "slice")
        check(step > 0, "slice: step must be positive, got \(step)")
        check(range.lowerBound >= 0 && range.upperBound <= shape[a],
                     "slice: range \(range) out of bounds for axis \(a) of shape \(shape)")
        var newShape = shape, newStrides = strides
        newShape[a] = (range.count + step - 1) / step
        newStrides[a] = strides[a] * step
        var out = Tensor(storage: storage, shape: newShape, strides: newStrides,
                         offset: offset + range.lowerBound * strides[a])
        let inShape = shape
        let start = range.lowerBound
        Tensor.record("slice", &out, [self]) { g, _ in
            var z = Tensor.zeros(inShape)
            var st = z.strides
            let off = start * st[a]
            st[a] *= step
            StridedCopy.copy(from: g, to: z.base + off, dstStrides: st)
            z.node = nil
            return [z]
        }
        return out
    }

    /// The sub-tensor at `index` along `axis`, with that axis removed (a view).
    ///
    /// ```swift
    /// let firstImage = batch.select(axis: 0, index: 0)
    /// ```
    public func select(axis: Int, index: Int) -> Tensor {
        let a = Shape.axis(axis, rank: rank, op: "select")
        check(index >= 0 && index < shape[a], "select: index \(index) out of bounds for axis \(a) of shape \(shape)")
        return slice(axis: a, index..<(index + 1)).squeezed(axis: a)
    }

    /// `select(axis: 0, index:)`.
    ///
    /// ```swift
    /// let row = m[1]
    /// ```
    public subscript(_ index: Int) -> Tensor { select(axis: 0, index: index) }

    /// `slice(axis: 0, range)`.
    ///
    /// ```swift
    /// let batch = data[0..<128]
    /// ```
    public subscript(_ range: Range<Int>) -> Tensor { slice(axis: 0, range) }

    /// Removes a size-1 axis (a view).
    ///
    /// ```swift
    /// let v = Tensor.zeros([3, 1]).squeezed(axis: 1)   // [3]
    /// ```
    public func squeezed(axis: Int) -> Tensor {
        let a = Shape.axis(axis, rank: rank, op: "squeezed")
        check(shape[a] == 1, "squeezed: axis \(a) of shape \(shape) is not 1")
        var s = shape, st = strides
        s.remove(at: a); st.remove(at: a)
        var out = Tensor(storage: storage, shape: s, strides: st, offset: offset)
        let inShape = shape
        Tensor.record("squeeze", &out, [self]) { g, _ in [g.reshaped(inShape)] }
        return out
    }

    /// Inserts a size-1 axis at `axis` (0...rank; negative counts from the end) (a view).
    ///
    /// ```swift
    /// let row = v.unsqueezed(axis: 0)   // [3] → [1, 3]
    /// ```
    public func unsqueezed(axis: Int) -> Tensor {
        let a = axis < 0 ? axis + rank + 1 : axis
        check(a >= 0 && a <= rank, "unsqueezed: axis \(axis) out of range for shape \(shape)")
        var s = shape, st = strides
        s.insert(1, at: a); st.insert(a < rank ? strides[a] * shape[a] : 1, at: a)
        var out = Tensor(storage: storage, shape: s, strides: st, offset: offset)
        let inShape = shape
        Tensor.record("unsqueeze", &out, [self]) { g, _ in [g.reshaped(inShape)] }
        return out
    }

    /// A broadcast view of this tensor as `newShape` (0 strides, no copy); NumPy rules.
    ///
    /// ```swift
    /// let rows = bias.expanded(to: [128, 10])
    /// ```
    public func expanded(to newShape: [Int]) -> Tensor {
        let b = Shape.broadcast(shape, newShape, op: "expanded")
        check(b == newShape, "expanded: shape \(shape) cannot be expanded to \(newShape)")
        var out = Tensor(storage: storage, shape: newShape,
                         strides: Shape.broadcastStrides(shape: shape, strides: strides, to: newShape), offset: offset)
        let inShape = shape
        Tensor.record("expand", &out, [self]) { g, _ in [g.sumToShape(inShape)] }
        return out
    }

    /// A tensor with the same values laid out densely (this tensor itself when already so).
    ///
    /// ```swift
    /// let dense = x.transposed().contiguous()
    /// ```
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        var out = Tensor.materialize(self)
        Tensor.record("contiguous", &out, [self]) { g, _ in [g] }
        return out
    }
}

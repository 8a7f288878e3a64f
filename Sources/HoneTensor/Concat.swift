extension Tensor {
    /// Joins tensors along `axis`; all other dimensions must match.
    ///
    /// ```swift
    /// let ab = Tensor.concat([a, b], axis: 0)   // [2, 3] + [4, 3] → [6, 3]
    /// ```
    public static func concat(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        check(!tensors.isEmpty, "concat: no tensors")
        let first = tensors[0]
        let a = Shape.axis(axis, rank: first.rank, op: "concat")
        var total = 0
        for t in tensors {
            var s0 = first.shape, s1 = t.shape
            if s0.count == s1.count { s0[a] = 0; s1[a] = 0 }
            check(s0 == s1, "concat: shapes \(first.shape) and \(t.shape) differ outside axis \(a)")
            total += t.shape[a]
        }
        var outShape = first.shape
        outShape[a] = total
        var out = Tensor(uninitializedShape: outShape)
        let outStrides = out.strides
        var start = 0
        var ranges: [Range<Int>] = []
        for t in tensors {
            let len = t.shape[a]
            withExtendedLifetime(t) {
                StridedCopy.copy(from: t, to: out.base + start * outStrides[a], dstStrides: outStrides)
            }
            ranges.append(start..<(start + len))
            start += len
        }
        record("concat", &out, tensors) { g, needs in
            zip(ranges, needs).map { r, need in need ? g.slice(axis: a, r) : nil }
        }
        return out
    }

    /// Stacks same-shaped tensors along a new axis.
    ///
    /// ```swift
    /// let batch = Tensor.stack(images, axis: 0)   // n × [C, H, W] → [n, C, H, W]
    /// ```
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        check(!tensors.isEmpty, "stack: no tensors")
        for t in tensors {
            check(t.shape == tensors[0].shape, "stack: shapes \(tensors[0].shape) and \(t.shape) differ")
        }
        return concat(tensors.map { $0.unsqueezed(axis: axis) }, axis: axis)
    }

    /// Splits along `axis` into pieces of the given sizes (views, no copy).
    ///
    /// ```swift
    /// let parts = x.split(sizes: [2, 3], axis: 1)
    /// ```
    public func split(sizes: [Int], axis: Int = 0) -> [Tensor] {
        let a = Shape.axis(axis, rank: rank, op: "split")
        check(sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[a],
                     "split: sizes \(sizes) do not add up to axis \(a) of shape \(shape)")
        var start = 0
        return sizes.map { s in
            defer { start += s }
            return slice(axis: a, start..<(start + s))
        }
    }

    /// Splits along `axis` into `count` pieces of equal size (views).
    ///
    /// ```swift
    /// let (q, k, v) = { let p = qkv.split(count: 3, axis: -1); return (p[0], p[1], p[2]) }()
    /// ```
    public func split(count parts: Int, axis: Int = 0) -> [Tensor] {
        let a = Shape.axis(axis, rank: rank, op: "split")
        check(parts > 0 && shape[a] % parts == 0, "split: axis \(a) of shape \(shape) does not split into \(parts) equal parts")
        return split(sizes: Array(repeating: shape[a] / parts, count: parts), axis: a)
    }
}

extension Tensor {
    /// Picks the slices `indices` along `axis` (repeats allowed): an embedding lookup is
    /// `table.indexSelect(axis: 0, indices: tokenIDs)`. The gradient is scatter-added.
    ///
    /// ```swift
    /// let vectors = embedding.indexSelect(axis: 0, indices: [3, 1, 3])   // [3, dim]
    /// ```
    public func indexSelect(axis: Int, indices: [Int]) -> Tensor {
        let a = Shape.axis(axis, rank: rank, op: "indexSelect")
        let n = shape[a]
        for i in indices where i < 0 || i >= n {
            fatalError("indexSelect: index \(i) out of range for axis \(a) of shape \(shape)")
        }
        let outer = Shape.count(Array(shape[..<a])), inner = Shape.count(Array(shape[(a + 1)...]))
        var outShape = shape
        outShape[a] = indices.count
        var out = Tensor(uninitializedShape: outShape)
        let m = indices.count
        let xc = contiguousData()
        let po = out.base
        withExtendedLifetime(xc) {
            let px = UnsafePointer(xc.base)
            indices.withUnsafeBufferPointer { idx in
                Parallel.forRange(outer * m, minChunk: Swift.max(1, Parallel.elementThreshold / Swift.max(inner, 1))) { r in
                    for t in r {
                        let o = t / m, j = t % m
                        (po + (o * m + j) * inner).update(from: px + (o * n + idx[j]) * inner, count: inner)
                    }
                }
            }
        }
        Tensor.recordScatter("indexSelect", &out, self) { src, pg in
            for o in 0..<outer {
                for j in 0..<m {
                    let d = pg + (o * n + indices[j]) * inner, s = src + (o * m + j) * inner
                    for i in 0..<inner { d[i] += s[i] }
                }
            }
        }
        return out
    }

    /// PyTorch-style gather: `out[…, j, …] = self[…, indices[…, j, …], …]` along `axis`. The
    /// index array (row-major) has this tensor's shape except along `axis`, whose length is
    /// inferred from `indices.count`. The gradient is scatter-added.
    ///
    /// ```swift
    /// let picked = logp.gather(axis: 1, indices: labels.map(Int.init))   // [N, 1]
    /// ```
    public func gather(axis: Int, indices: [Int]) -> Tensor {
        let a = Shape.axis(axis, rank: rank, op: "gather")
        let n = shape[a]
        let outer = Shape.count(Array(shape[..<a])), inner = Shape.count(Array(shape[(a + 1)...]))
        let plane = outer * inner
        check(plane > 0 && indices.count % plane == 0,
                     "gather: \(indices.count) indices do not fit shape \(shape) along axis \(a)")
        let m = indices.count / plane
        for i in indices where i < 0 || i >= n {
            fatalError("gather: index \(i) out of range for axis \(a) of shape \(shape)")
        }
        var outShape = shape
        outShape[a] = m
        var out = Tensor(uninitializedShape: outShape)
        let xc = contiguousData()
        let po = out.base
        withExtendedLifetime(xc) {
            let px = UnsafePointer(xc.base)
            for o in 0..<outer {
                for j in 0..<m {
                    for i in 0..<inner {
                        let t = (o * m + j) * inner + i
                        po[t] = px[(o * n + indices[t]) * inner + i]
                    }
                }
            }
        }
        Tensor.recordScatter("gather", &out, self) { src, pg in
            for o in 0..<outer {
                for j in 0..<m {
                    for i in 0..<inner {
                        let t = (o * m + j) * inner + i
                        pg[(o * n + indices[t]) * inner + i] += src[t]
                    }
                }
            }
        }
        return out
    }

    /// One-hot rows: `[labels.count, classes]` with a 1 at each label.
    ///
    /// ```swift
    /// let targets = Tensor.oneHot([2, 0], classes: 3)   // [[0,0,1],[1,0,0]]
    /// ```
    public static func oneHot(_ labels: [Int32], classes: Int) -> Tensor {
        oneHot(labels.map(Int.init), classes: classes)
    }

    /// One-hot rows for `Int` labels.
    public static func oneHot(_ labels: [Int], classes: Int) -> Tensor {
        check(classes > 0, "oneHot: classes must be positive, got \(classes)")
        let t = zeros([labels.count, classes])
        let p = t.base
        for (i, l) in labels.enumerated() {
            check(l >= 0 && l < classes, "oneHot: label \(l) at position \(i) is outside 0..<\(classes)")
            p[i * classes + l] = 1
        }
        return t
    }
}

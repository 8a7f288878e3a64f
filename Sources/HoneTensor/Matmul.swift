import HoneCompute

/// How a 2-D (strided) matrix is handed to `sgemm`: as is, or as the transpose of a row-major
/// matrix; `nil` when it needs a contiguous copy first.

struct GemmLayout {
    var transposed: Bool
    var ld: Int

    /// Matrix of `rows`×`cols` with element (i, j) at `i·s0 + j·s1`.
    init?(rows: Int, cols: Int, s0: Int, s1: Int) {
        if (s1 == 1 || cols == 1) && (rows == 1 || s0 >= Swift.max(cols, 1)) {
            transposed = false; ld = rows == 1 ? Swift.max(cols, 1) : s0
        } else if (s0 == 1 || rows == 1) && (cols == 1 || s1 >= Swift.max(rows, 1)) {
            transposed = true; ld = cols == 1 ? Swift.max(rows, 1) : s1
        } else {
            return nil
        }
    }
}

extension Tensor {
    /// Batched matrix product without autodiff: `a` [..., m, k] · `b` [..., k, n] with batch
    /// dimensions broadcast. Transposed views are passed to `sgemm` as transposition flags.
    static func matmulCore(_ a0: Tensor, _ b0: Tensor) -> Tensor {
        let m = a0.shape[a0.rank - 2], k = a0.shape[a0.rank - 1]
        let k2 = b0.shape[b0.rank - 2], n = b0.shape[b0.rank - 1]
        check(k == k2, "matmul: shapes \(a0.shape) and \(b0.shape) are incompatible")
        let batchA = Array(a0.shape.dropLast(2)), batchB = Array(b0.shape.dropLast(2))
        let batch = Shape.broadcast(batchA, batchB, op: "matmul")
        // A batched left operand times a plain matrix: fold the batch into the rows (one GEMM).
        if b0.rank == 2 && a0.rank > 2 && a0.isContiguous {
            let r = matmulCore(a0.viewReshaped([a0.count / Swift.max(k, 1), k]), b0)
            return r.viewReshaped(batch + [m, n])
        }
        var a = a0, b = b0
        var la = GemmLayout(rows: m, cols: k, s0: a.strides[a.rank - 2], s1: a.strides[a.rank - 1])
        if la == nil { a = a.contiguousData(); la = GemmLayout(rows: m, cols: k, s0: k, s1: 1) }
        var lb = GemmLayout(rows: k, cols: n, s0: b.strides[b.rank - 2], s1: b.strides[b.rank - 1])
        if lb == nil { b = b.contiguousData(); lb = GemmLayout(rows: k, cols: n, s0: n, s1: 1) }
        let out = Tensor(uninitializedShape: batch + [m, n])
        let batchCount = Shape.count(batch)
        if out.count == 0 { return out }
        if k == 0 { out.base.update(repeating: 0, count: out.count); return out }
        let sa = Shape.broadcastStrides(shape: batchA, strides: Array(a.strides.dropLast(2)), to: batch)
        let sb = Shape.broadcastStrides(shape: batchB, strides: Array(b.strides.dropLast(2)), to: batch)
        let pa = UnsafePointer(a.storage.pointer), pb = UnsafePointer(b.storage.pointer), pc = out.base
        let (lA, lB) = (la!, lb!)
        let one: (Int) -> Void = { i in
            var oa = a.offset, ob = b.offset, rem = i
            for d in stride(from: batch.count - 1, through: 0, by: -1) {
                let idx = rem % batch[d]; rem /= batch[d]
                oa += idx * sa[d]; ob += idx * sb[d]
            }
            sgemm(transA: lA.transposed, transB: lB.transposed, m: m, n: n, k: k, alpha: 1,
                  a: pa + oa, lda: lA.ld, b: pb + ob, ldb: lB.ld, beta: 0, c: pc + i * m * n, ldc: n)
        }
        withExtendedLifetime((a, b)) {
            if batchCount > 1 && m * n * k < 1 << 18 {
                // Many small products: one per thread (the GEMM inside then runs serially).
                Parallel.forRange(batchCount, minChunk: 1) { r in for i in r { one(i) } }
            } else {
                for i in 0..<batchCount { one(i) }
            }
        }
        return out
    }

    /// Matrix product with NumPy semantics: 2-d × 2-d, batched [..., m, k] × [..., k, n] with
    /// broadcast batch dimensions, and 1-d operands treated as a row (left) or column (right)
    /// vector whose axis is dropped from the result.
    ///
    /// ```swift
    /// let y = x.matmul(w)            // [128, 784] · [784, 256] → [128, 256]
    /// let z = q.matmul(k.transposed())   // batched, no copy of k
    /// ```
    public func matmul(_ other: Tensor) -> Tensor {
        check(rank >= 1 && other.rank >= 1, "matmul: shapes \(shape) and \(other.shape) are incompatible")
        if rank == 1 { return unsqueezed(axis: 0).matmul(other).squeezed(axis: -2) }
        if other.rank == 1 { return matmul(other.unsqueezed(axis: 1)).squeezed(axis: -1) }
        guard shape[rank - 1] == other.shape[other.rank - 2] else {
            fatalError("matmul: shapes \(shape) and \(other.shape) are incompatible")
        }
        var out = Tensor.matmulCore(self, other)
        if Tensor.isRecording(self, other) {
            let a = detached(), b = other.detached()
            Tensor.record("matmul", &out, [self, other]) { g, needs in
                var ga: Tensor? = nil, gb: Tensor? = nil
                if needs[0] { ga = Tensor.matmulCore(g, b.transposed()).sumToShape(a.shape) }
                if needs[1] {
                    if b.rank == 2 && a.rank > 2 {
                        let k = a.shape[a.rank - 1], n = b.shape[1]
                        let a2 = a.contiguousData().viewReshaped([a.count / Swift.max(k, 1), k])
                        let g2 = g.contiguousData().viewReshaped([g.count / Swift.max(n, 1), n])
                        gb = Tensor.matmulCore(a2.transposed(), g2)
                    } else {
                        gb = Tensor.matmulCore(a.transposed(), g).sumToShape(b.shape)
                    }
                }
                return [ga, gb]
            }
        }
        return out
    }
}

/// Free-function form of `a.matmul(b)`.
///
/// ```swift
/// let c = matmul(a, b)
/// ```
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor { a.matmul(b) }

import HoneCompute

/// Row kernels for softmax and log-softmax over the last axis of a contiguous [rows, cols]
/// buffer. Stable form: subtract the row maximum before exponentiating, so huge logits do not
/// overflow (softmax(x) = softmax(x − max x)).

enum SoftmaxKernels {
    /// Forward rows through `VectorMath` (vectorized exp, max and sum fused in one read pass).
    static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, log: Bool) {
        if log {
            VectorMath.logSoftmaxRows(x, y, rows: rows, cols: cols)
        } else {
            VectorMath.softmaxRows(x, y, rows: rows, cols: cols)
        }
    }

    /// softmax: dx = y ⊙ (g − Σ g⊙y); log-softmax: dx = g − softmax ⊙ Σ g.
    static func backward(_ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                         rows: Int, cols: Int, log: Bool) {
        if log { VectorMath.exp(y, dx, count: rows * cols) }   // softmax = exp(log-softmax)
        Elementwise.rows(rows, cols) { r, n in
            let gr = g + r * n, yr = y + r * n, dr = dx + r * n
            var s: Float = 0
            if log {
                for j in 0..<n { s += gr[j] }
                for j in 0..<n { dr[j] = gr[j] - dr[j] * s }
            } else {
                for j in 0..<n { s += gr[j] * yr[j] }
                for j in 0..<n { dr[j] = yr[j] * (gr[j] - s) }
            }
        }
    }
}

extension Tensor {
    func softmaxLike(axis: Int, log: Bool) -> Tensor {
        let name = log ? "logSoftmax" : "softmax"
        check(rank >= 1, "\(name): needs rank ≥ 1, got shape \(shape)")
        let a = Shape.axis(axis, rank: rank, op: name)
        if a != rank - 1 {
            var order = Array(0..<rank)
            order.remove(at: a); order.append(a)
            var inverse = [Int](repeating: 0, count: rank)
            for (i, o) in order.enumerated() { inverse[o] = i }
            return permuted(order).softmaxLike(axis: -1, log: log).permuted(inverse)
        }
        let cols = shape[rank - 1], rows = cols == 0 ? 0 : count / cols
        let c = contiguousData()
        var out = Tensor(uninitializedShape: shape)
        withExtendedLifetime(c) {
            SoftmaxKernels.forward(c.base, out.base, rows: rows, cols: cols, log: log)
        }
        if Tensor.isRecording(self) {
            let y = out.detached()
            Tensor.record(name, &out, [self]) { g, _ in
                let gc = g.contiguousData()
                let dx = Tensor(uninitializedShape: y.shape)
                withExtendedLifetime(gc) {
                    SoftmaxKernels.backward(gc.base, y.base, dx.base, rows: rows, cols: cols, log: log)
                }
                return [dx]
            }
        }
        return out
    }

    /// Softmax along `axis` (default: last), computed stably (row max subtracted first).
    ///
    /// ```swift
    /// let probabilities = logits.softmax()
    /// ```
    public func softmax(axis: Int = -1) -> Tensor { softmaxLike(axis: axis, log: false) }

    /// log(softmax(x)) along `axis` = x − max − log Σ exp(x − max): stable for huge logits.
    ///
    /// ```swift
    /// let logp = logits.logSoftmax()
    /// ```
    public func logSoftmax(axis: Int = -1) -> Tensor { softmaxLike(axis: axis, log: true) }
}

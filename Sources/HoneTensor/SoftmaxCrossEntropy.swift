import HoneCompute

extension Tensor {
    /// Mean cross-entropy of `logits` [N, C] against integer class `labels` (length N):
    /// −(1/N) Σᵢ log softmax(logitsᵢ)[labelᵢ], fused into one pass per row. The backward is
    /// (softmax − onehot)/N, computed from the saved log-probabilities without extra tensors.
    ///
    /// ```swift
    /// let loss = Tensor.softmaxCrossEntropy(logits: model(x), labels: y)   // y: [Int32]
    /// loss.backward()
    /// ```
    public static func softmaxCrossEntropy(logits: Tensor, labels: [Int32]) -> Tensor {
        check(logits.rank == 2 && logits.shape[0] == labels.count,
                     "softmaxCrossEntropy: logits \(logits.shape) and \(labels.count) labels are incompatible (need [N, C] and N labels)")
        let rows = logits.shape[0], cols = logits.shape[1]
        for (i, l) in labels.enumerated() where l < 0 || Int(l) >= cols {
            fatalError("softmaxCrossEntropy: label \(l) at position \(i) is outside 0..<\(cols)")
        }
        let xc = logits.contiguousData()
        let logp = Tensor(uninitializedShape: [rows, cols])
        var total: Double = 0
        withExtendedLifetime(xc) {
            SoftmaxKernels.forward(xc.base, logp.base, rows: rows, cols: cols, log: true)
        }
        let lp = logp.base
        for (i, l) in labels.enumerated() { total -= Double(lp[i * cols + Int(l)]) }
        var out = Tensor(Float(total / Double(Swift.max(rows, 1))))
        if isRecording(logits) {
            record("softmaxCrossEntropy", &out, [logits]) { g, _ in
                let scale = g.scalar / Float(Swift.max(rows, 1))
                let dx = Tensor(uninitializedShape: [rows, cols])
                let pd = dx.base
                let src = logp.base
                if dx.count > 0 { VectorMath.exp(src, pd, count: dx.count) }   // softmax = exp(log-softmax)
                Elementwise.rows(rows, cols) { r, n in
                    let d = pd + r * n
                    for j in 0..<n { d[j] *= scale }
                    d[Int(labels[r])] -= scale
                }
                return [dx]
            }
        }
        return out
    }
}

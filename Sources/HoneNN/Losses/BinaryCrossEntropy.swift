import HoneTensor

extension Loss {
    /// Binary cross-entropy from logits (PyTorch `binary_cross_entropy_with_logits`), computed
    /// stably as `softplus(x) − x·y` = −[y·log σ(x) + (1 − y)·log(1 − σ(x))], whose gradient is
    /// σ(x) − y. `positiveWeight` p scales the positive term: `(1 − y)·x + (1 + (p − 1)·y)·softplus(−x)`.
    ///
    /// ```swift
    /// let l = Loss.binaryCrossEntropy(logits: scores, targets: labels01)
    /// ```
    public static func binaryCrossEntropy(logits: Tensor, targets: Tensor, positiveWeight: Float? = nil,
                                          reduction: Reduction = .mean) -> Tensor {
        precondition(logits.shape == targets.shape,
                     "Loss.binaryCrossEntropy: logits \(logits.shape) and targets \(targets.shape) differ")
        guard let p = positiveWeight else { return reduction.apply(logits.softplus() - logits * targets) }
        let scale = 1 + (p - 1) * targets
        return reduction.apply((1 - targets) * logits + scale * (-logits).softplus())
    }
}

import HoneTensor

/// Loss functions over predictions and targets, with PyTorch semantics (`torch.nn.functional`).
///
/// ```swift
/// let loss = Loss.crossEntropy(logits: model(x), labels: y)   // y: [Int32]
/// loss.backward()
/// ```
public enum Loss {}

extension Loss {
    /// Mean squared error `(ŷ − y)²` (PyTorch `mse_loss`).
    ///
    /// ```swift
    /// let l = Loss.meanSquaredError(prediction, target)
    /// ```
    public static func meanSquaredError(_ prediction: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
        precondition(prediction.shape == target.shape,
                     "Loss.meanSquaredError: prediction \(prediction.shape) and target \(target.shape) differ")
        return reduction.apply((prediction - target).square())
    }

    /// Mean absolute error `|ŷ − y|` (PyTorch `l1_loss`).
    ///
    /// ```swift
    /// let l = Loss.meanAbsoluteError(prediction, target, reduction: .sum)
    /// ```
    public static func meanAbsoluteError(_ prediction: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
        precondition(prediction.shape == target.shape,
                     "Loss.meanAbsoluteError: prediction \(prediction.shape) and target \(target.shape) differ")
        return reduction.apply((prediction - target).abs())
    }

    /// Huber loss (Huber 1964; PyTorch `huber_loss`): `½d²` where |d| < δ, else `δ(|d| − ½δ)`,
    /// d = ŷ − y. Computed as `½q² + δ(|d| − q)` with q = min(|d|, δ), which is the same function.
    ///
    /// ```swift
    /// let l = Loss.huber(prediction, target, delta: 1)
    /// ```
    public static func huber(_ prediction: Tensor, _ target: Tensor, delta: Float = 1, reduction: Reduction = .mean) -> Tensor {
        precondition(prediction.shape == target.shape,
                     "Loss.huber: prediction \(prediction.shape) and target \(target.shape) differ")
        precondition(delta > 0, "Loss.huber: delta must be positive, got \(delta)")
        let a = (prediction - target).abs()
        let q = Tensor.minimum(a, Tensor(delta))
        return reduction.apply(0.5 * q.square() + delta * (a - q))
    }
}

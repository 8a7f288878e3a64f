import HoneTensor

/// How a loss turns per-element (or per-sample) losses into its result, as PyTorch's `reduction`.
public enum Reduction: String, Sendable, Codable, CaseIterable {
    /// The unreduced losses (per element, or per sample for cross-entropy).
    case none
    /// The mean (for weighted cross-entropy: divided by the sum of the targets' class weights).
    case mean
    /// The sum.
    case sum
    /// The sum divided by the batch size (the first dimension): PyTorch's `kl_div(reduction="batchmean")`,
    /// the mathematically correct KL divergence per sample.
    case batchMean

    /// Applies this reduction to `losses`.
    ///
    /// ```swift
    /// Reduction.sum.apply(Tensor([1, 2, 3])).scalar   // 6
    /// ```
    public func apply(_ losses: Tensor) -> Tensor {
        switch self {
        case .none: return losses
        case .mean: return losses.mean()
        case .sum: return losses.sum()
        case .batchMean:
            let n = losses.rank == 0 ? 1 : losses.shape[0]
            return losses.sum() * (1 / Float(Swift.max(n, 1)))
        }
    }
}

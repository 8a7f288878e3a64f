/// A linear ε ramp for adversarial training: ε grows from 0 to its full value over the first
/// `epochs` epochs, batch by batch (as in Wong et al. 2020 and Gowal et al. 2019's warm-up),
/// then stays there. `epochs` = 0 means no warm-up.
///
/// ```swift
/// let ramp = try EpsilonWarmup(epsilon: 0.1, epochs: 2)
/// ramp.epsilon(epoch: 1, batch: 50, batchesPerEpoch: 100)   // 0.025
/// ```
public struct EpsilonWarmup: Sendable, Equatable {
    public let target: Float
    public let epochs: Double

    public init(epsilon: Float, epochs: Double = 0) throws {
        guard epsilon >= 0, epsilon.isFinite else {
            throw RobustnessError.invalidArgument(name: "eps", value: "\(epsilon)", expected: "a finite eps ≥ 0")
        }
        guard epochs >= 0 else {
            throw RobustnessError.invalidArgument(name: "warmup_epochs", value: "\(epochs)", expected: "warmup_epochs ≥ 0")
        }
        target = epsilon; self.epochs = epochs
    }

    /// ε for 1-based `epoch` and `batch`.
    public func epsilon(epoch: Int, batch: Int, batchesPerEpoch: Int) -> Float {
        guard epochs > 0 else { return target }
        let progress = (Double(epoch - 1) + Double(batch) / Double(max(batchesPerEpoch, 1))) / epochs
        return target * Float(min(max(progress, 0), 1))
    }
}

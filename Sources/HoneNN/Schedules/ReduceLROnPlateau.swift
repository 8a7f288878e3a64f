/// Lowers the learning rate when a monitored metric stops improving (PyTorch
/// `ReduceLROnPlateau`, relative threshold mode). Unlike ``LearningRateSchedule`` it depends on
/// the metric history, so it is a small stateful value: feed it one metric per epoch.
///
/// ```swift
/// var plateau = ReduceLROnPlateau(learningRate: 0.1, factor: 0.5, patience: 2)
/// let lr = plateau.step(metric: validationLoss)
/// ```
public struct ReduceLROnPlateau: Codable, Hashable, Sendable {
    public enum Mode: String, Codable, Sendable { case min, max }

    public var mode: Mode
    /// New rate = old · factor (must be < 1).
    public var factor: Double
    /// Epochs without improvement tolerated before lowering.
    public var patience: Int
    /// Relative improvement needed to count as better (`best · (1 ∓ threshold)`).
    public var threshold: Double
    /// Epochs to wait after a reduction before counting bad epochs again.
    public var cooldown: Int
    public var minimumLearningRate: Double
    /// The current learning rate.
    public private(set) var learningRate: Double

    private var best: Double?
    private var badEpochs = 0
    private var cooldownLeft = 0

    public init(learningRate: Double, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
                threshold: Double = 1e-4, cooldown: Int = 0, minimumLearningRate: Double = 0) {
        precondition(factor < 1, "ReduceLROnPlateau: factor must be < 1, got \(factor)")
        self.learningRate = learningRate; self.mode = mode; self.factor = factor
        self.patience = patience; self.threshold = threshold; self.cooldown = cooldown
        self.minimumLearningRate = minimumLearningRate
    }

    /// Records one epoch's metric and returns the learning rate to use next.
    public mutating func step(metric: Double) -> Double {
        if isBetter(metric) {
            best = metric; badEpochs = 0
        } else {
            badEpochs += 1
        }
        if cooldownLeft > 0 { cooldownLeft -= 1; badEpochs = 0 }
        if badEpochs > patience {
            let reduced = max(learningRate * factor, minimumLearningRate)
            // PyTorch ignores changes smaller than eps = 1e-8.
            if learningRate - reduced > 1e-8 { learningRate = reduced }
            cooldownLeft = cooldown; badEpochs = 0
        }
        return learningRate
    }

    private func isBetter(_ v: Double) -> Bool {
        guard let best else { return true }
        switch mode {
        case .min: return v < best * (1 - threshold)
        case .max: return v > best * (1 + threshold)
        }
    }
}

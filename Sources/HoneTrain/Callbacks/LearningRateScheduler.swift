import HoneNN

/// Sets the optimizer's learning rate from a ``LearningRateSchedule`` at the start of every
/// epoch (PyTorch's `scheduler.step()` once per epoch): the rate for epoch `e` (1-based) is
/// `schedule.learningRate(base: baseLearningRate, step: e − 1)`. It is applied as
/// `optimizer.learningRateScale = rate / baseLearningRate`, so per-group rates keep their
/// ratios. For per-batch schedules use `LearningRate.scheduled` in the optimizer instead.
///
/// ```swift
/// let cosine = LearningRateScheduler(.cosine(periodSteps: 20, minimum: 1e-5), baseLearningRate: 1e-3)
/// ```
public final class LearningRateScheduler: Callback {
    public let schedule: LearningRateSchedule
    public let baseLearningRate: Double

    public init(_ schedule: LearningRateSchedule, baseLearningRate: Double) {
        precondition(baseLearningRate > 0, "LearningRateScheduler: baseLearningRate must be > 0, got \(baseLearningRate)")
        self.schedule = schedule; self.baseLearningRate = baseLearningRate
    }

    public func epochWillBegin(_ epoch: Int, state: TrainingState) throws {
        state.optimizer.learningRateScale = schedule.learningRate(base: baseLearningRate, step: epoch - 1) / baseLearningRate
    }
}

/// Lowers the learning rate when a monitored figure stops improving, through
/// ``ReduceLROnPlateau`` (PyTorch semantics), after every epoch.
///
/// ```swift
/// let plateau = PlateauScheduler(monitor: "val_loss", factor: 0.5, patience: 2)
/// ```
public final class PlateauScheduler: Callback {
    public let monitor: String
    /// The plateau state; its `learningRate` is the current multiplier of the base rates.
    public private(set) var plateau: ReduceLROnPlateau

    public init(monitor: String = "val_loss", mode: ReduceLROnPlateau.Mode? = nil, factor: Double = 0.1,
                patience: Int = 10, threshold: Double = 1e-4, cooldown: Int = 0, minimumScale: Double = 0) {
        self.monitor = monitor
        plateau = ReduceLROnPlateau(learningRate: 1, mode: mode ?? (monitor.contains("acc") ? .max : .min),
                                    factor: factor, patience: patience, threshold: threshold, cooldown: cooldown,
                                    minimumLearningRate: minimumScale)
    }

    public func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws {
        guard let value = log[monitor] else {
            throw TrainingError.invalidArgument(name: "PlateauScheduler.monitor",
                                                reason: "no figure named \(monitor) in the epoch log (have \(log.values.keys.sorted()))")
        }
        state.optimizer.learningRateScale = plateau.step(metric: value)
    }
}

/// Waits `patience` steps without improvement (by more than `minDelta`) before consulting the
/// wrapped pruner — or pruning outright when there is none (Optuna's `PatientPruner`).
///
/// "No improvement": the best of the last `patience + 1` values is worse than the best before
/// them (minimize: `min(before) + minDelta < min(after)`).
///
/// ```swift
/// let pruner = PatientPruner(wrapping: MedianPruner(), patience: 3)
/// ```
public struct PatientPruner: Pruner {
    public let wrapped: (any Pruner)?
    public let patience: Int
    public let minDelta: Double

    public init(wrapping wrapped: (any Pruner)?, patience: Int, minDelta: Double = 0) {
        precondition(patience >= 0, "PatientPruner: patience must be >= 0, got \(patience)")
        precondition(minDelta >= 0, "PatientPruner: minDelta must be >= 0, got \(minDelta)")
        self.wrapped = wrapped; self.patience = patience; self.minDelta = minDelta
    }

    public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) -> Bool {
        guard trial.lastStep != nil else { return false }
        let steps = trial.intermediateValues.keys.sorted()
        if steps.count <= patience + 1 { return false }
        let split = steps.count - patience - 1
        let before = steps[..<split].map { trial.intermediateValues[$0]! }.filter { !$0.isNaN }
        let after = steps[split...].map { trial.intermediateValues[$0]! }.filter { !$0.isNaN }
        // NumPy's nanmin/nanmax of an all-NaN slice is NaN, and comparisons with NaN are false.
        guard let b0 = before.min(), let b1 = before.max(), let a0 = after.min(), let a1 = after.max() else { return false }
        let stalled = study.direction == .minimize ? b0 + minDelta < a0 : b1 - minDelta > a1
        guard stalled else { return false }
        return wrapped?.shouldPrune(study: study, trial: trial) ?? true
    }
}

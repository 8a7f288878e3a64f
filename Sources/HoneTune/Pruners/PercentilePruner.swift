/// Prunes a trial whose best intermediate value so far is worse than the given percentile of
/// the COMPLETE trials' intermediate values at the same step (Optuna's `PercentilePruner`).
///
/// Rules, as in Optuna: no pruning before `startupTrials` trials are COMPLETE, before step
/// `warmupSteps`, or off the checkpoints `warmupSteps + k·intervalSteps` (only the first report
/// at or after a checkpoint is checked); fewer than `minTrials` COMPLETE trials reporting the
/// step → no pruning; a trial whose values are all NaN is pruned. For maximization the
/// percentile is taken from the top (100 − p).
///
/// ```swift
/// let pruner = PercentilePruner(percentile: 25, startupTrials: 5, warmupSteps: 10)
/// ```
public struct PercentilePruner: Pruner {
    public let percentile: Double
    public let startupTrials: Int
    public let warmupSteps: Int
    public let intervalSteps: Int
    public let minTrials: Int

    public init(percentile: Double, startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1, minTrials: Int = 1) {
        precondition((0...100).contains(percentile), "PercentilePruner: percentile must be in 0...100, got \(percentile)")
        precondition(startupTrials >= 0 && warmupSteps >= 0 && intervalSteps >= 1 && minTrials >= 1,
                     "PercentilePruner: startupTrials, warmupSteps >= 0 and intervalSteps, minTrials >= 1")
        self.percentile = percentile; self.startupTrials = startupTrials; self.warmupSteps = warmupSteps
        self.intervalSteps = intervalSteps; self.minTrials = minTrials
    }

    public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) -> Bool {
        let completed = study.trials(in: [.complete])
        if completed.isEmpty || completed.count < startupTrials { return false }
        guard let step = trial.lastStep, step >= warmupSteps else { return false }
        guard PrunerSupport.isFirstInIntervalStep(step, steps: trial.intermediateValues.keys,
                                                  warmup: warmupSteps, interval: intervalSteps) else { return false }
        let direction = study.direction
        let best = PrunerSupport.bestIntermediate(trial, direction)
        if best.isNaN { return true }
        let atStep = completed.compactMap { $0.intermediateValues[step] }
        if atStep.count < minTrials { return false }
        let q = direction == .maximize ? 100 - percentile : percentile
        guard let p = PrunerSupport.percentile(atStep, q) else { return false }
        return direction == .minimize ? best > p : best < p
    }
}

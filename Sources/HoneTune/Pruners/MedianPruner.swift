/// Prunes a trial whose best intermediate value so far is worse than the median of the
/// COMPLETE trials' values at the same step: ``PercentilePruner`` at 50 (Optuna's
/// `MedianPruner`; defaults 5 startup trials, 0 warm-up steps, interval 1).
///
/// ```swift
/// let study = try Study(name: "s", pruner: MedianPruner(startupTrials: 5, warmupSteps: 3))
/// ```
public struct MedianPruner: Pruner {
    public let base: PercentilePruner

    public init(startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1, minTrials: Int = 1) {
        base = PercentilePruner(percentile: 50, startupTrials: startupTrials, warmupSteps: warmupSteps,
                                intervalSteps: intervalSteps, minTrials: minTrials)
    }

    public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) -> Bool {
        base.shouldPrune(study: study, trial: trial)
    }
}

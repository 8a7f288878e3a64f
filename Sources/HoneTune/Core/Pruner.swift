/// Decides whether a running trial should stop early, from its intermediate values and
/// those of the other trials. One file per pruner. Pruners are stateless: everything they
/// need is recomputed from the snapshot, so any worker process reaches the same decision.
public protocol Pruner: Sendable {
    func shouldPrune(study: StudySnapshot, trial: FrozenTrial) -> Bool
}

/// Never prunes.
public struct NopPruner: Pruner {
    public init() {}
    public func shouldPrune(study: StudySnapshot, trial: FrozenTrial) -> Bool { false }
}

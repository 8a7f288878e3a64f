import HoneNN
import HoneTrain

/// A `fit` callback that keeps pruned weights at zero while training: it masks the gradients
/// before each optimizer step (so no update or optimizer state reaches a pruned weight) and
/// re-applies the masks to the weights after every step (so momentum or weight decay cannot
/// revive one either).
///
/// ```swift
/// let masks = try Pruning.magnitude(model, sparsity: 0.9)
/// try fit(model, optimizer: Optimizer(model, adam(learningRate: 1e-4)), data: train,
///         epochs: 1, batchSize: 128, callbacks: [MaskedFineTuning(masks)])
/// masks.measuredSparsity(of: model)   // still 0.9
/// ```
public final class MaskedFineTuning: Callback {
    /// The masks being enforced (a schedule may replace them).
    public var masks: PruningMasks

    public init(_ masks: PruningMasks) { self.masks = masks }

    public func trainingWillBegin(state: TrainingState) throws { masks.apply(to: state.model) }

    public func batchDidEnd(_ batch: Int, loss: Double, state: TrainingState) throws {
        masks.maskGradients(of: state.model)
    }

    public func optimizerDidStep(_ batch: Int, state: TrainingState) throws { masks.apply(to: state.model) }
}

/// A `fit` callback for gradual magnitude pruning (Zhu & Gupta 2017): after optimizer step t,
/// when `schedule.prunesAt(step: t)`, the masks are recomputed by magnitude at sparsity s_t
/// (pruned weights are zero, so they stay pruned) and applied; between recomputations the masks
/// are enforced as in `MaskedFineTuning`. Steps are counted from the start of this `fit` call.
///
/// ```swift
/// let schedule = try PolynomialDecaySchedule(finalSparsity: 0.9, endStep: 2000, frequency: 100)
/// let pruning = GradualPruning(schedule: schedule)
/// try fit(model, optimizer: opt, data: train, epochs: 5, batchSize: 128, callbacks: [pruning])
/// pruning.masks.sparsity   // 0.9
/// ```
public final class GradualPruning: Callback {
    public let schedule: PolynomialDecaySchedule
    public let scope: Pruning.Scope
    public let layers: [String]?
    /// The masks currently enforced.
    public private(set) var masks = PruningMasks()
    private var step = 0

    public init(schedule: PolynomialDecaySchedule, scope: Pruning.Scope = .layerwise, layers: [String]? = nil) {
        self.schedule = schedule; self.scope = scope; self.layers = layers
    }

    public func trainingWillBegin(state: TrainingState) throws {
        step = 0
        try prune(state.model, at: 0)
    }

    public func batchDidEnd(_ batch: Int, loss: Double, state: TrainingState) throws {
        masks.maskGradients(of: state.model)
    }

    public func optimizerDidStep(_ batch: Int, state: TrainingState) throws {
        step += 1
        if schedule.prunesAt(step: step) { try prune(state.model, at: step) } else { masks.apply(to: state.model) }
    }

    private func prune(_ model: any Module, at step: Int) throws {
        let s = schedule.sparsity(atStep: step)
        masks = try Pruning.magnitude(model, sparsity: s, scope: scope, layers: layers)
    }
}

/// Adds `λ·θ` to the updates. Placed before the optimizer's direction it is L2
/// regularization (PyTorch's `weight_decay` for SGD, Adam, RMSprop, Adagrad); placed after
/// it and before the learning rate it is decoupled weight decay (AdamW, Loshchilov & Hutter,
/// arXiv:1711.05101). Optax `add_decayed_weights`.
///
/// ```swift
/// let adamL2 = chain(addDecayedWeights(1e-4), scaleByAdam(), scaleByLearningRate(1e-3))
/// let adamW  = chain(scaleByAdam(), addDecayedWeights(1e-2), scaleByLearningRate(1e-3))
/// ```
public final class AddDecayedWeights: ElementwiseTransformation {
    public let weightDecay: Float
    public init(_ weightDecay: Float) {
        precondition(weightDecay >= 0, "addDecayedWeights: weight decay must be ≥ 0, got \(weightDecay)")
        self.weightDecay = weightDecay
    }

    public func apply(_ c: UpdateChunk, context: StepContext) {
        let u = c.updates, p = c.values, l = weightDecay
        for i in 0..<c.count { u[i] += l * p[i] }
    }
}

/// Adds `λ·θ` (see ``AddDecayedWeights``).
public func addDecayedWeights(_ weightDecay: Float) -> AddDecayedWeights { AddDecayedWeights(weightDecay) }

/// L1 regularization: adds the subgradient `λ·sign(θ)` of `λ‖θ‖₁` to the updates (sign(0) = 0,
/// as `torch.sign`). Place it before the optimizer's direction.
///
/// ```swift
/// let sparse = chain(addL1Penalty(1e-5), scaleByAdam(), scaleByLearningRate(1e-3))
/// ```
public final class AddL1Penalty: ElementwiseTransformation {
    public let strength: Float
    public init(_ strength: Float) {
        precondition(strength >= 0, "addL1Penalty: strength must be ≥ 0, got \(strength)")
        self.strength = strength
    }

    public func apply(_ c: UpdateChunk, context: StepContext) {
        let u = c.updates, p = c.values, l = strength
        for i in 0..<c.count {
            let x = p[i]
            u[i] += x > 0 ? l : (x < 0 ? -l : 0)
        }
    }
}

/// Adds `λ·sign(θ)` (see ``AddL1Penalty``).
public func addL1Penalty(_ strength: Float) -> AddL1Penalty { AddL1Penalty(strength) }

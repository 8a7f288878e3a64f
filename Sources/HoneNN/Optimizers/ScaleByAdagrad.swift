/// Adagrad's direction (Duchi, Hazan & Singer, JMLR 2011; PyTorch `torch.optim.Adagrad`):
/// `S ← S + g²`, `u = g / (√S + ε)`, with `S` starting at `initialAccumulator`. Its learning
/// rate decay `γ/(1 + (t−1)η)` is ``LearningRate/inverseTimeDecay(base:decay:)``.
///
/// ```swift
/// let ada = chain(scaleByAdagrad(), scaleByLearningRate(.inverseTimeDecay(base: 0.01, decay: 1e-4)))
/// ```
public final class ScaleByAdagrad: ElementwiseTransformation {
    public let initialAccumulator: Float, epsilon: Float
    var sum: StateBuffer?

    public init(initialAccumulator: Float = 0, epsilon: Float = 1e-10) {
        precondition(initialAccumulator >= 0, "scaleByAdagrad: initialAccumulator must be ≥ 0, got \(initialAccumulator)")
        self.initialAccumulator = initialAccumulator; self.epsilon = epsilon
    }

    public func initialize(_ parameters: [ParameterInfo]) {
        sum = StateBuffer(parameters, initialValue: initialAccumulator)
    }

    public func apply(_ c: UpdateChunk, context: StepContext) {
        guard let sum else { preconditionFailure("scaleByAdagrad: used before initialize(_:)") }
        let u = c.updates, s = sum.pointer(for: c), eps = epsilon, n = c.count
        let veps = Lanes(repeating: eps)
        var i = 0
        while i + Lanes.scalarCount <= n {
            let g = u.lanes(i)
            let si = s.lanes(i) + g * g
            s.setLanes(i, si)
            u.setLanes(i, g / (squareRoot(si) + veps))
            i += Lanes.scalarCount
        }
        while i < n {
            let g = u[i]
            let si = s[i] + g * g
            s[i] = si
            u[i] = g / (si.squareRoot() + eps)
            i += 1
        }
    }
}

/// Adagrad's direction (see ``ScaleByAdagrad``).
public func scaleByAdagrad(initialAccumulator: Float = 0, epsilon: Float = 1e-10) -> ScaleByAdagrad {
    ScaleByAdagrad(initialAccumulator: initialAccumulator, epsilon: epsilon)
}

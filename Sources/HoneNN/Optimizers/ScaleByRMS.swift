/// RMSprop's direction (Hinton, Coursera lecture 6e; Graves arXiv:1308.0850 for the centered
/// form; PyTorch `torch.optim.RMSprop`):
///
///     v ← αv + (1−α)g²;  centered: ḡ ← αḡ + (1−α)g, d = √(v − ḡ²) + ε;  else d = √v + ε
///     momentum μ > 0: b ← μb + g/d, u = b;   else u = g/d
///
/// ```swift
/// let rms = chain(scaleByRMS(decay: 0.99, centered: true), scaleByLearningRate(1e-2))
/// ```
public final class ScaleByRMS: ElementwiseTransformation {
    public let decay: Float, epsilon: Float, centered: Bool, momentum: Float
    private var v: StateBuffer?, mean: StateBuffer?, buffer: StateBuffer?

    public init(decay: Float = 0.99, epsilon: Float = 1e-8, centered: Bool = false, momentum: Float = 0) {
        precondition(decay >= 0 && decay < 1, "scaleByRMS: decay (alpha) must be in [0, 1), got \(decay)")
        self.decay = decay; self.epsilon = epsilon; self.centered = centered; self.momentum = momentum
    }

    public func initialize(_ parameters: [ParameterInfo]) {
        v = StateBuffer(parameters)
        if centered { mean = StateBuffer(parameters) }
        if momentum > 0 { buffer = StateBuffer(parameters) }
    }

    public func apply(_ c: UpdateChunk, context: StepContext) {
        guard let v else { preconditionFailure("scaleByRMS: used before initialize(_:)") }
        let u = c.updates, pv = v.pointer(for: c), a = decay, oneMinus = 1 - decay, eps = epsilon
        let pg = mean?.pointer(for: c), pb = buffer?.pointer(for: c), mu = momentum
        for i in 0..<c.count {
            let g = u[i]
            let vi = a * pv[i] + oneMinus * g * g
            pv[i] = vi
            var d: Float
            if let pg {
                let gi = a * pg[i] + oneMinus * g
                pg[i] = gi
                d = (vi - gi * gi).squareRoot() + eps
            } else {
                d = vi.squareRoot() + eps
            }
            if let pb {
                let bi = mu * pb[i] + g / d
                pb[i] = bi
                u[i] = bi
            } else {
                u[i] = g / d
            }
        }
    }
}

/// RMSprop's direction (see ``ScaleByRMS``).
public func scaleByRMS(decay: Float = 0.99, epsilon: Float = 1e-8, centered: Bool = false,
                       momentum: Float = 0) -> ScaleByRMS {
    ScaleByRMS(decay: decay, epsilon: epsilon, centered: centered, momentum: momentum)
}

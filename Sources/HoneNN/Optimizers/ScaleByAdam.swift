import HoneCompute
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam's direction (Kingma & Ba, arXiv:1412.6980, Algorithm 1; PyTorch `torch.optim.Adam`):
///
///     m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²
///     u = m̂ / (√v̂ + ε),   m̂ = m/(1−β₁ᵗ),  √v̂ = √v/√(1−β₂ᵗ)
///
/// With `amsgrad` (Reddi et al., ICLR 2018), PyTorch's form: `vmax ← max(vmax, v)` and `vmax`
/// replaces `v` in the denominator. Follow with ``scaleByLearningRate(_:)``.
///
/// ```swift
/// let adamish = chain(scaleByAdam(beta1: 0.9, beta2: 0.999), scaleByLearningRate(1e-3))
/// ```
public final class ScaleByAdam: ElementwiseTransformation {
    public let beta1: Double, beta2: Double, epsilon: Double, amsgrad: Bool
    var m: StateBuffer?, v: StateBuffer?, vMax: StateBuffer?

    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, amsgrad: Bool = false) {
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2),
                     "scaleByAdam: betas must be in [0, 1), got \(beta1), \(beta2)")
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.amsgrad = amsgrad
    }

    public func initialize(_ parameters: [ParameterInfo]) {
        m = StateBuffer(parameters); v = StateBuffer(parameters)
        if amsgrad { vMax = StateBuffer(parameters) }
    }

    /// First moments of parameter `index` (for checkpoints and tests).
    public func firstMoment(_ index: Int) -> [Float] { m?.values(index) ?? [] }
    /// Second moments of parameter `index`.
    public func secondMoment(_ index: Int) -> [Float] { v?.values(index) ?? [] }

    public func apply(_ c: UpdateChunk, context: StepContext) {
        guard let m, let v else { preconditionFailure("scaleByAdam: used before initialize(_:)") }
        let t = Double(c.step)
        let b1 = Float(beta1), b2 = Float(beta2), eps = Float(epsilon)
        let c1 = Float(1 / (1 - pow(beta1, t)))
        let c2 = Float(1 / pow(1 - pow(beta2, t), 0.5))
        OptimizerKernels.adam(m: m.pointer(for: c), v: v.pointer(for: c), vMax: vMax?.pointer(for: c), update: c.updates,
                              count: c.count, beta1: b1, beta2: b2, c1: c1, c2: c2, epsilon: eps)
    }
}

/// Adam's direction (see ``ScaleByAdam``).
public func scaleByAdam(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                        amsgrad: Bool = false) -> ScaleByAdam {
    ScaleByAdam(beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad)
}
